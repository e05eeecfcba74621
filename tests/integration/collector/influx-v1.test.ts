import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topics } from '@xaso/device-profiles/contract';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Collector, startCollector } from '../../../collector/src/collector.js';
import { CollectorConfigSchema, InfluxStoreConfigSchema } from '../../../collector/src/config/schema.js';
import { InfluxStore } from '../../../collector/src/store/influx/auto-store.js';
import { InfluxqlClient } from '../../../collector/src/store/influx/influxql-client.js';
import { toLines } from '../../../collector/src/store/influx/line-protocol.js';
import type { Point } from '../../../collector/src/store/types.js';
import { startInfluxDB } from '../../harness/index.js';
import { until } from './wait.js';

type Influx = Awaited<ReturnType<typeof startInfluxDB>>;

const log = pino({ level: 'silent' });
const HOUR = 3_600_000;

function airPoints(device: string, n: number, t0: number): Point[] {
  return Array.from({ length: n }, (_, i) => ({
    measurement: 'air',
    tags: { device, source: 'aqms', profile: 'air-station-aqms' },
    fields: { pm25: 10 + i, pm10: 20 + i },
    time: t0 + i * 1000,
  }));
}

async function count(client: InfluxqlClient, device: string): Promise<number> {
  const [series = []] = await client.run(`SELECT count("pm25") FROM "air" WHERE "device" = '${device}'`);
  const v = series[0]?.values[0]?.[1];
  return typeof v === 'number' ? v : 0;
}

describe('InfluxDB 1.6 through the v1 API', () => {
  let influx: Influx;
  let dir: string;
  let client: InfluxqlClient;

  beforeAll(async () => {
    influx = await startInfluxDB();
    dir = mkdtempSync(join(tmpdir(), 'xs-influx1-'));
    client = new InfluxqlClient({ url: influx.url, db: 'xaso', timeoutMs: 5000 });
  });
  afterAll(async () => {
    await influx?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('detects 1.x, writes line protocol, and a rewrite overwrites instead of duplicating', async () => {
    const store = new InfluxStore(
      InfluxStoreConfigSchema.parse({ kind: 'influxdb', url: influx.url }),
      10_000,
      log,
    );
    const points = airPoints('st-1', 30, Date.now() - 60_000);
    await store.write(points);
    await store.write(points);
    expect(store.kind).toBe('influxdb-v1');
    expect(await count(client, 'st-1')).toBe(30);
    const r = await store.query({
      measurement: 'air',
      fields: ['pm25'],
      where: { device: 'st-1' },
      from: Date.now() - 120_000,
      to: Date.now(),
      aggregate: 'max',
      maxPoints: 1,
    });
    // Buckets are aligned to the epoch, so the 30 s of points may straddle two of them.
    const maxima = r.series[0]?.points.map((p) => p[1]) ?? [];
    expect(maxima.length).toBeLessThanOrEqual(2);
    expect(Math.max(...maxima)).toBe(39);
    const latest = await store.latest({ measurement: 'air', fields: ['pm10'], where: { device: 'st-1' } });
    expect(latest[0]).toMatchObject({ field: 'pm10', value: 49, time: points[29]?.time });
    // The drain hands built lines over as bytes; late ones (3 h old) also go through the hour backfill.
    const late = toLines(airPoints('st-bytes', 12, Date.now() - 3 * HOUR)).join('\n');
    await store.writeLines(Buffer.from(late));
    expect(await count(client, 'st-bytes')).toBe(12);
    await store.close();
  });

  it('creates retention policies and the downsampling continuous query once, and backfills late hours', async () => {
    const again = new InfluxStore(
      InfluxStoreConfigSchema.parse({ kind: 'influxdb', url: influx.url, version: '1' }),
      10_000,
      log,
    );
    const t0 = Math.floor((Date.now() - 30 * HOUR) / HOUR) * HOUR;
    await again.write(airPoints('st-late', 10, t0));
    const [cqs = []] = await client.run('SHOW CONTINUOUS QUERIES');
    const ours = cqs.find((s) => s.name === 'xaso')?.values ?? [];
    expect(ours.map((row) => row[0])).toEqual(['xaso_downsample_1h']);
    expect(String(ours[0]?.[1])).toMatch(/INTO xaso\.xaso_long\.:MEASUREMENT/);
    const [rps = []] = await client.run('SHOW RETENTION POLICIES ON "xaso"');
    expect(rps[0]?.values.map((row) => [row[0], row[1]])).toEqual([
      ['autogen', '720h0m0s'],
      ['xaso_long', '0s'],
    ]);
    const year = await again.query({
      measurement: 'air',
      fields: ['pm25'],
      where: { device: 'st-late' },
      from: Date.now() - 365 * 24 * HOUR,
      to: Date.now(),
      aggregate: 'count',
      maxPoints: 365,
    });
    expect(year.resolution).toBe('"xaso"."xaso_long"');
    expect(year.series[0]?.points.reduce((a, p) => a + p[1], 0)).toBe(10);
    await again.close();
  });

  it('queues on disk while InfluxDB is down and drains exactly once when it is back', async () => {
    const collector: Collector = await startCollector(
      CollectorConfigSchema.parse({
        mqtt: { url: 'mqtt://127.0.0.1:1', clientId: 'influx-outage' },
        store: { kind: 'influxdb', url: influx.url, version: '1' },
        outbox: { path: join(dir, 'state.db'), minBackoffMs: 100, maxBackoffMs: 400 },
        metrics: { port: 0 },
        logLevel: 'silent',
      }),
    );
    await influx.kill();
    const t0 = Date.now() - 120_000;
    for (let seq = 1; seq <= 40; seq++) {
      const ts = t0 + seq * 1000;
      const payload = JSON.stringify({
        v: 1,
        deviceId: 'st-outage',
        seq,
        ts,
        readings: [
          { source: 'aqms', channel: 'pm25', value: seq, unit: 'µg/m³', ts, quality: 'good' },
          { source: 'aqms', channel: 'pm10', value: seq * 2, unit: 'µg/m³', ts, quality: 'good' },
        ],
      });
      collector.pipeline.handle(topics.telemetry('st-outage'), Buffer.from(payload));
      // A redelivery of each message, as the broker would after a lost PUBACK.
      collector.pipeline.handle(topics.telemetry('st-outage'), Buffer.from(payload));
    }
    collector.drainer.notify();
    await until('write failures while down', () => collector.drainer.consecutiveFailures >= 2, 10_000);
    expect(collector.outbox.depth().points).toBe(40);
    await influx.restart();
    await until('outbox drained', () => collector.outbox.depth().rows === 0, 20_000);
    await collector.stop();
    expect(await count(client, 'st-outage')).toBe(40);
  });
});
