import { topics } from '@xaso/device-profiles/contract';
import { describe, expect, it } from 'vitest';
import { MessagePipeline } from '../../../collector/src/ingest/message-pipeline.js';
import { CollectorMetrics } from '../../../collector/src/metrics.js';
import { Outbox, batchLines } from '../../../collector/src/outbox/outbox.js';
import { SourceClassifier } from '../../../collector/src/schema/measurements.js';
import { openStateDb } from '../../../collector/src/state/state-db.js';

const T0 = Date.UTC(2026, 10, 20, 0);

function telemetry(deviceId: string, seq: number): { topic: string; payload: Buffer } {
  const ts = T0 + seq * 60_000;
  const reading = (channel: string, value: number) => ({
    source: 'aqms',
    channel,
    value,
    unit: 'µg/m³',
    ts,
    quality: 'good',
  });
  return {
    topic: topics.telemetry(deviceId),
    payload: Buffer.from(
      JSON.stringify({ v: 1, deviceId, seq, ts, readings: [reading('pm25', seq), reading('no2', 40)] }),
    ),
  };
}

function setup() {
  const db = openStateDb(':memory:');
  const outbox = new Outbox(db, 'lp');
  const pipeline = new MessagePipeline(db, outbox, new CollectorMetrics(), {
    classifier: new SourceClassifier({}),
    areas: {},
  });
  const count = (table: string): number =>
    db.prepare<{ n: number }>(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? -1;
  return { db, outbox, pipeline, count };
}

describe('write-through: a rolled-back preview, then the commit', () => {
  it('previews the lines the outbox would get, and leaves no trace before the commit', () => {
    const { outbox, pipeline, count } = setup();
    const group = pipeline.decodeGroup([
      telemetry('st-1', 1),
      telemetry('st-1', 2),
      { topic: topics.telemetry('st-1'), payload: Buffer.from('{broken') },
    ]);
    const lines = pipeline.preview(group);
    expect(lines.points).toBe(2);
    expect(lines.written.map((w) => w?.points ?? null)).toEqual([1, 1, null]);
    // Nothing recorded: a crash now leaves these messages new to the next collector.
    expect(count('sequences')).toBe(0);
    expect(count('seq_gaps')).toBe(0);
    expect(count('dead_letters')).toBe(0);
    expect(outbox.pendingPoints).toBe(0);

    // The same group through the outbox gives the same lines.
    const other = setup();
    other.pipeline.handleGroup([telemetry('st-1', 1), telemetry('st-1', 2)]);
    const queued = other.outbox.peek(1000);
    expect(queued && batchLines(queued)).toBe(lines.body);
  });

  it('commits written messages without outbox rows, and queues what the preview did not write', () => {
    const { outbox, pipeline, count } = setup();
    pipeline.handleGroup([telemetry('st-2', 1)]);
    const first = outbox.peek(1000);
    if (first) outbox.remove(first);

    // seq 1 again is a duplicate (nothing to write); seq 2 and 3 are new.
    const group = pipeline.decodeGroup([telemetry('st-2', 1), telemetry('st-2', 2), telemetry('st-2', 3)]);
    const lines = pipeline.preview(group);
    expect(lines.written.map((w) => w !== null)).toEqual([false, true, true]);
    // Only seq 2 made it to the store (say the body was cut short): seq 3 must go to the outbox.
    const outcomes = pipeline.commitGroup(group, Date.now(), [null, lines.written[1] ?? null, null]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['duplicate', 'stored', 'stored']);
    expect(outcomes.map((o) => (o.kind === 'telemetry' ? o.points : -1))).toEqual([0, 1, 1]);
    expect(outbox.pendingPoints).toBe(1);
    const queued = outbox.peek(1000);
    expect(queued && batchLines(queued)).toContain(`pm25=3,no2=40 ${T0 + 3 * 60_000}`);
    expect(queued && batchLines(queued)).not.toContain('pm25=2,');
    expect(count('seq_gap_history')).toBe(0);
  });

  it('a redelivery after a commit is a duplicate again, so it is neither written nor queued twice', () => {
    const { outbox, pipeline } = setup();
    const group = pipeline.decodeGroup([telemetry('st-3', 1)]);
    const lines = pipeline.preview(group);
    pipeline.commitGroup(group, Date.now(), lines.written);
    expect(outbox.pendingPoints).toBe(0);
    const again = pipeline.decodeGroup([telemetry('st-3', 1)]);
    expect(pipeline.preview(again).points).toBe(0);
    expect(pipeline.commitGroup(again, Date.now(), null).map((o) => o.outcome)).toEqual(['duplicate']);
    expect(outbox.pendingPoints).toBe(0);
  });
});
