import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollectorMetrics } from '../../../collector/src/metrics.js';
import { type DrainRows, OutboxDrainer } from '../../../collector/src/outbox/drainer.js';
import { Outbox, type OutboxRows } from '../../../collector/src/outbox/outbox.js';
import { OutboxReader } from '../../../collector/src/outbox/outbox.js';
import { openSqliteReader } from '../../../collector/src/sqlite.js';
import { openStateDb } from '../../../collector/src/state/state-db.js';
import { EmbeddedStore } from '../../../collector/src/store/embedded/embedded-store.js';
import { type Point, StoreWriteError, type TimeSeriesStore } from '../../../collector/src/store/types.js';

const log = pino({ level: 'silent' });

function points(n: number, offset: number): Point[] {
  const t0 = Date.now() - 600_000;
  return Array.from({ length: n }, (_, i) => ({
    measurement: 'air',
    tags: { device: 'st-1', source: 'aqms' },
    fields: { pm25: i + offset },
    time: t0 + (i + offset) * 1000,
  }));
}

describe('outbox rows read on one connection, deleted on another', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xs-drain-rows-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a read-only connection sees committed rows, cannot write, and deletes keep the synced level', () => {
    const path = join(dir, 'state.db');
    const db = openStateDb(path);
    const outbox = new Outbox(db, 'lp');
    db.transaction(() => {
      outbox.enqueue(points(3, 0));
      outbox.enqueue(points(2, 10));
    })();
    const readerDb = openSqliteReader(path);
    const reader = new OutboxReader(readerDb);
    const first = reader.peek(3, 10, 0);
    expect(first?.ids).toHaveLength(1);
    expect(first?.pointCount).toBe(3);
    const rest = reader.peek(100, 10, first?.lastId ?? 0);
    expect(rest?.pointCount).toBe(2);
    expect(() => readerDb.prepare('DELETE FROM outbox').run()).toThrow(/readonly/i);

    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    outbox.remove(first as OutboxRows);
    // The delete skipped its own fsync but the connection is back to FULL for the next ingest commit.
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(reader.peek(100, 10, 0)?.pointCount).toBe(2);
    outbox.setAside(rest as OutboxRows, 'refused for the test');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(reader.peek(100, 10, 0)).toBeNull();
    const dead = db
      .prepare<{ reason: string }>("SELECT reason FROM dead_letters WHERE stage = 'store'")
      .all();
    expect(dead.map((d) => d.reason)).toEqual(['refused for the test']);
    readerDb.close();
    db.close();
  });

  it('the drain loop never sends a row twice while its deletes have not landed yet', async () => {
    const path = join(dir, 'deferred.db');
    const db = openStateDb(path);
    const outbox = new Outbox(db, 'json');
    const store = new EmbeddedStore({
      path: join(dir, 'ts.db'),
      rawRetentionDays: 30,
      rollup5mRetentionDays: 400,
    });
    const reader = new OutboxReader(openSqliteReader(path));
    // Like the drain worker: deletes are only recorded here and applied later, on another connection.
    const handedOff: OutboxRows[] = [];
    const rows: DrainRows = {
      peek: (maxPoints, maxRows, afterId) => reader.peek(maxPoints, maxRows, afterId),
      remove: (r) => handedOff.push(r),
      setAside: (r) => handedOff.push(r),
    };
    const metrics = new CollectorMetrics();
    const drainer = new OutboxDrainer(
      rows,
      store,
      { batchPoints: 4, minBackoffMs: 10, maxBackoffMs: 50 },
      metrics,
      log,
    );
    for (let m = 0; m < 5; m++) db.transaction(() => outbox.enqueue(points(3, m * 3)))();
    expect(await drainer.drainFor(10_000)).toBe(true);
    const ids = handedOff.flatMap((r) => r.ids);
    expect(ids).toEqual([...new Set(ids)]);
    expect(ids).toHaveLength(5);
    expect(outbox.depth().rows).toBe(5);
    for (const r of handedOff) outbox.remove(r);
    expect(outbox.depth().rows).toBe(0);
    const written = await store.query({
      measurement: 'air',
      fields: ['pm25'],
      from: Date.now() - 3_600_000,
      to: Date.now(),
      aggregate: 'count',
      maxPoints: 1,
      resolution: 'raw',
    });
    expect(written.series[0]?.points[0]?.[1]).toBe(15);
    expect(await metrics.registry.getSingleMetricAsString('xs_collector_points_written_total')).toMatch(
      /xs_collector_points_written_total 15/,
    );
    await store.close();
    db.close();
  });

  it('reads the next batch while the store takes one, and drops it when that write fails', async () => {
    const db = openStateDb(join(dir, 'ahead.db'));
    const outbox = new Outbox(db, 'lp');
    for (let m = 0; m < 6; m++) db.transaction(() => outbox.enqueue(points(2, m * 2)))();
    const events: string[] = [];
    const bodies: string[] = [];
    let failNext = 2;
    const store = {
      kind: 'fake',
      async writeLines(lines: string | Buffer<ArrayBuffer>): Promise<void> {
        const body = lines.toString();
        events.push(`write ${body.split('\n').length}`);
        await new Promise((r) => setTimeout(r, 20));
        // The second write fails once (retryable): the batch read ahead of it must not be sent.
        if (--failNext === 0) throw new StoreWriteError('busy', true);
        bodies.push(body);
        events.push('written');
      },
    } as unknown as TimeSeriesStore;
    const rows: DrainRows = {
      peek: (maxPoints, maxRows, afterId) => {
        events.push(`peek after ${afterId}`);
        return outbox.peek(maxPoints, maxRows, afterId);
      },
      remove: (r) => outbox.remove(r),
      setAside: (r) => outbox.setAside(r, 'refused'),
    };
    const drainer = new OutboxDrainer(
      rows,
      store,
      { batchPoints: 4, minBackoffMs: 5, maxBackoffMs: 10 },
      new CollectorMetrics(),
      log,
    );
    drainer.start();
    await until(() => outbox.depth().rows === 0);
    await drainer.stop();
    // Every point once, in order, although one write failed with the next batch already built.
    const sent = bodies.flatMap((b) => b.split('\n')).map((line) => Number(/pm25=(\d+)/.exec(line)?.[1]));
    expect(sent).toEqual(Array.from({ length: 12 }, (_, i) => i));
    // The second batch was read while the first was still being written.
    expect(events.slice(0, 3)).toEqual(['peek after 0', 'write 4', 'peek after 2']);
    db.close();
  });
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error('timed out');
}
