import { topics } from '@xaso/device-profiles/contract';
import { describe, expect, it } from 'vitest';
import { MessagePipeline } from '../../../collector/src/ingest/message-pipeline.js';
import { CollectorMetrics } from '../../../collector/src/metrics.js';
import { Outbox, batchPoints } from '../../../collector/src/outbox/outbox.js';
import { SourceClassifier } from '../../../collector/src/schema/measurements.js';
import { openStateDb } from '../../../collector/src/state/state-db.js';
import type { Point } from '../../../collector/src/store/types.js';

const T0 = Date.UTC(2026, 10, 20, 0);

function telemetry(
  deviceId: string,
  seq: number,
  extra: Partial<{ quality: string; value: number | null }> = {},
) {
  return Buffer.from(
    JSON.stringify({
      v: 1,
      deviceId,
      seq,
      ts: T0 + seq * 60_000,
      readings: [
        {
          source: 'aqms',
          channel: 'pm25',
          value: extra.value ?? 10 + seq,
          unit: 'µg/m³',
          ts: T0 + seq * 60_000,
          quality: extra.quality ?? 'good',
        },
        { source: 'aqms', channel: 'no2', value: 40, unit: 'µg/m³', ts: T0 + seq * 60_000, quality: 'good' },
        { source: 'probe', channel: 'ph', value: 7.1, unit: 'pH', ts: T0 + seq * 60_000, quality: 'good' },
      ],
    }),
  );
}

function setup() {
  const db = openStateDb(':memory:');
  const outbox = new Outbox(db);
  const metrics = new CollectorMetrics();
  const pipeline = new MessagePipeline(db, outbox, metrics, {
    classifier: new SourceClassifier({ 'gw-9': { aqms: 'pm-sensor-rs485' } }),
    areas: { 'gw-1': 'xa-tan-lap' },
  });
  const queued = (): Point[] => {
    const batch = outbox.peek(1_000_000);
    return batch ? batchPoints(batch) : [];
  };
  return { db, outbox, pipeline, queued };
}

