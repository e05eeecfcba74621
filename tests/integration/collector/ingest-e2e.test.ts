import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Alarm, AlarmSchema, filters, topics } from '@xaso/device-profiles/contract';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Collector, startCollector } from '../../../collector/src/collector.js';
import { CollectorConfigSchema } from '../../../collector/src/config/schema.js';
import { EmbeddedStore } from '../../../collector/src/store/embedded/embedded-store.js';
import { startMosquitto } from '../../harness/index.js';
import { until } from './wait.js';

type Broker = Awaited<ReturnType<typeof startMosquitto>>;

const T0 = Date.now() - 3_600_000;

function batch(deviceId: string, seq: number, channels = ['pm25', 'pm10', 'no2']): string {
  const ts = T0 + seq * 60_000;
  return JSON.stringify({
    v: 1,
    deviceId,
    seq,
    ts,
    readings: channels.map((channel, i) => ({
      source: 'aqms',
      channel,
      value: seq * 10 + i,
      unit: 'µg/m³',
      ts,
      quality: 'good',
    })),
  });
}

describe('ingest end to end through a real broker', () => {
  let dir: string;
  let broker: Broker;
  let collector: Collector;
  let storePath: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xs-ingest-'));
    broker = await startMosquitto();
    storePath = join(dir, 'ts.db');
    collector = await startCollector(
      CollectorConfigSchema.parse({
        mqtt: { url: broker.url, clientId: 'collector-e2e', protocolVersion: 5 },
        store: { kind: 'embedded', path: storePath },
        outbox: { path: join(dir, 'state.db') },
        metrics: { port: 0 },
        areas: { 'gw-a': 'xa-phuoc-vinh' },
        alarms: {
          rules: [
            {
              id: 'pm25-spike',
              kind: 'threshold',
              channel: 'pm25',
              comparison: 'max',
              limit: 500,
              stationIds: ['gw-alarm'],
            },
          ],
        },
        logLevel: 'silent',
      }),
    );
    await collector.ready();
  });

  afterAll(async () => {
    await collector?.stop();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores every reading once despite duplicates, reordering, a gap filled later and bad messages', async () => {
    const pub = await mqtt.connectAsync(broker.url, { clientId: 'gw-a-pub' });
    const t = topics.telemetry('gw-a');
    const sequence = [1, 2, 3, 3, 2, 6, 5, 7, 7, 1];
    for (const seq of sequence) await pub.publishAsync(t, batch('gw-a', seq), { qos: 1 });
    await pub.publishAsync(t, '{"v":1,"deviceId":', { qos: 1 });
    await pub.publishAsync(t, JSON.stringify({ v: 1, deviceId: 'gw-a', seq: 8, ts: T0, readings: [] }), {
      qos: 1,
    });
    await pub.publishAsync(t, batch('gw-b', 1), { qos: 1 });
    await until('first messages handled', () => collector.deadLetters.list().length === 3);
    const gapsOpen = collector.state
      .prepare("SELECT from_seq, to_seq FROM seq_gaps WHERE origin = 'gap'")
      .all();
    expect(gapsOpen).toEqual([{ from_seq: 4, to_seq: 4 }]);
    // The backlog drain: seq 4 arrives last and fills the gap.
    await pub.publishAsync(t, batch('gw-a', 4), { qos: 1 });
    await pub.endAsync();
    await until(
      'gap filled',
      () => collector.state.prepare("SELECT * FROM seq_gaps WHERE origin = 'gap'").all().length === 0,
    );
    await until('outbox drained', () => collector.outbox.depth().rows === 0);

    const store = new EmbeddedStore({ path: storePath, rawRetentionDays: 30, rollup5mRetentionDays: 400 });
    const r = await store.query({
      measurement: 'air',
      fields: ['pm25', 'pm10', 'no2'],
      where: { device: 'gw-a' },
      from: T0,
      to: T0 + 10 * 60_000,
      aggregate: 'count',
      maxPoints: 100_000,
    });
    await store.close();
    expect(r.series.map((s) => s.points.length)).toEqual([7, 7, 7]);
    expect(r.series[0]?.tags).toEqual({
      device: 'gw-a',
      source: 'aqms',
      profile: 'air-station-aqms',
      commune: 'xa-phuoc-vinh',
    });

    const reasons = collector.deadLetters.list().map((d) => d.reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/payload is not JSON/),
        expect.stringMatching(/invalid telemetry payload: readings/),
        expect.stringMatching(/payload deviceId gw-b does not match topic device gw-a/),
      ]),
    );
    const history = collector.state.prepare('SELECT from_seq, to_seq FROM seq_gap_history').all();
    expect(history).toEqual([{ from_seq: 4, to_seq: 5 }]);
    const metrics = await collector.metrics.registry.metrics();
    expect(metrics).toMatch(/xs_collector_duplicates_total\{kind="telemetry"\} 4/);
    expect(metrics).toMatch(/xs_collector_dead_letters_total\{stage="decode"\} 3/);
    expect(metrics).toMatch(/xs_collector_gaps_total\{kind="telemetry"\} 1/);
  });

  it('serves /metrics over HTTP with the outbox gauges', async () => {
    const res = await fetch(`http://127.0.0.1:${collector.metricsPort}/metrics`);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toMatch(/xs_collector_outbox_points 0/);
    expect(text).toMatch(/xs_collector_points_written_total \d+/);
  });

  it('raises, acknowledges and clears an alarm, publishing each change on the alarm topic', async () => {
    const seen: Alarm[] = [];
    const watcher = await mqtt.connectAsync(broker.url, { clientId: 'alarm-watcher' });
    watcher.on('message', (_topic, payload) => seen.push(AlarmSchema.parse(JSON.parse(payload.toString()))));
    await watcher.subscribeAsync(filters.allAlarms, { qos: 1 });
    const pub = await mqtt.connectAsync(broker.url, { clientId: 'gw-alarm-pub' });
    const reading = (seq: number, value: number) =>
      JSON.stringify({
        v: 1,
        deviceId: 'gw-alarm',
        seq,
        ts: Date.now(),
        readings: [{ source: 'pm', channel: 'pm25', value, unit: 'µg/m³', ts: Date.now(), quality: 'good' }],
      });
    await pub.publishAsync(topics.telemetry('gw-alarm'), reading(1, 800), { qos: 1 });
    await until('alarm raised', () => seen.length === 1);
    expect(seen[0]).toMatchObject({
      stationId: 'gw-alarm',
      ruleId: 'pm25-spike',
      state: 'raised',
      value: 800,
      limit: 500,
    });
    const id = seen[0]?.id ?? '';
    expect(collector.alarms?.acknowledge(id, 'officer.lan')).toMatchObject({ ok: true });
    await until('alarm acknowledged', () => seen.length === 2);
    expect(seen[1]).toMatchObject({ id, state: 'acknowledged', by: 'officer.lan' });
    await pub.publishAsync(topics.telemetry('gw-alarm'), reading(2, 20), { qos: 1 });
    await until('alarm cleared', () => seen.length === 3);
    expect(seen[2]).toMatchObject({ id, state: 'cleared' });
    expect(collector.alarms?.open()).toEqual([]);
    await pub.endAsync();
    await watcher.endAsync();
  });
});
