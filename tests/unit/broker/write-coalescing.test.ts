import { once } from 'node:events';
import { type AddressInfo, type Server, type Socket, createConnection, createServer } from 'node:net';
import mqttPacket from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { coalesceWrites } from '../../../broker/src/server/write-coalescing.js';

const open: { server: Server; sockets: Socket[] }[] = [];
afterEach(async () => {
  for (const { server, sockets } of open.splice(0)) {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  }
});

/** A connected pair on loopback; `broker` is the side the broker writes to, with its socket writes counted. */
async function pair(count = true): Promise<{ broker: Socket; client: Socket; socketWrites: () => number }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = createConnection((server.address() as AddressInfo).port, '127.0.0.1');
  const [broker] = (await once(server, 'connection')) as [Socket];
  await once(client, 'connect');
  open.push({ server, sockets: [broker, client] });
  let writes = 0;
  if (!count) return { broker, client, socketWrites: () => writes };
  const single = broker._write.bind(broker);
  broker._write = (chunk, encoding, cb) => {
    writes++;
    single(chunk, encoding, cb);
  };
  const vector = broker._writev?.bind(broker);
  broker._writev = (chunks, cb) => {
    writes++;
    vector?.(chunks, cb);
  };
  return { broker, client, socketWrites: () => writes };
}

const pubacks = (from: number, n: number): Buffer =>
  Buffer.concat(
    Array.from({ length: n }, (_, i) => mqttPacket.generate({ cmd: 'puback', messageId: from + i })),
  );

/** As aedes writes: one writeToStream per packet, each from its own tick; resolves with what arrived. */
async function burst(broker: Socket, client: Socket, from: number, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const onData = (c: Buffer) => chunks.push(c);
  client.on('data', onData);
  for (let i = 0; i < n; i++) {
    mqttPacket.writeToStream({ cmd: 'puback', messageId: from + i }, broker);
    await new Promise((r) => process.nextTick(r));
  }
  while (chunks.reduce((sum, c) => sum + c.length, 0) < n * 4) await new Promise((r) => setTimeout(r, 5));
  client.off('data', onData);
  return Buffer.concat(chunks);
}

describe('coalesceWrites', () => {
  it('sends what one turn wrote in one socket write, complete and in order', async () => {
    const plain = await pair();
    expect((await burst(plain.broker, plain.client, 1, 100)).equals(pubacks(1, 100))).toBe(true);
    // The case it exists for: mqtt-packet uncorks on the next tick, so each packet is its own write.
    expect(plain.socketWrites()).toBe(100);

    const coalesced = await pair();
    coalesceWrites(coalesced.broker);
    expect((await burst(coalesced.broker, coalesced.client, 1, 100)).equals(pubacks(1, 100))).toBe(true);
    expect(coalesced.socketWrites()).toBe(1);
    expect(coalesced.broker.writableCorked).toBe(0);
  });

  it('leaves the connection uncorked between turns, so later bursts go out too', async () => {
    const { broker, client, socketWrites } = await pair();
    coalesceWrites(broker);
    expect((await burst(broker, client, 1, 20)).equals(pubacks(1, 20))).toBe(true);
    expect((await burst(broker, client, 21, 30)).equals(pubacks(21, 30))).toBe(true);
    expect(socketWrites()).toBe(2);
    expect(broker.writableCorked).toBe(0);
  });

  it.each(['end', 'destroy'] as const)(
    'sends a packet written just before %s (a refusing CONNACK)',
    async (close) => {
      const { broker, client } = await pair(false);
      coalesceWrites(broker);
      const chunks: Buffer[] = [];
      client.on('data', (c: Buffer) => chunks.push(c));
      const ended = once(client, 'end');
      const connack = mqttPacket.generate({ cmd: 'connack', returnCode: 5, sessionPresent: false });
      // What mqtt-packet does for a packet, with its uncork (here deferred) already called.
      broker.cork();
      broker.write(connack);
      broker.uncork();
      expect(broker.writableCorked).toBe(1);
      if (close === 'end') broker.end();
      else broker.destroy();
      await ended;
      expect(Buffer.concat(chunks).equals(connack)).toBe(true);
    },
  );
});
