import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { filters, topics } from '@xaso/device-profiles/contract';
import type { MqttClient } from 'mqtt';
import { generate } from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrokerFixture, brokerFixture, collect } from './fixture.js';

interface Seen {
  topic: string;
  payload: string;
  qos: number;
  retain: boolean;
  messageId?: number;
}

/** Every PUBLISH the client receives, with the flags mqtt.js' 'message' event hides. */
function publishes(client: MqttClient): Seen[] {
  const seen: Seen[] = [];
  client.on('packetreceive', (p) => {
    if (p.cmd !== 'publish') return;
    seen.push({
      topic: p.topic,
      payload: p.payload.toString(),
      qos: p.qos,
      retain: p.retain,
      ...(p.messageId !== undefined ? { messageId: p.messageId } : {}),
    });
  });
  return seen;
}

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A subscriber that logs in, subscribes, then stops reading its socket: the broker's writes back up. */
async function frozenSubscriber(port: number, login: { username: string; password: string }, topic: string) {
  const socket: Socket = connect({ host: '127.0.0.1', port });
  const nextData = () => new Promise<Buffer>((resolve) => socket.once('data', resolve));
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(
    generate({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clientId: 'collector-frozen',
      clean: true,
      keepalive: 60,
      username: login.username,
      password: Buffer.from(login.password),
    }),
  );
  expect((await nextData())[3]).toBe(0);
  socket.write(generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic, qos: 1 }] }));
  expect((await nextData())[4]).toBe(1);
  socket.pause();
  return socket;
}

for (const direct of [true, false]) {
  describe(`QoS 1 delivery to clean sessions (limits.directCleanDelivery: ${direct})`, () => {
    let fx: BrokerFixture;
    beforeAll(async () => {
      fx = await brokerFixture({ limits: { directCleanDelivery: direct }, drainTimeout: 1000 });
    });
    afterAll(() => fx.close());

    it('gives each subscriber its own packet ids, downgrades to the granted QoS, keeps order and retain', async () => {
      const id = direct ? 'sg-direct-1' : 'sg-stock-1';
      const device = fx.device(id);
      const publisher = await fx.connect({ clientId: id, ...device });
      await publisher.publishAsync(topics.status(id), 'online', { qos: 1, retain: true });
      const collector = fx.service('collector');
      const atOne = await fx.connect({ clientId: 'collector-q1', ...collector });
      const atZero = await fx.connect({ clientId: 'collector-q0', ...collector });
      const [seenOne, seenZero] = [publishes(atOne), publishes(atZero)];
      await atOne.subscribeAsync([topics.telemetry(id), filters.allStatus], { qos: 1 });
      await atZero.subscribeAsync(topics.telemetry(id), { qos: 0 });
      await until(() => seenOne.length === 1, 'the retained status');
      expect(seenOne[0]).toMatchObject({ topic: topics.status(id), payload: 'online', qos: 1, retain: true });

      for (let i = 0; i < 30; i++) await publisher.publishAsync(topics.telemetry(id), `m${i}`, { qos: 1 });
      await until(() => seenOne.length === 31 && seenZero.length === 30, 'every telemetry message');
      const telemetry = seenOne.slice(1);
      expect(telemetry.map((s) => s.payload)).toEqual(Array.from({ length: 30 }, (_, i) => `m${i}`));
      expect(telemetry.every((s) => s.qos === 1 && !s.retain && s.topic === topics.telemetry(id))).toBe(true);
      expect(new Set(telemetry.map((s) => s.messageId)).size).toBe(30);
      expect(seenZero.map((s) => s.payload)).toEqual(telemetry.map((s) => s.payload));
      expect(seenZero.every((s) => s.qos === 0 && s.messageId === undefined)).toBe(true);
      // Every PUBACK was taken: the next message still flows to both.
      const last = collect(atOne, 500);
      await publisher.publishAsync(topics.telemetry(id), 'after', { qos: 1 });
      expect((await last).map((m) => m.payload)).toEqual(['after']);
      await Promise.all([publisher.endAsync(), atOne.endAsync(), atZero.endAsync()]);
    });

    it('disconnects a subscriber that stops reading after drainTimeout; the others get everything', async () => {
      const id = direct ? 'sg-direct-2' : 'sg-stock-2';
      const device = fx.device(id);
      const collector = fx.service('collector');
      const healthy = await fx.connect({ clientId: 'collector-healthy', ...collector });
      await healthy.subscribeAsync(topics.telemetry(id), { qos: 1 });
      const frozen = await frozenSubscriber(fx.broker.ports.mqtt, collector, topics.telemetry(id));
      const frozenClosed = new Promise<void>((resolve) => frozen.once('close', () => resolve()));
      const got: string[] = [];
      healthy.on('message', (_t, p) => got.push(p.subarray(0, 8).toString()));
      const publisher = await fx.connect({ clientId: id, ...device });
      // 80 × 200 kB: more than the kernel's socket buffers hold for a reader that never reads.
      const body = Buffer.alloc(200_000, 0x61);
      for (let i = 0; i < 80; i++) {
        body.write(`n${String(i).padStart(7, '0')}`, 0);
        await publisher.publishAsync(topics.telemetry(id), Buffer.from(body), { qos: 1 });
      }
      await until(() => got.length === 80, 'the healthy subscriber to get all 80', 20_000);
      expect(got).toEqual(Array.from({ length: 80 }, (_, i) => `n${String(i).padStart(7, '0')}`));
      // Reading again, the frozen client finds the broker has closed its connection (not merely slowed it).
      frozen.on('data', () => undefined);
      frozen.resume();
      await Promise.race([
        frozenClosed,
        new Promise((_, reject) => setTimeout(() => reject(new Error('frozen client still open')), 10_000)),
      ]);
      await Promise.all([publisher.endAsync(), healthy.endAsync()]);
    });
  });
}
