import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type TelemetryColumns, topics } from '@xaso/device-profiles/contract';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Collector, startCollector } from '../../../collector/src/collector.js';
import { CollectorConfigSchema } from '../../../collector/src/config/schema.js';
import {
  startMosquitto,
  startVictoriaMetrics,
  tempDir,
  victoriaExport,
  victoriaFlush,
} from '../../harness/index.js';
import { FakeInflux } from '../collector/fake-influx.js';
import { until } from '../collector/wait.js';

type Broker = Awaited<ReturnType<typeof startMosquitto>>;
type Victoria = Awaited<ReturnType<typeof startVictoriaMetrics>>;
type LogRecord = { msg?: string; thread?: string; level: number } & Record<string, unknown>;

const T0 = Date.now() - 900_000;
const INSTANTS = 50;

/** A columnar air batch: INSTANTS instants × 3 channels, values derived from (seq, instant, channel). */
function batch(deviceId: string, seq: number): TelemetryColumns {
  const times = Array.from({ length: INSTANTS }, (_, i) => T0 + (seq * INSTANTS + i) * 1000);
  return {
    v: 2,
    deviceId,
    seq,
    ts: times[0] ?? T0,
    times,
    columns: ['pm25', 'pm10', 'no2'].map((channel, c) => ({
      source: 'aqms',
      channel,
      unit: 'µg/m³',
      quality: 'good' as const,
      values: times.map((_, i) => seq * 1000 + i + c / 10),
    })),
  };
}

/** A collector whose log records the test can read (pino JSON lines, parsed). */
async function collectorWithLog(
  config: Record<string, unknown>,
): Promise<{ collector: Collector; records: LogRecord[] }> {
  const records: LogRecord[] = [];
  const log = pino(
    { level: 'info' },
    { write: (line: string) => records.push(JSON.parse(line) as LogRecord) },
  );
  const collector = await startCollector(CollectorConfigSchema.parse(config), { log });
  // Until the worker has loaded, the ingest thread drains; wait for the hand-over so the worker is tested.
  await until(
    'drain worker started',
    () => records.some((r) => r.msg === 'drain worker started' && r.thread === 'drain'),
    30_000,
  );
  return { collector, records };
}

async function counter(collector: Collector, name: string): Promise<string> {
  return collector.metrics.registry.getSingleMetricAsString(name);
}

