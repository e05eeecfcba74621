import type { TelemetryColumns } from '@xaso/device-profiles/contract';
import { columnLineBytes } from '../schema/column-lines.js';
import type { SourceClassifier } from '../schema/measurements.js';
import { columnPoints } from '../schema/telemetry-points.js';
import type { SqliteDatabase, SqliteStatement } from '../sqlite.js';
import { fromLines, toLines } from '../store/influx/line-protocol.js';
import type { Point } from '../store/types.js';

/** How a row keeps its points: ready line protocol for stores that take it, JSON points otherwise. */
export type OutboxEncoding = 'lp' | 'json';

/**
 * What turns a `columns` row (a v 2 telemetry batch kept as it arrived) into lines at drain time: the
 * same classifier and device → commune map ingest would have used.
 */
export interface ColumnContext {
  classifier: SourceClassifier;
  areas: Record<string, string>;
}

export interface OutboxBatch {
  ids: number[];
  lastId: number;
  /** Points the rows hold, whatever their encoding. */
  pointCount: number;
  /** Rows kept as line protocol, one chunk per row (newline-separated lines; bytes when built at drain). */
  lineChunks: Array<string | Buffer>;
  /** Rows kept as JSON points (rows from before line protocol, or for stores that need points). */
  jsonPoints: Point[];
}

/** The whole batch as points, for stores that take points (each line-protocol row parsed back). */
export function batchPoints(batch: OutboxBatch): Point[] {
  if (batch.lineChunks.length === 0) return batch.jsonPoints;
  const points = [...batch.jsonPoints];
  for (const chunk of batch.lineChunks)
    for (const p of fromLines(typeof chunk === 'string' ? chunk : chunk.toString('utf8'))) points.push(p);
  return points;
}

const NEWLINE = Buffer.from('\n');

/** The whole batch as one line-protocol body, for stores that take lines as they are. */
export function batchLines(batch: OutboxBatch): string | Buffer<ArrayBuffer> {
  const parts = [...batch.lineChunks];
  if (batch.jsonPoints.length > 0) parts.push(toLines(batch.jsonPoints).join('\n'));
  const filled = parts.filter((p) => p.length > 0);
  if (filled.every((p) => typeof p === 'string')) return filled.join('\n');
  const bytes: Uint8Array[] = [];
  for (const part of filled) {
    if (bytes.length > 0) bytes.push(NEWLINE);
    bytes.push(typeof part === 'string' ? Buffer.from(part) : part);
  }
  return Buffer.concat(bytes);
}

interface Row {
  id: number;
  point_count: number;
  points: string;
  encoding: string;
}

/** Which rows a batch was, for removing them or setting them aside. */
export type OutboxRows = Pick<OutboxBatch, 'ids' | 'pointCount'>;

/** Reads batches only: what a drain thread needs, on its own (read-only) connection. */
export class OutboxReader {
  private readonly select: SqliteStatement<Row>;

  constructor(
    db: SqliteDatabase,
    private readonly columns: ColumnContext | null = null,
  ) {
    this.select = db.prepare(
      'SELECT id, point_count, points, encoding FROM outbox WHERE id > ? ORDER BY id LIMIT ?',
    );
  }

  /** Oldest rows first, up to maxPoints points (always at least one row), from after `afterId`. */
  peek(maxPoints: number, maxRows = Number.MAX_SAFE_INTEGER, afterId = 0): OutboxBatch | null {
    const batch: OutboxBatch = { ids: [], lastId: 0, pointCount: 0, lineChunks: [], jsonPoints: [] };
    for (const row of this.select.iterate(afterId, Math.min(maxRows, 100_000))) {
      if (batch.ids.length > 0 && batch.pointCount + row.point_count > maxPoints) break;
      batch.ids.push(row.id);
      batch.lastId = row.id;
      batch.pointCount += row.point_count;
      if (row.encoding === 'lp') batch.lineChunks.push(row.points);
      else if (row.encoding === 'columns') this.addColumns(batch, row.points);
      else for (const p of JSON.parse(row.points) as Point[]) batch.jsonPoints.push(p);
      if (batch.pointCount >= maxPoints) break;
    }
    return batch.ids.length === 0 ? null : batch;
  }