describe('message pipeline: dedupe, gaps, dead letters', () => {
  it('maps readings to domain measurements with device, source, profile and commune tags', () => {
    const { pipeline, queued } = setup();
    pipeline.handle(topics.telemetry('gw-1'), telemetry('gw-1', 1));
    const points = queued();
    expect(points).toHaveLength(2);
    expect(points[0]).toEqual({
      measurement: 'air',
      tags: { device: 'gw-1', source: 'aqms', profile: 'air-station-aqms', commune: 'xa-tan-lap' },
      fields: { pm25: 11, no2: 40 },
      time: T0 + 60_000,
    });
    expect(points[1]?.measurement).toBe('water');
    expect(points[1]?.tags.profile).toBe('water-multiprobe');
  });

  it('keeps flagged readings out of the channel fields, in quality_flags', () => {
    const { pipeline, queued } = setup();
    pipeline.handle(topics.telemetry('gw-9'), telemetry('gw-9', 1, { quality: 'stuck', value: 99 }));
    const flags = queued().filter((p) => p.measurement === 'quality_flags');
    expect(flags).toHaveLength(1);
    expect(flags[0]?.tags).toMatchObject({
      channel: 'pm25',
      quality: 'stuck',
      profile: 'pm-sensor-rs485',
      domain: 'air',
    });
    expect(flags[0]?.fields).toEqual({ count: 1, value: 99 });
    const air = queued().find((p) => p.measurement === 'air');
    expect(air?.fields).toEqual({ no2: 40 });
  });

  it('drops redeliveries, records a gap and accepts its late seqs exactly once', () => {
    const { db, pipeline } = setup();
    const t = topics.telemetry('gw-2');
    const outcomes = [1, 2, 2, 5, 1, 3, 3, 4, 5, 6].map(
      (seq) => pipeline.handle(t, telemetry('gw-2', seq)).outcome,
    );
    expect(outcomes).toEqual([
      'stored',
      'stored',
      'duplicate',
      'stored',
      'duplicate',
      'stored',
      'duplicate',
      'stored',
      'duplicate',
      'stored',
    ]);
    const history = db.prepare('SELECT from_seq, to_seq, note FROM seq_gap_history').all();
    expect(history).toEqual([{ from_seq: 3, to_seq: 4, note: 'missing' }]);
    expect(db.prepare("SELECT * FROM seq_gaps WHERE origin = 'gap'").all()).toEqual([]);
  });

  it('keeps the still-missing part of a partly filled gap open', () => {
    const { db, pipeline } = setup();
    const t = topics.telemetry('gw-3');
    for (const seq of [10, 20, 15]) pipeline.handle(t, telemetry('gw-3', seq));
    expect(
      db.prepare("SELECT from_seq, to_seq FROM seq_gaps WHERE origin = 'gap' ORDER BY from_seq").all(),
    ).toEqual([
      { from_seq: 11, to_seq: 14 },
      { from_seq: 16, to_seq: 19 },
    ]);
  });

  it('treats a lower seq with a newer timestamp as a restarted counter, not a duplicate', () => {
    const { pipeline } = setup();
    const t = topics.telemetry('gw-4');
    for (const seq of [1, 2, 3]) pipeline.handle(t, telemetry('gw-4', seq));
    const restarted = JSON.parse(telemetry('gw-4', 1).toString());
    restarted.ts = T0 + 100 * 60_000;
    const outcome = pipeline.handle(t, Buffer.from(JSON.stringify(restarted)));
    expect(outcome).toMatchObject({ outcome: 'stored', sequence: 'counter-reset' });
  });

  it('accepts seqs below the first one ever seen exactly once (a backlog or reordering at first contact)', () => {
    const { pipeline } = setup();
    const t = topics.telemetry('gw-7');
    const outcomes = [5, 3, 4, 3, 6, 1, 2, 1].map(
      (seq) => pipeline.handle(t, telemetry('gw-7', seq)).outcome,
    );
    expect(outcomes).toEqual([
      'stored',
      'stored',
      'stored',
      'duplicate',
      'stored',
      'stored',
      'stored',
      'duplicate',
    ]);
  });

  it('keeps malformed, invalid and mismatched messages as dead letters with their reason', () => {
    const { pipeline, queued } = setup();
    const bad = [
      pipeline.handle(topics.telemetry('gw-5'), Buffer.from('{not json')),
      pipeline.handle(
        topics.telemetry('gw-5'),
        Buffer.from(JSON.stringify({ v: 1, deviceId: 'gw-5', seq: -1 })),
      ),
      pipeline.handle(topics.telemetry('gw-5'), telemetry('gw-6', 1)),
      pipeline.handle(topics.command('gw-5'), Buffer.from('{}')),
    ];
    expect(bad.every((o) => o.kind === 'dead-letter')).toBe(true);
    const letters = pipeline.deadLetters.list();
    expect(letters).toHaveLength(4);
    const reasons = letters.map((l) => l.reason).reverse();
    expect(reasons[0]).toMatch(/not JSON/);
    expect(reasons[1]).toMatch(/invalid telemetry payload: .*seq/);
    expect(reasons[2]).toMatch(/does not match topic device gw-5/);
    expect(reasons[3]).toMatch(/invalid cmd payload|does not ingest cmd/);
    expect(queued()).toHaveLength(0);
  });

  it('stores statuses as presence (newest wins) and events/acks exactly once', () => {
    const { db, pipeline, queued } = setup();
    const status = (ts: number, state: string) =>
      Buffer.from(
        JSON.stringify({
          v: 1,
          deviceId: 'spk-1',
          state,
          ts,
          speaker: { playing: null, volume: 70, amplifier: 'on', mainsV: 229.5 },
        }),
      );
    pipeline.handle(topics.status('spk-1'), status(T0 + 2000, 'online'));
    pipeline.handle(topics.status('spk-1'), status(T0 + 1000, 'offline'));
    expect(db.prepare('SELECT state, ts FROM device_presence').all()).toEqual([
      { state: 'online', ts: T0 + 2000 },
    ]);
    const speaker = queued().find((p) => p.measurement === 'speaker_health');
    expect(speaker?.fields).toMatchObject({
      volume: 70,
      amplifier_relay: 1,
      mains_voltage: 229.5,
      playing: 0,
    });
    const event = Buffer.from(
      JSON.stringify({
        v: 1,
        deviceId: 'spk-1',
        seq: 1,
        ts: T0,
        event: { kind: 'fault', source: 'amp', code: 'amplifier', message: 'overcurrent' },
      }),
    );
    expect(pipeline.handle(topics.event('spk-1'), event).outcome).toBe('stored');
    expect(pipeline.handle(topics.event('spk-1'), event).outcome).toBe('duplicate');
    const ack = Buffer.from(
      JSON.stringify({
        v: 1,
        deviceId: 'spk-1',
        ref: { kind: 'schedule', version: 3 },
        status: 'received',
        ts: T0,
      }),
    );
    expect(pipeline.handle(topics.ack('spk-1'), ack).outcome).toBe('stored');
    expect(pipeline.handle(topics.ack('spk-1'), ack).outcome).toBe('duplicate');
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
  });
});
