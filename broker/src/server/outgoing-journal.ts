import { Readable } from 'node:stream';
import Packet from 'aedes-packet';
import type { Level } from 'level';
import msgpack from 'msgpack-lite';
import { outgoingByClientKey, outgoingByIdKey, outgoingKey, prefixRange } from './outgoing-keys.js';

/** The fields of a stored packet the journal reads (the packet has more; they are kept as bytes). */
interface QueuedPacket {
  brokerId?: string;
  brokerCounter?: number;
  messageId?: number;
}

interface SessionClient {
  id: string;
}

type WriteOp = { type: 'put'; key: string; value: Buffer } | { type: 'del'; key: string };

/**
 * A key this process wrote: its latest bytes (null = deleted), their ids beside them so a lookup decodes
 * nothing, and the batch that carries that state.
 */
interface Known {
  value: Buffer | null;
  ids: QueuedPacket;
  /** Sequence number of the batch holding this state; SETTLED once it is in LevelDB. */
  batch: number;
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

const SETTLED = -1;
/** How long delivery bookkeeping may wait for company before it is written on its own. */
const BOOKKEEPING_WINDOW_MS = 10;
const BUFFER = { valueEncoding: 'buffer' } as const;

/**
 * The QoS 1 in-flight state of persistent sessions (aedes' `outgoing*` calls), in the same LevelDB keys and
 * encoding as aedes-persistence-level, but without its read-modify-write round trips: every write of one
 * event-loop turn goes to LevelDB in one batch, and reads of state this process wrote are served from memory.
 *
 * Enqueueing (a message a session must still get) resolves only once it is in LevelDB: the publisher's PUBACK
 * waits for it. Recording a delivery's message id and clearing it on PUBACK resolve at once: aedes handles a
 * client's packets one at a time, so waiting for a batch there would pace every PUBACK of a busy service
 * session to the disk. Losing such a write in a crash can only make a message be delivered again (QoS 1 is at
 * least once; every consumer deduplicates), never lost.
 */
export class OutgoingJournal {
  private readonly known = new Map<string, Known>();
  /** The next batch: the last write per key (LevelDB applies a batch atomically, so order across keys is moot). */
  private next = new Map<string, WriteOp>();
  private nextBatch = 0;
  private waiters: Waiter[] = [];
  private immediate = false;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Level<string, Buffer>,
    private readonly options: { cacheLimit?: number; onWriteError?: (err: unknown) => void } = {},
  ) {}

  async outgoingEnqueue(sub: { clientId: string }, packet: QueuedPacket): Promise<void> {
    const queued = new Packet(packet) as QueuedPacket;
    this.put(
      outgoingKey(sub.clientId, packet.brokerId, packet.brokerCounter),
      msgpack.encode(queued),
      idsOf(queued),
    );
    await this.durable();
  }

  async outgoingEnqueueCombi(
    subs: { clientId: string }[] | undefined,
    packet: QueuedPacket,
  ): Promise<unknown> {
    if (!subs || subs.length === 0) return packet;
    // One Packet for every subscriber: they share the same encoded bytes, as the library's copies would.
    const queued = new Packet(packet) as QueuedPacket;
    const value = msgpack.encode(queued);
    const ids = idsOf(queued);
    for (const sub of subs)
      this.put(outgoingKey(sub.clientId, packet.brokerId, packet.brokerCounter), value, ids);
    await this.durable();
    return undefined;
  }

  async outgoingUpdate(client: SessionClient, packet: QueuedPacket): Promise<void> {
    if (!packet.brokerId) {
      const byId = await this.lookup(outgoingByIdKey(client.id, packet.messageId));
      if (!byId) throw new Error('no such packet');
      packet.brokerId = byId.brokerId;
      packet.brokerCounter = byId.brokerCounter;
    }
    const prekey = outgoingKey(client.id, packet.brokerId, packet.brokerCounter);
    const queued = await this.lookup(prekey);
    if (!queued) throw new Error('no such packet');
    if ((queued.messageId ?? 0) > 0) this.del(outgoingByIdKey(client.id, queued.messageId));
    const value = msgpack.encode(packet);
    const ids = idsOf(packet);
    this.put(outgoingByIdKey(client.id, packet.messageId), value, ids);
    this.put(prekey, value, ids);
    this.bookkeeping();
  }