describe('outbox drain in a worker thread, into real VictoriaMetrics', () => {
  let dir: string;
  let broker: Broker;
  let vm: Victoria;
  let collector: Collector;
  let records: LogRecord[];

  beforeAll(async () => {
    dir = await tempDir('xs-worker-drain-');
    [broker, vm] = await Promise.all([startMosquitto(), startVictoriaMetrics()]);
    ({ collector, records } = await collectorWithLog({
      mqtt: { url: broker.url, clientId: 'collector-worker-drain' },
      store: { kind: 'influxdb', url: vm.url, version: '2', bucket: 'xaso' },
      outbox: { path: join(dir, 'state.db'), batchPoints: 300, minBackoffMs: 50, maxBackoffMs: 200 },
      metrics: { port: 0 },
    }));
    await collector.ready();
  }, 60_000);

  afterAll(async () => {
    await collector?.stop();
    await Promise.all([broker?.stop(), vm?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes every point of a stream once while ingest keeps committing, and empties the outbox', async () => {
    const client = await mqtt.connectAsync(broker.url, { clientId: 'worker-drain-pub' });
    for (let seq = 1; seq <= 20; seq++)
      for (const device of ['aq-w1', 'aq-w2'])
        await client.publishAsync(topics.telemetry(device), JSON.stringify(batch(device, seq)), { qos: 1 });
    await client.endAsync();
    const total = 2 * 20 * INSTANTS;
    await until(
      'all points written',
      () => collector.metrics.pointsWritten.get().then((m) => m.values[0]?.value === total),
      30_000,
    );
    // The worker reports rows to delete; the ingest thread deletes them on its own connection.
    await until('outbox empty', () => collector.outbox.depth().rows === 0, 10_000);
    await until(
      'points searchable',
      async () => {
        await victoriaFlush(vm.url);
        const [line] = await victoriaExport(vm.url, '{__name__="air_pm25",device="aq-w2"}');
        return line?.timestamps.length === 20 * INSTANTS;
      },
      30_000,
    );
    const [pm10] = await victoriaExport(vm.url, '{__name__="air_pm10",device="aq-w1"}');
    const byTime = new Map<number, number>();
    for (const [i, t] of (pm10?.timestamps ?? []).entries()) byTime.set(t, pm10?.values[i] ?? Number.NaN);
    expect(byTime.size).toBe(20 * INSTANTS);
    expect(byTime.get(T0 + (7 * INSTANTS + 3) * 1000)).toBeCloseTo(7003.1, 6);
    expect(await counter(collector, 'xs_collector_write_seconds')).toMatch(
      /xs_collector_write_seconds_count [1-9]/,
    );
    expect(records.some((r) => r.msg === 'drain worker lost; draining in the main thread from now on')).toBe(
      false,
    );
    expect(collector.deadLetters.list()).toEqual([]);
  }, 90_000);
});

describe('outbox drain in a worker thread, against a database that refuses', () => {
  let dir: string;
  const fake = new FakeInflux();

  beforeAll(async () => {
    dir = await tempDir('xs-worker-refuse-');
    await fake.start();
  });
  afterAll(async () => {
    await fake.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('retries after a 503, sets aside only the row refused for good, and reports both', async () => {
    const { collector } = await collectorWithLog({
      mqtt: { url: 'mqtt://127.0.0.1:1', clientId: 'collector-worker-refuse' },
      store: { kind: 'influxdb', url: fake.url, version: '2', bucket: 'b' },
      outbox: { path: join(dir, 'state.db'), minBackoffMs: 50, maxBackoffMs: 200 },
      metrics: { port: 0 },
      alarms: { enabled: false },
      indices: { enabled: false },
    });
    try {
      const point = (n: number) => ({
        measurement: 'air',
        tags: { device: 'st-r', source: 'aqms' },
        fields: { pm25: n },
        time: T0 + n * 1000,
      });
      fake.refusals = [{ status: 503, retryAfter: '1' }];
      collector.state.transaction(() => collector.outbox.enqueue([point(1), point(2)]))();
      collector.drainer.notify();
      await until('a failure seen', () => collector.drainer.consecutiveFailures === 1, 10_000);
      expect(collector.drainer.lastFailure).toMatch(/HTTP 503/);
      await until('written after the wait', () => fake.acceptedLines().length === 2, 10_000);
      await until('failures cleared', () => collector.drainer.consecutiveFailures === 0, 5000);
      expect(collector.drainer.lastFailure).toBeNull();

      // Two rows in one batch; the database refuses the batch, then the first row alone.
      fake.refusals = [{ status: 400 }, { status: 400 }];
      collector.state.transaction(() => {
        collector.outbox.enqueue([point(10), point(11)]);
        collector.outbox.enqueue([point(20), point(21), point(22)]);
      })();
      collector.drainer.notify();
      await until('outbox empty', () => collector.outbox.depth().rows === 0, 10_000);
      expect(fake.acceptedLines()).toHaveLength(5);
      const dead = collector.state
        .prepare<{ stage: string; reason: string }>('SELECT stage, reason FROM dead_letters')
        .all();
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ stage: 'store' });
      expect(dead[0]?.reason).toMatch(/HTTP 400/);
      expect(await counter(collector, 'xs_collector_dead_letters_total')).toMatch(/stage="store"} 1/);
      expect(await counter(collector, 'xs_collector_write_failures_total')).toMatch(/retryable="false"} 2/);
      expect(await counter(collector, 'xs_collector_write_failures_total')).toMatch(/retryable="true"} 1/);
      expect(await counter(collector, 'xs_collector_points_written_total')).toMatch(/_total 5$/m);
    } finally {
      await collector.stop();
    }
  }, 60_000);
});
