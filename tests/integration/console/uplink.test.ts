import { rm } from 'node:fs/promises';
import { startBroker } from '@xaso/broker';
import type { RunningBroker } from '@xaso/broker';
import { filters, topics } from '@xaso/device-profiles/contract';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { MqttUplink } from '../../../console/src/uplink/mqtt-uplink.js';
import { freePort, tempDir } from '../../harness/index.js';

const quiet = pino({ level: 'silent' });

async function brokerOn(dataDir: string, port: number): Promise<RunningBroker> {
  return startBroker(
    { host: '127.0.0.1', mqtt: { port }, http: { port: 0 }, dataDir, registryPollMs: 100 },
    { logger: quiet },
  );
}

async function publishStatus(port: number, id: string, password: string, ts: number): Promise<void> {
  const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
    clientId: id,
    username: id,
    password,
    reconnectPeriod: 0,
  });
  const status = { v: 1, deviceId: id, state: 'online', ts, reason: 'periodic' };
  await device.publishAsync(topics.status(id), JSON.stringify(status), { qos: 1, retain: true });
  await device.endAsync();
}

describe('MqttUplink', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  it('keeps its subscriptions across a broker restart', async () => {
    const dir = await tempDir('xs-console-uplink');
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const port = await freePort();
    let broker = await brokerOn(dir, port);
    const service = broker.registry.ensureService('console');
    broker.registry.createDevice({ id: 'loa-up', role: 'speaker-cluster' });
    const device = broker.registry.rotateSecret('loa-up');

    const uplink = await MqttUplink.connect(
      { url: `mqtt://127.0.0.1:${port}`, clientId: 'console-uplink-test', ...service, log: quiet },
      10_000,
    );
    cleanups.push(() => uplink.close());
    const seen: number[] = [];
    await uplink.subscribe(filters.allStatus, (_topic, payload) => {
      seen.push((JSON.parse(payload.toString('utf8')) as { ts: number }).ts);
    });
    await publishStatus(port, 'loa-up', device.password, 1000);
    await expect.poll(() => seen, { timeout: 10_000 }).toContain(1000);

    await broker.close();
    expect(uplink.connected).toBe(false);
    broker = await brokerOn(dir, port);
    cleanups.push(() => broker.close());
    await expect.poll(() => uplink.connected, { timeout: 15_000 }).toBe(true);
    await publishStatus(port, 'loa-up', device.password, 2000);
    await expect.poll(() => seen, { timeout: 10_000 }).toContain(2000);
  });
});
