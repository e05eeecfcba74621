import { topics } from '@xaso/device-profiles/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrokerFixture, brokerFixture, collect } from './fixture.js';

async function persistenceCalls(fx: BrokerFixture, op: string): Promise<number> {
  const { values } = await fx.broker.metrics.persistenceLatency.get();
  const count = values.find((v) => v.metricName?.endsWith('_count') && v.labels.op === op);
  return count?.value ?? 0;
}

describe('QoS 1 deliveries to clean sessions skip the persistence', () => {
  let fx: BrokerFixture;
  beforeAll(async () => {
    fx = await brokerFixture();
  });
  afterAll(() => fx.close());

  it('a clean subscriber gets every QoS 1 message with no persistence lookup per PUBACK', async () => {
    const device = fx.device('spk-clean-1');
    const sub = await fx.connect({ clientId: device.username, clean: true, ...device });
    await sub.subscribeAsync(topics.command(device.username), { qos: 1 });
    const sender = await fx.connect({ clientId: 'console-clean-1', ...fx.service('console') });
    const before = await persistenceCalls(fx, 'outgoingClearMessageId');
    const seen: string[] = [];
    const all = new Promise<void>((resolve) =>
      sub.on('message', (_t, payload) => {
        seen.push(payload.toString());
        if (seen.length === 20) resolve();
      }),
    );
    for (let i = 0; i < 20; i++)
      await sender.publishAsync(topics.command(device.username), `c${i}`, { qos: 1 });
    await all;
    // Let the last PUBACK reach the broker before reading the counter.
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => `c${i}`));
    expect(await persistenceCalls(fx, 'outgoingClearMessageId')).toBe(before);
    await sender.endAsync();
    await sub.endAsync();
  });

  it('a persistent session still stores and clears its deliveries, and a clean login still discards an old queue', async () => {
    const device = fx.device('spk-clean-2');
    const topic = topics.command(device.username);
    const persistent = await fx.connect({ clientId: device.username, clean: false, ...device });
    await persistent.subscribeAsync(topic, { qos: 1 });
    const sender = await fx.connect({ clientId: 'console-clean-2', ...fx.service('console') });
    const before = await persistenceCalls(fx, 'outgoingClearMessageId');
    const live = collect(persistent, 1000);
    await sender.publishAsync(topic, 'live', { qos: 1 });
    expect((await live).map((m) => m.payload)).toEqual(['live']);
    expect(await persistenceCalls(fx, 'outgoingClearMessageId')).toBeGreaterThan(before);
    await persistent.endAsync();

    for (const p of ['queued-1', 'queued-2']) await sender.publishAsync(topic, p, { qos: 1 });
    // Taking over with a clean session ends the old one: its queue must be gone, not redelivered later.
    const clean = await fx.connect({ clientId: device.username, clean: true, ...device });
    expect(await collect(clean, 500)).toEqual([]);
    await clean.endAsync();
    const again = await fx.connect({ clientId: device.username, clean: false, ...device });
    await again.subscribeAsync(topic, { qos: 1 });
    expect(await collect(again, 800)).toEqual([]);
    await again.endAsync();
    await sender.endAsync();
  });
});
