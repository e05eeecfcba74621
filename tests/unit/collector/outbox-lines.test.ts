import { rmSync } from 'node:fs';
import { toTelemetryColumns, topics } from '@xaso/device-profiles/contract';
import type { TelemetryBatch } from '@xaso/device-profiles/contract';
import { describe, expect, it } from 'vitest';
import { MessagePipeline } from '../../../collector/src/ingest/message-pipeline.js';
import { CollectorMetrics } from '../../../collector/src/metrics.js';
import { Outbox, batchLines, batchPoints } from '../../../collector/src/outbox/outbox.js';
import { SourceClassifier } from '../../../collector/src/schema/measurements.js';
import { openSqlite } from '../../../collector/src/sqlite.js';
import { openStateDb } from '../../../collector/src/state/state-db.js';
import { fromLines, lineTimes, toLines } from '../../../collector/src/store/influx/line-protocol.js';
import type { Point } from '../../../collector/src/store/types.js';
import { tempDir } from '../../harness/index.js';

const T0 = Date.UTC(2026, 10, 30, 0);

const points: Point[] = [
  {
    measurement: 'air',
    tags: { device: 'aq-1', source: 'aqms' },
    fields: { pm25: 12.5, pm10: 30 },
    time: T0,
  },
  // Names with every character line protocol escapes.
  {
    measurement: 'quality flags,x',
    tags: { device: 'aq-1', channel: 'pm 2,5=x', note: 'a\nb' },
    fields: { 'odd key=1': -1e-7, count: 1 },
    time: T0 + 1,
  },
];

function station(seq: number): TelemetryBatch {
  const ts = T0 + seq * 60_000;
  return {
    v: 1,
    deviceId: 'aq-1',
    seq,
    ts,
    readings: [
      { source: 'aqms', channel: 'pm25', value: 10 + seq, unit: 'µg/m³', ts, quality: 'good' },
      { source: 'aqms', channel: 'pm10', value: null, unit: 'µg/m³', ts, quality: 'comm_error' },
    ],
  };
}

describe('outbox rows as ready line protocol', () => {
  it('reads back exactly what it wrote, escapes included', () => {
    const text = toLines(points).join('\n');
    expect(fromLines(text)).toEqual(points);
    expect(lineTimes(text)).toEqual([T0, T0 + 1]);
  });

  it('keeps line protocol rows and JSON rows side by side and drains both', () => {
    const db = openStateDb(':memory:');
    new Outbox(db, 'json').enqueue(points.slice(0, 1));
    const outbox = new Outbox(db, 'lp');
    outbox.enqueue(points.slice(1));
    const rows = db.prepare<{ encoding: string }>('SELECT encoding FROM outbox ORDER BY id').all();
    expect(rows.map((r) => r.encoding)).toEqual(['json', 'lp']);
    const batch = outbox.peek(100);
    expect(batch?.pointCount).toBe(2);
    if (!batch) throw new Error('no batch');
    expect(batchLines(batch).toString().split('\n').sort()).toEqual(toLines(points).sort());
    expect(batchPoints(batch)).toEqual(points);
    outbox.remove(batch);
    expect(outbox.depth().rows).toBe(0);
  });

  it('adds the encoding column to a state file from before it, its rows read as JSON', async () => {
    const dir = await tempDir('xs-outbox-lp-');
    const path = `${dir}/state.db`;
    const old = openSqlite(path, 'full');
    old.exec(
      'CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, created_at INTEGER NOT NULL, point_count INTEGER NOT NULL, points TEXT NOT NULL)',
    );
    old
      .prepare('INSERT INTO outbox (created_at, point_count, points) VALUES (?, ?, ?)')
      .run(1, 1, JSON.stringify(points.slice(0, 1)));
    old.close();
    const db = openStateDb(path);
    const batch = new Outbox(db, 'lp').peek(10);
    if (!batch) throw new Error('no batch');
    expect(batchLines(batch)).toBe(toLines(points.slice(0, 1)).join('\n'));
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('queues the same lines for a columnar batch as for its reading list', () => {
    const lines = (payload: object): string => {
      const db = openStateDb(':memory:');
      const outbox = new Outbox(db, 'lp');
      const pipeline = new MessagePipeline(db, outbox, new CollectorMetrics(), {
        classifier: new SourceClassifier({}),
        areas: { 'aq-1': 'xa-an-binh' },
      });
      const outcome = pipeline.handle(topics.telemetry('aq-1'), Buffer.from(JSON.stringify(payload)));
      expect(outcome).toMatchObject({ kind: 'telemetry', outcome: 'stored', points: 2, flagged: 1 });
      const batch = outbox.peek(100);
      return batch ? batchLines(batch).toString() : '';
    };
    const list = station(3);
    const columns = toTelemetryColumns(list);
    expect(columns?.v).toBe(2);
    const fromList = lines(list);
    expect(fromList).toContain('air,commune=xa-an-binh,device=aq-1');
    expect(lines(columns ?? {})).toBe(fromList);
  });
});
