import { connect as tcpConnect } from 'node:net';
import { filters, topics } from '@xaso/device-profiles/contract';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { generate } from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrokerFixture, brokerFixture, closed, nextMessage, subackCodes } from './fixture.js';

const MAX_PACKET = 8192;

/** Sends raw bytes and resolves when the broker closes the socket (or after `ms`, with closed=false). */
function sendRaw(port: number, chunks: Buffer[], ms = 2000): Promise<{ closed: boolean; reply: Buffer }> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    const replies: Buffer[] = [];
    let done = false;
    const finish = (wasClosed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ closed: wasClosed, reply: Buffer.concat(replies) });
    };
    const timer = setTimeout(() => finish(false), ms);
    socket.on('data', (d) => replies.push(d));
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('connect', () => {
      for (const c of chunks) socket.write(c);
    });
  });
}

describe('broker under bad input', () => {
  let f: BrokerFixture;
  let device: { username: string; password: string };
  let bystander: MqttClient;
  let bystanderDevice: MqttClient;

  /** The bystanders' publish → subscribe round trip, in ms. */
  async function roundTrip(): Promise<number> {
    const start = Date.now();
    const got = nextMessage(bystander, topics.telemetry('sg-bystander'), 10_000);
    await bystanderDevice.publishAsync(topics.telemetry('sg-bystander'), `{"t":${start}}`, { qos: 1 });
    await got;
    return Date.now() - start;
  }

  beforeAll(async () => {
    f = await brokerFixture({
      limits: { maxPacketSize: MAX_PACKET, maxConnectionsPerService: 1000 },
      authBackoff: { freeFailures: 1000, baseMs: 1, maxMs: 1 },
    });
    device = f.device('sg-bad-input');
    const b = f.device('sg-bystander');
    bystander = await f.connect({ clientId: 'collector-bystander', ...f.service('collector') });
    await bystander.subscribeAsync([filters.allTelemetry, filters.allStatus], { qos: 1 });
    bystanderDevice = await f.connect({ clientId: b.username, ...b });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('closes a connection that sends garbage and keeps serving others', async () => {
    const result = await sendRaw(f.broker.ports.mqtt, [Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')]);
    expect(result.closed).toBe(true);
    expect(await roundTrip()).toBeLessThan(2000);
    expect(f.logs.some((l) => l.msg === 'connection closed before CONNECT completed')).toBe(true);
  });

  it('closes a connection that sends an oversized payload before buffering it', async () => {
    const client = await f.connect({ clientId: device.username, ...device });
    const gone = closed(client);
    client.publish(topics.telemetry(device.username), Buffer.alloc(MAX_PACKET * 4, 0x61), { qos: 0 });
    await gone;
    expect(await roundTrip()).toBeLessThan(2000);
    const errors = await f.broker.metrics.clientErrors.get();
    expect(errors.values.find((v) => v.labels.kind === 'oversized')?.value).toBeGreaterThanOrEqual(1);
  });

  it('never routes a publish with an invalid UTF-8 topic', async () => {
    const bad = Buffer.concat([
      Buffer.from(`${topics.telemetry(device.username)}/`),
      Buffer.from([0xc3, 0x28, 0xff]),
    ]);
    const body = Buffer.concat([Buffer.from([bad.length >> 8, bad.length & 0xff]), bad, Buffer.from('{}')]);
    const publish = Buffer.concat([Buffer.from([0x30, body.length]), body]);
    const connectPacket = generate({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clean: true,
      clientId: device.username,
      keepalive: 30,
      username: device.username,
      password: Buffer.from(device.password),
    });
    const seen: string[] = [];
    const onMessage = (t: string) => seen.push(t);
    bystander.on('message', onMessage);
    const result = await sendRaw(f.broker.ports.mqtt, [connectPacket, publish], 1500);
    bystander.off('message', onMessage);
    expect(result.reply.subarray(0, 4)).toEqual(Buffer.from([0x20, 0x02, 0x00, 0x00]));
    expect(result.closed).toBe(true);
    expect(seen.filter((t) => t.startsWith(topics.telemetry(device.username)))).toEqual([]);
  });

  it('closes on wildcard publishes and refuses $SYS probes', async () => {
    const client = await f.connect({ clientId: device.username, ...device });
    expect(await subackCodes(client, '$SYS/#', 0)).toEqual([128]);
    const gone = closed(client);
    client.publish(filters.allTelemetry, '{}');
    await gone;
    const sys = await f.connect({ clientId: device.username, ...device });
    const sysGone = closed(sys);
    sys.publish('$SYS/broker/fake', 'x');
    await sysGone;
    expect(await roundTrip()).toBeLessThan(2000);
  });

  it('keeps serving a bystander through a storm of 200 clients reconnecting at once', async () => {
    const creds = f.service('collector');
    const url = f.url;
    const connectAll = () =>
      Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          mqtt.connectAsync(url, {
            clientId: `collector-storm-${i}`,
            ...creds,
            reconnectPeriod: 0,
            connectTimeout: 20_000,
          }),
        ),
      );
    const first = await connectAll();
    for (const c of first) c.stream.destroy();
    const during = roundTrip();
    const second = await connectAll();
    expect(await during).toBeLessThan(5000);
    expect(await roundTrip()).toBeLessThan(1000);
    await Promise.all(second.map((c) => c.endAsync(true)));
  });

  it('survives 10,000 random and mutated packets and stays healthy', async () => {
    const seeds = [
      generate({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 4,
        clean: true,
        clientId: device.username,
        keepalive: 30,
        username: device.username,
        password: Buffer.from(device.password),
      }),
      generate({
        cmd: 'publish',
        topic: topics.telemetry(device.username),
        payload: Buffer.from('{"a":1}'),
        qos: 1,
        messageId: 7,
        dup: false,
        retain: false,
      }),
      generate({
        cmd: 'publish',
        topic: topics.status(device.username),
        payload: Buffer.from('{}'),
        qos: 0,
        dup: false,
        retain: true,
      }),
      generate({
        cmd: 'subscribe',
        messageId: 9,
        subscriptions: [{ topic: topics.command(device.username), qos: 1 }],
      }),
      generate({ cmd: 'pingreq' }),
      generate({ cmd: 'unsubscribe', messageId: 3, unsubscriptions: [topics.command(device.username)] }),
    ];
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const mutate = (p: Buffer): Buffer => {
      const out = Buffer.from(p);
      switch (rand(5)) {
        case 0:
          for (let k = 0; k < 1 + rand(4); k++) out[rand(out.length)] = rand(256);
          return out;
        case 1:
          out[1] = rand(256);
          return out;
        case 2:
          return out.subarray(0, rand(out.length));
        case 3:
          return Buffer.from(Array.from({ length: 1 + rand(64) }, () => rand(256)));
        default:
          return Buffer.concat([out, Buffer.from([rand(256), rand(256)])]);
      }
    };
    const PACKETS = 10_000;
    const PER_SOCKET = 50;
    const heapBefore = process.memoryUsage().heapUsed;
    let sent = 0;
    const sockets: Promise<unknown>[] = [];
    for (let s = 0; s < PACKETS / PER_SOCKET; s++) {
      const chunks: Buffer[] = [];
      // Half the sockets log in first so the mutations reach the post-CONNECT handlers too.
      if (s % 2 === 0 && seeds[0]) chunks.push(seeds[0]);
      for (let k = 0; k < PER_SOCKET; k++) chunks.push(mutate(seeds[rand(seeds.length)] ?? Buffer.alloc(0)));
      sent += PER_SOCKET;
      sockets.push(sendRaw(f.broker.ports.mqtt, chunks, 300));
      if (sockets.length >= 40) await Promise.all(sockets.splice(0));
    }
    await Promise.all(sockets);
    expect(sent).toBeGreaterThanOrEqual(PACKETS);
    expect(await roundTrip()).toBeLessThan(2000);
    const fresh = await f.connect({ clientId: 'collector-after-fuzz', ...f.service('collector') });
    expect(fresh.connected).toBe(true);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);
    const health = await fetch(`http://127.0.0.1:${f.broker.ports.http}/health`);
    expect(health.status).toBe(200);
  });
});
