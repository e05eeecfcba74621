import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topics } from '@xaso/device-profiles/contract';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from '../../../broker/src/index.js';
import { type Collector, startCollector } from '../../../collector/src/collector.js';
import { CollectorConfigSchema } from '../../../collector/src/config/schema.js';
import { until } from './wait.js';

const SERVICE_PASSWORD = 'collector-secret-0123456789';

describe('ingest through our own broker (aedes, authenticated)', () => {
  let dir: string;
  let broker: RunningBroker;
  let collector: Collector;
  let devicePassword: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xs-own-broker-'));
    broker = await startBroker({
      host: '127.0.0.1',
      mqtt: { port: 0 },
      http: { port: 0 },
      dataDir: join(dir, 'broker'),
      services: { collector: SERVICE_PASSWORD },
      logLevel: 'silent',
    });
    broker.registry.createDevice({ id: 'gw-own', role: 'sensor-gateway' });
    devicePassword = broker.registry.rotateSecret('gw-own').password;
    const service = broker.registry.ensureService('collector', SERVICE_PASSWORD);
    collector = await startCollector(
      CollectorConfigSchema.parse({
        mqtt: {
          url: `mqtt://127.0.0.1:${broker.ports.mqtt}`,
          username: service.username,
          password: SERVICE_PASSWORD,
        },
        store: { kind: 'embedded', path: join(dir, 'ts.db') },
        outbox: { path: join(dir, 'state.db') },
        metrics: { port: 0 },
        logLevel: 'silent',
      }),
    );
    await collector.ready();
  });
  afterAll(async () => {
    await collector?.stop();
    await broker?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores a device’s telemetry once, redeliveries included', async () => {
    const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.ports.mqtt}`, {
      clientId: 'gw-own',
      username: 'gw-own',
      password: devicePassword,
    });
    const t0 = Date.now() - 60_000;
    for (const seq of [1, 2, 2, 3]) {
      const ts = t0 + seq * 1000;
      const payload = JSON.stringify({
        v: 1,
        deviceId: 'gw-own',
        seq,
        ts,
        readings: [{ source: 'probe', channel: 'ph', value: 7 + seq / 10, unit: 'pH', ts, quality: 'good' }],
      });
      await device.publishAsync(topics.telemetry('gw-own'), payload, { qos: 1 });
    }
    await device.endAsync();
    await until(
      'outbox drained',
      () => collector.outbox.depth().rows === 0 && collector.drainer.consecutiveFailures === 0,
    );
    await until('three messages stored', async () => {
      const r = await collector.store.query({
        measurement: 'water',
        fields: ['ph'],
        where: { device: 'gw-own' },
        from: t0,
        to: t0 + 10_000,
        aggregate: 'count',
        maxPoints: 1000,
      });
      return r.series[0]?.points.length === 3;
    });
    const metrics = await collector.metrics.registry.getSingleMetricAsString('xs_collector_duplicates_total');
    expect(metrics).toMatch(/kind="telemetry"\} 1/);
  });
});