  private addColumns(batch: OutboxBatch, text: string): void {
    if (!this.columns)
      throw new Error('an outbox row holds a telemetry table but no column context was given');
    // Checked against the contract at ingest, before it was committed: our own row, not foreign input.
    const table = JSON.parse(text) as TelemetryColumns;
    const ctx = { classifier: this.columns.classifier, commune: this.columns.areas[table.deviceId] };
    const lines = columnLineBytes(table, ctx);
    if (lines) batch.lineChunks.push(lines.bytes);
    else for (const p of columnPoints(table, ctx).points) batch.jsonPoints.push(p);
  }
}

/** Points waiting for the time-series store, on disk; rows leave only after the store accepted them. */
export class Outbox {
  private readonly insert: SqliteStatement;
  private readonly reader: OutboxReader;
  private readonly del: SqliteStatement;
  private readonly stats: SqliteStatement<{ rows: number; points: number | null; oldest: number | null }>;
  private readonly setAsideStmt: SqliteStatement;
  private pointCount: number;

  constructor(
    private readonly db: SqliteDatabase,
    readonly encoding: OutboxEncoding = 'json',
    private readonly columns: ColumnContext | null = null,
    /** Write `columns` rows (any outbox with a context reads them): worth it when a worker drains. */
    private readonly storeColumns = false,
  ) {
    this.insert = db.prepare(
      'INSERT INTO outbox (created_at, point_count, points, encoding) VALUES (?, ?, ?, ?)',
    );
    this.reader = new OutboxReader(db, columns);
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
    const encoded = this.encoding === 'lp' ? toLines(points).join('\n') : JSON.stringify(points);
    this.insert.run(now, points.length, encoded, this.encoding);
    this.pointCount += points.length;
  }

  /** Ready line protocol (`count` points), for an outbox that keeps lines; inside the caller's transaction. */
  enqueueLines(lines: string, count: number, now = Date.now()): void {
    if (this.encoding !== 'lp') throw new Error('this outbox keeps JSON points, not line protocol');
    if (count === 0) return;
    this.insert.run(now, count, lines, 'lp');
    this.pointCount += count;
  }

  /** Whether v 2 telemetry tables can be kept as they arrived (lines built at drain time). */
  get keepsColumns(): boolean {
    return this.storeColumns && this.encoding === 'lp' && this.columns !== null;
  }

  /**
   * A v 2 batch as received (`count` lines once built), inside the caller's transaction: ingest then
   * neither builds lines nor stores their ~3× larger text; the drain (a worker thread) builds them.
   */
  enqueueColumns(payload: string, count: number, now = Date.now()): void {
    if (!this.keepsColumns) throw new Error('this outbox cannot turn telemetry tables into lines');
    if (count === 0) return;
    this.insert.run(now, count, payload, 'columns');
    this.pointCount += count;
  }

  /** Oldest rows first, up to maxPoints points (always at least one row), from after `afterId`. */
  peek(maxPoints: number, maxRows = Number.MAX_SAFE_INTEGER, afterId = 0): OutboxBatch | null {
    return this.reader.peek(maxPoints, maxRows, afterId);
  }

  remove(batch: OutboxRows): void {
    this.unsynced(() => {
      for (const id of batch.ids) this.del.run(id);
    });
    this.pointCount = Math.max(0, this.pointCount - batch.pointCount);
  }

  /** A row the store refuses for good (e.g. a field type conflict) is kept as a dead letter, not retried forever. */
  setAside(batch: OutboxRows, reason: string): void {
    this.unsynced(() => {
      for (const id of batch.ids) {
        this.setAsideStmt.run(reason, id);
        this.del.run(id);
      }
    });
    this.pointCount = Math.max(0, this.pointCount - batch.pointCount);
  }

  /**
   * A transaction committed without its own fsync (the next synced commit carries it). Losing it to a power
   * cut only brings written rows back, and writing them again overwrites the same points.
   */
  private unsynced(fn: () => void): void {
    const level = Number(this.db.pragma('synchronous', { simple: true }));
    if (level <= 1) {
      this.db.transaction(fn)();
      return;
    }
    this.db.pragma('synchronous = NORMAL');
    try {
      this.db.transaction(fn)();
    } finally {
      this.db.pragma(`synchronous = ${level}`);
    }
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
