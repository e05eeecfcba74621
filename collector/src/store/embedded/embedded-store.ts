import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type SqliteDatabase, type SqliteStatement, openSqlite } from '../../sqlite.js';
import {
  type LatestQuery,
  LatestQuerySchema,
  type LatestValue,
  type Point,
  type QueryResult,
  type Series,
  type SeriesQuery,
  SeriesQuerySchema,
  StoreWriteError,
  type TimeSeriesStore,
  bucketWidth,
} from '../types.js';
import { RollupMaintainer } from './rollup.js';
import { ROLLUPS, canonicalTags, createEmbeddedSchema } from './schema.js';

const DAY_MS = 86_400_000;

export interface EmbeddedStoreOptions {
  path: string;
  rawRetentionDays: number;
  rollup5mRetentionDays: number;
  /** Clock for retention; tests move it. */
  now?: () => number;
}

interface SeriesRow {
  id: number;
  tags: string;
}

/** The zero-setup store: SQLite with raw points and 5-minute/1-hour rollups kept exact on every write. */
export class EmbeddedStore implements TimeSeriesStore {
  readonly kind = 'embedded';
  private readonly db: SqliteDatabase;
  private readonly seriesIds = new Map<string, number>();
  private readonly insertSeries: SqliteStatement;
  private readonly selectSeries: SqliteStatement<{ id: number }>;
  private readonly upsertRaw: SqliteStatement;
  private readonly rollups: RollupMaintainer;
  private readonly now: () => number;

  constructor(private readonly options: EmbeddedStoreOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = openSqlite(options.path, 'full');
    createEmbeddedSchema(this.db);
    this.insertSeries = this.db.prepare('INSERT OR IGNORE INTO series (measurement, tags) VALUES (?, ?)');
    this.selectSeries = this.db.prepare('SELECT id FROM series WHERE measurement = ? AND tags = ?');
    this.upsertRaw = this.db.prepare(
      'INSERT OR REPLACE INTO raw (series_id, field, time, value) VALUES (?, ?, ?, ?)',
    );
    this.rollups = new RollupMaintainer(this.db);
    this.now = options.now ?? Date.now;
  }

  private seriesId(measurement: string, tags: Record<string, string>): number {
    const key = canonicalTags(tags);
    const cacheKey = `${measurement}\u0000${key}`;
    const cached = this.seriesIds.get(cacheKey);
    if (cached !== undefined) return cached;
    this.insertSeries.run(measurement, key);
    const row = this.selectSeries.get(measurement, key);
    if (!row) throw new StoreWriteError(`series ${measurement} ${key} vanished`, false);
    this.seriesIds.set(cacheKey, row.id);
    return row.id;
  }

  private readonly writeTx = (points: readonly Point[]): void => {
    const touched: Array<{ seriesId: number; field: string; time: number; value: number }> = [];
    for (const p of points) {
      const seriesId = this.seriesId(p.measurement, p.tags);
      for (const [field, value] of Object.entries(p.fields)) {
        if (!Number.isFinite(value)) continue;
        this.upsertRaw.run(seriesId, field, p.time, value);
        touched.push({ seriesId, field, time: p.time, value });
      }
    }
    this.rollups.apply(touched, this.now() - this.options.rawRetentionDays * DAY_MS);
  };

  async write(points: readonly Point[]): Promise<void> {
    try {
      this.db.transaction(this.writeTx)(points);
    } catch (err) {
      this.seriesIds.clear();
      throw new StoreWriteError(`embedded store write failed: ${(err as Error).message}`, true);
    }
  }

  private matchingSeries(
    measurement: string,
    where: Record<string, string>,
  ): Array<{ id: number; tags: Record<string, string> }> {
    const rows = this.db
      .prepare<SeriesRow>('SELECT id, tags FROM series WHERE measurement = ?')
      .all(measurement);
    return rows
      .map((r) => ({ id: r.id, tags: JSON.parse(r.tags) as Record<string, string> }))
      .filter((s) => Object.entries(where).every(([k, v]) => s.tags[k] === v));
  }

  async query(input: SeriesQuery): Promise<QueryResult> {
    const q = SeriesQuerySchema.parse(input);
    const wanted = bucketWidth(q.from, q.to, q.maxPoints);
    const rollup =
      q.resolution === 'raw' ? undefined : [...ROLLUPS].reverse().find((r) => wanted >= r.widthMs);
    const resolutionMs = rollup?.widthMs ?? 1;
    const intervalMs = Math.ceil(wanted / resolutionMs) * resolutionMs;
    const valueExpr = rollup
      ? { mean: 'sum(sum) / sum(count)', min: 'min(min)', max: 'max(max)', count: 'sum(count)' }[q.aggregate]
      : { mean: 'avg(value)', min: 'min(value)', max: 'max(value)', count: 'count(value)' }[q.aggregate];
    const timeCol = rollup ? 'bucket' : 'time';
    const stmt = this.db.prepare<{ b: number; v: number }>(
      `SELECT CAST(${timeCol} / @width AS INTEGER) AS b, ${valueExpr} AS v FROM ${rollup?.table ?? 'raw'}
       WHERE series_id = @s AND field = @f AND ${timeCol} >= @from AND ${timeCol} < @to
       GROUP BY b ORDER BY b`,
    );
    const series: Series[] = [];
    for (const s of this.matchingSeries(q.measurement, q.where)) {
      for (const field of q.fields) {
        const rows = stmt.all({ s: s.id, f: field, from: q.from, width: intervalMs, to: q.to });
        if (rows.length === 0) continue;
        series.push({ tags: s.tags, field, points: rows.map((r) => [r.b * intervalMs, r.v]) });
      }
    }
    return { intervalMs, resolution: rollup?.table ?? 'raw', series };
  }

  async latest(input: LatestQuery): Promise<LatestValue[]> {
    const q = LatestQuerySchema.parse(input);
    const stmt = this.db.prepare<{ time: number; value: number }>(
      'SELECT time, value FROM raw WHERE series_id = ? AND field = ? ORDER BY time DESC LIMIT 1',
    );
    const out: LatestValue[] = [];
    for (const s of this.matchingSeries(q.measurement, q.where)) {
      for (const field of q.fields) {
        const row = stmt.get(s.id, field);
        if (row) out.push({ tags: s.tags, field, time: row.time, value: row.value });
      }
    }
    return out;
  }

  /** Deletes raw points and 5-minute rollups older than their retention; the 1-hour rollup is kept. */
  applyRetention(): { rawDeleted: number; rollupDeleted: number } {
    const rawCutoff = this.now() - this.options.rawRetentionDays * DAY_MS;
    const rollupCutoff = this.now() - this.options.rollup5mRetentionDays * DAY_MS;
    const pairs = this.db
      .prepare<{ series_id: number; field: string }>('SELECT DISTINCT series_id, field FROM rollup_1h')
      .all();
    const delRaw = this.db.prepare('DELETE FROM raw WHERE series_id = ? AND field = ? AND time < ?');
    const delRollup = this.db.prepare(
      'DELETE FROM rollup_5m WHERE series_id = ? AND field = ? AND bucket < ?',
    );
    let rawDeleted = 0;
    let rollupDeleted = 0;
    this.db.transaction(() => {
      for (const p of pairs) {
        rawDeleted += delRaw.run(p.series_id, p.field, rawCutoff).changes;
        rollupDeleted += delRollup.run(p.series_id, p.field, rollupCutoff).changes;
      }
    })();
    return { rawDeleted, rollupDeleted };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
