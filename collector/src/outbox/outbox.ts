import type { SqliteDatabase, SqliteStatement } from '../sqlite.js';
import type { Point } from '../store/types.js';

export interface OutboxBatch {
  ids: number[];
  lastId: number;
  points: Point[];
}

/** Points waiting for the time-series store, on disk; rows leave only after the store accepted them. */
export class Outbox {
  private readonly insert: SqliteStatement;
  private readonly select: SqliteStatement<{ id: number; point_count: number; points: string }>;
  private readonly del: SqliteStatement;
  private readonly stats: SqliteStatement<{ rows: number; points: number | null; oldest: number | null }>;
  private readonly setAsideStmt: SqliteStatement;
  private pointCount: number;

  constructor(private readonly db: SqliteDatabase) {
    this.insert = db.prepare('INSERT INTO outbox (created_at, point_count, points) VALUES (?, ?, ?)');
    this.select = db.prepare('SELECT id, point_count, points FROM outbox WHERE id > ? ORDER BY id LIMIT ?');
    this.del = db.prepare('DELETE FROM outbox WHERE id = ?');
    this.stats = db.prepare(
      'SELECT count(*) AS rows, sum(point_count) AS points, min(created_at) AS oldest FROM outbox',
    );
    this.setAsideStmt = db.prepare(
      `INSERT INTO dead_letters (stage, topic, payload, payload_bytes, reason, received_at)
       SELECT 'store', '', points, length(points), ?, created_at FROM outbox WHERE id = ?`,
    );
    this.pointCount = this.stats.get()?.points ?? 0;
  }

  /** Call inside the caller's transaction, so the points and the ingest state commit together. */
  enqueue(points: readonly Point[], now = Date.now()): void {
    if (points.length === 0) return;
    this.insert.run(now, points.length, JSON.stringify(points));
    this.pointCount += points.length;
  }

  /** Oldest rows first, up to maxPoints points (always at least one row), from after `afterId`. */
  peek(maxPoints: number, maxRows = Number.MAX_SAFE_INTEGER, afterId = 0): OutboxBatch | null {
    const ids: number[] = [];
    const points: Point[] = [];
    for (const row of this.select.iterate(afterId, Math.min(maxRows, 100_000))) {
      if (ids.length > 0 && points.length + row.point_count > maxPoints) break;
      ids.push(row.id);
      for (const p of JSON.parse(row.points) as Point[]) points.push(p);
      if (points.length >= maxPoints) break;
    }
    const lastId = ids[ids.length - 1];
    return lastId === undefined ? null : { ids, lastId, points };
  }

  remove(batch: OutboxBatch): void {
    this.db.transaction(() => {
      for (const id of batch.ids) this.del.run(id);
    })();
    this.pointCount = Math.max(0, this.pointCount - batch.points.length);
  }

  /** A row the store refuses for good (e.g. a field type conflict) is kept as a dead letter, not retried forever. */
  setAside(batch: OutboxBatch, reason: string): void {
    this.db.transaction(() => {
      for (const id of batch.ids) {
        this.setAsideStmt.run(reason, id);
        this.del.run(id);
      }
    })();
    this.pointCount = Math.max(0, this.pointCount - batch.points.length);
  }

  depth(): { rows: number; points: number; oldestCreatedAt: number | null } {
    const s = this.stats.get();
    return { rows: s?.rows ?? 0, points: s?.points ?? 0, oldestCreatedAt: s?.oldest ?? null };
  }

  /** Cheap running count for metrics between full stats reads. */
  get pendingPoints(): number {
    return this.pointCount;
  }
}
