import type { Aedes, Client } from 'aedes';
import { PublishFrames, type PublishSource } from './publish-frame.js';

type Done = () => void;

/** A packet on its way to a subscriber, as aedes hands it to `deliverQoS`. */
interface OutgoingPacket {
  topic: unknown;
  payload: unknown;
  qos: number;
  retain?: boolean;
  dup?: boolean;
  messageId?: number;
  clientId?: string;
  nl?: boolean;
  brokerId?: string | null;
  brokerCounter?: number;
}

/** What this relies on of aedes 1.2's Client (lib/client.js), beyond its typings. */
interface DeliveringClient {
  id: string;
  clean: boolean;
  connecting: boolean;
  connected: boolean;
  errored: boolean;
  conn: { write(chunk: Buffer): boolean; cork(): void; uncork(): void };
  subscriptions: Record<string, { qos?: number } | undefined>;
  duplicates: Record<string, number>;
  _nextId: number;
  deliverQoS(packet: OutgoingPacket, cb: Done): void;
  deliver0(packet: OutgoingPacket, cb: Done): void;
  waitForDrain(cb: Done): void;
  emit(event: 'error', err: Error): boolean;
  broker: { authorizeForward(client: unknown, packet: OutgoingPacket): OutgoingPacket | null | undefined };
}

/** aedes' own rule (client.js `dedupe`): a broker's counter must grow for each client. */
function isNew(client: DeliveringClient, packet: OutgoingPacket): boolean {
  const id = packet.brokerId;
  if (!id) return true;
  const counter = packet.brokerCounter ?? 0;
  if ((client.duplicates[id] ?? 0) >= counter) return false;
  client.duplicates[id] = counter;
  return true;
}

function nextMessageId(client: DeliveringClient): number {
  const id = client._nextId;
  client._nextId = id >= 65_535 ? 1 : id + 1;
  return id;
}

function asSource(packet: OutgoingPacket): PublishSource | undefined {
  if (typeof packet.topic !== 'string' || !Buffer.isBuffer(packet.payload)) return undefined;
  return {
    topic: packet.topic,
    payload: packet.payload,
    retain: packet.retain === true,
    dup: packet.dup === true,
  };
}

/**
 * Writes `chunks` and calls `done` once the socket took them (after a drain when its buffer is full, which
 * aedes bounds with drainTimeout), as aedes' lib/write.js does.
 */
function write(client: DeliveringClient, chunks: Buffer[], done: Done): void {
  if (!client.connecting && !client.connected) {
    setImmediate(() => {
      client.emit('error', new Error('connection closed'));
      done();
    });
    return;
  }
  let flushed = true;
  if (chunks.length === 1 && chunks[0]) flushed = client.conn.write(chunks[0]);
  else {
    client.conn.cork();
    for (const chunk of chunks) flushed = client.conn.write(chunk);
    client.conn.uncork();
  }
  if (!flushed && !client.errored) client.waitForDrain(done);
  else done();
}

/**
 * aedes delivers each QoS 1 message to each subscriber through a setImmediate, a QoSPacket and mqtt-packet's
 * writeToStream (a cork, six small writes, an uncork on the next tick): 20–30 % of the broker's CPU in a
 * fan-out (docs/benchmarks.md). A clean session stores nothing per delivery, so for those clients this
 * replaces `deliverQoS` with one encoded frame per message (PublishFrames) and one socket write per
 * subscriber, keeping aedes' order of checks: no-local, duplicates, authorizeForward, QoS downgrade,
 * packet id. Persistent sessions, QoS 0 and 2, and anything unusual keep aedes' own path.
 */
export function deliverCleanSessionsDirectly(broker: Aedes): void {
  const frames = new PublishFrames();
  // 'client' fires before aedes handles the client's first SUBSCRIBE, whose subscription captures deliverQoS.
  broker.on('client', (aedesClient: Client) => {
    const client = aedesClient as unknown as DeliveringClient;
    if (!client.clean) return;
    const stock = client.deliverQoS.bind(client);
    client.deliverQoS = (packet, cb) => {
      // QoS 0 and 2, and a packet without a string topic and a Buffer payload, stay on aedes' path.
      if (packet.qos !== 1 || !asSource(packet)) {
        stock(packet, cb);
        return;
      }
      const forward =
        !(packet.clientId === client.id && packet.nl) &&
        isNew(client, packet) &&
        client.broker.authorizeForward(client, packet);
      if (!forward) {
        setImmediate(cb);
        return;
      }
      const source = asSource(forward);
      if (!source) {
        // What mqtt-packet does with an unframable packet: the connection fails (and is logged).
        setImmediate(() => {
          client.emit('error', new Error('packet received not valid'));
          cb();
        });
        return;
      }
      const subscription = client.subscriptions[source.topic];
      const qos = subscription ? Math.min(forward.qos, subscription.qos ?? 0) : forward.qos;
      const messageId = qos > 0 ? forward.messageId || nextMessageId(client) : 0;
      write(client, frames.chunks(source, qos, messageId), cb);
    };
  });
}