  async outgoingClearMessageId(
    client: SessionClient,
    packet: QueuedPacket,
  ): Promise<QueuedPacket | undefined> {
    const key = outgoingByIdKey(client.id, packet.messageId);
    const stored = await this.read(key);
    if (!stored) return undefined;
    this.del(key);
    this.del(outgoingKey(client.id, stored.brokerId, stored.brokerCounter));
    this.bookkeeping();
    return stored;
  }

  /** A session's queue in key order, read from LevelDB once every write issued before it has landed. */
  outgoingStream(client: SessionClient): Readable {
    const settled = this.settled();
    const db = this.db;
    return Readable.from(
      (async function* queue() {
        await settled;
        for await (const blob of db.values({ ...prefixRange(outgoingByClientKey(client.id)), ...BUFFER }))
          yield msgpack.decode(blob) as QueuedPacket;
      })(),
    );
  }

  /** Resolves when every write issued so far is in LevelDB. */
  async settled(): Promise<void> {
    if (this.next.size > 0) await this.durable();
    await this.writing;
  }

  /** The ids of a stored packet: from memory when this process wrote it, else from LevelDB. */
  private async lookup(key: string): Promise<QueuedPacket | undefined> {
    const known = this.known.get(key);
    if (known) return known.value === null ? undefined : known.ids;
    const stored = await this.fromDb(key);
    return stored && idsOf(stored);
  }

  private async read(key: string): Promise<QueuedPacket | undefined> {
    const known = this.known.get(key);
    if (known) return known.value === null ? undefined : (msgpack.decode(known.value) as QueuedPacket);
    return this.fromDb(key);
  }

  private async fromDb(key: string): Promise<QueuedPacket | undefined> {
    const blob = await this.db.get(key, BUFFER);
    // A write that arrived while LevelDB was read is newer than what it returned.
    const raced = this.known.get(key);
    if (raced) return raced.value === null ? undefined : (msgpack.decode(raced.value) as QueuedPacket);
    return blob === undefined ? undefined : (msgpack.decode(blob) as QueuedPacket);
  }

  private put(key: string, value: Buffer, ids: QueuedPacket): void {
    this.remember(key, value, ids);
    this.next.set(key, { type: 'put', key, value });
  }

  private del(key: string): void {
    this.remember(key, null, {});
    this.next.set(key, { type: 'del', key });
  }

  private remember(key: string, value: Buffer | null, ids: QueuedPacket): void {
    const known = this.known.get(key);
    if (!known) this.known.set(key, { value, ids, batch: this.nextBatch });
    else {
      known.value = value;
      known.ids = ids;
      known.batch = this.nextBatch;
    }
  }

  /** Written with the next batch, which starts as soon as the event loop has gathered this turn's writes. */
  private durable(): Promise<void> {
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.immediate) {
      this.immediate = true;
      setImmediate(() => this.flush());
    }
    return done;
  }

  /** Written with the next batch, which may wait a few milliseconds: a PUBACK often clears it before then. */
  private bookkeeping(): void {
    if (this.immediate || this.timer) return;
    this.timer = setTimeout(() => this.flush(), BOOKKEEPING_WINDOW_MS);
  }

  private flush(): void {
    this.immediate = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.nextBatch++;
    const ops = [...this.next.values()];
    const waiters = this.waiters;
    this.next = new Map();
    this.waiters = [];
    // Batches go to LevelDB one after another, so a later state of a key never lands before an earlier one.
    this.writing = this.writing.then(async () => {
      try {
        if (ops.length > 0) await this.db.batch(ops, BUFFER);
        this.settle(ops, batch, false);
        for (const w of waiters) w.resolve();
      } catch (err) {
        this.settle(ops, batch, true);
        this.options.onWriteError?.(err);
        for (const w of waiters) w.reject(err);
      }
    });
  }

  /** After a batch: what it carried is in LevelDB (or failed, and LevelDB is the truth again). */
  private settle(ops: WriteOp[], batch: number, failed: boolean): void {
    for (const op of ops) {
      const known = this.known.get(op.key);
      // A later batch holds a newer state of this key: that one decides.
      if (!known || known.batch !== batch) continue;
      if (failed || known.value === null) this.known.delete(op.key);
      else known.batch = SETTLED;
    }
    const limit = this.options.cacheLimit ?? 50_000;
    if (this.known.size <= limit) return;
    for (const [key, known] of this.known) {
      if (this.known.size <= limit * 0.9) break;
      if (known.batch === SETTLED) this.known.delete(key);
    }
  }
}

function idsOf(packet: QueuedPacket): QueuedPacket {
  return { brokerId: packet.brokerId, brokerCounter: packet.brokerCounter, messageId: packet.messageId };
}
