import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Reading,
  type TelemetryBatch,
  toTelemetryColumns,
  topics,
} from '@xaso/device-profiles/contract';
import mqtt from 'mqtt';
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
import { until } from './wait.js';

type Broker = Awaited<ReturnType<typeof startMosquitto>>;
type Victoria = Awaited<ReturnType<typeof startVictoriaMetrics>>;

const T0 = Date.now() - 600_000;
const CHANNELS = ['pm25', 'pm10', 'no2'];

/** 20 instants × 3 channels; one instant's pm10 unreadable (a quality flag, not a value). */
function station(deviceId: string, seq: number): TelemetryBatch {
  const readings: Reading[] = [];
  for (let i = 0; i < 20; i++) {
    const ts = T0 + (seq * 20 + i) * 1000;
    for (const [c, channel] of CHANNELS.entries()) {
      const bad = i === 5 && channel === 'pm10';
      readings.push({
        source: 'aqms',
        channel,
        value: bad ? null : seq * 100 + i + c / 10,
        unit: 'µg/m³',
        ts,
        quality: bad ? 'comm_error' : 'good',
      });
    }
  }
  return { v: 1, deviceId, seq, ts: T0 + seq * 20_000, readings };
}

describe('columnar telemetry (v 2) through a real broker into VictoriaMetrics', () => {
  let dir: string;
  let broker: Broker;
  let vm: Victoria;
  let collector: Collector;

  beforeAll(async () => {
    dir = await tempDir('xs-columnar-');
    [broker, vm] = await Promise.all([startMosquitto(), startVictoriaMetrics()]);
    collector = await startCollector(
      CollectorConfigSchema.parse({
        mqtt: { url: broker.url, clientId: 'collector-columnar' },
        store: { kind: 'influxdb', url: vm.url, version: '2', bucket: 'xaso' },
        outbox: { path: join(dir, 'state.db'), minBackoffMs: 50, maxBackoffMs: 200 },
        metrics: { port: 0 },
        logLevel: 'silent',
      }),
    );
    await collector.ready();
  }, 60_000);

  afterAll(async () => {
    await collector?.stop();
    await Promise.all([broker?.stop(), vm?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('stores the same series from a columnar batch as from its reading list, through line-protocol rows', async () => {
    const client = await mqtt.connectAsync(broker.url, { clientId: 'columnar-pub' });
    for (let seq = 1; seq <= 3; seq++) {
      const list = station('aq-list', seq);
      const table = toTelemetryColumns(station('aq-table', seq));
      expect(table?.v).toBe(2);
      await client.publishAsync(topics.telemetry('aq-list'), JSON.stringify(list), { qos: 1 });
      await client.publishAsync(topics.telemetry('aq-table'), JSON.stringify(table), { qos: 1 });
    }
    await client.endAsync();
    // 2 devices × 3 batches × (20 points + 1 quality flag).
    await until(
      'outbox drained',
      () => collector.metrics.pointsWritten.get().then((m) => m.values[0]?.value === 126),
      30_000,
    );
    const encodings = collector.state
      .prepare<{ n: number }>("SELECT count(*) AS n FROM outbox WHERE encoding != 'lp'")
      .get();
    expect(encodings?.n).toBe(0);
    const series = async (device: string, name: string) => {
      const [line] = await victoriaExport(vm.url, `{__name__="${name}",device="${device}"}`);
      const byTime = new Map<number, number>();
      for (const [i, t] of (line?.timestamps ?? []).entries()) byTime.set(t, line?.values[i] ?? Number.NaN);
      return [...byTime].sort((a, b) => a[0] - b[0]);
    };
    await until(
      'points searchable',
      async () => {
        await victoriaFlush(vm.url);
        return (await series('aq-table', 'air_pm25')).length === 60;
      },
      30_000,
    );
    for (const name of ['air_pm25', 'air_pm10', 'air_no2', 'quality_flags_count'])
      expect(await series('aq-table', name), name).toEqual(await series('aq-list', name));
    expect((await series('aq-table', 'air_pm10')).length).toBe(57);
    expect(await series('aq-table', 'air_no2')).toContainEqual([T0 + 21_000, 101.2]);
    expect(collector.deadLetters.list()).toEqual([]);
  }, 90_000);
});
