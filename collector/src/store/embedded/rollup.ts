import type { SqliteDatabase, SqliteStatement } from '../../sqlite.js';
import { ROLLUPS } from './schema.js';

const [FIVE_MIN, ONE_HOUR] = ROLLUPS;

/**
 * Keeps the rollups exact under overwrites: a touched bucket is recomputed from the level below,
 * so writing the same point twice changes nothing. Buckets whose raw data retention already removed
 * are merged instead (recomputing them would shrink them to the late points alone).
 */
export class RollupMaintainer {
  private readonly recompute5m: SqliteStatement;
  private readonly merge5m: SqliteStatement;
  private readonly recompute1h: SqliteStatement;

  constructor(db: SqliteDatabase) {
    this.recompute5m = db.prepare(`
      INSERT OR REPLACE INTO ${FIVE_MIN.table} (series_id, field, bucket, min, max, sum, count)
      SELECT series_id, field, @b, min(value), max(value), sum(value), count(*)
      FROM raw WHERE series_id = @s AND field = @f AND time >= @b AND time < @b + ${FIVE_MIN.widthMs}
      GROUP BY series_id, field`);
    this.merge5m = db.prepare(`
      INSERT INTO ${FIVE_MIN.table} (series_id, field, bucket, min, max, sum, count)
      VALUES (@s, @f, @b, @v, @v, @v, 1)
      ON CONFLICT (series_id, field, bucket) DO UPDATE SET
        min = min(min, excluded.min), max = max(max, excluded.max),
        sum = sum + excluded.sum, count = count + 1`);
    this.recompute1h = db.prepare(`
      INSERT OR REPLACE INTO ${ONE_HOUR.table} (series_id, field, bucket, min, max, sum, count)
      SELECT series_id, field, @b, min(min), max(max), sum(sum), sum(count)
      FROM ${FIVE_MIN.table} WHERE series_id = @s AND field = @f AND bucket >= @b AND bucket < @b + ${ONE_HOUR.widthMs}
      GROUP BY series_id, field`);
  }

  /** Call inside the write transaction with every (series, field, time, value) written. */
  apply(
    touched: Iterable<{ seriesId: number; field: string; time: number; value: number }>,
    rawCutoff: number,
  ): void {
    const fiveMin = new Map<string, [number, string, number]>();
    for (const t of touched) {
      const bucket = Math.floor(t.time / FIVE_MIN.widthMs) * FIVE_MIN.widthMs;
      if (bucket < rawCutoff) {
        this.merge5m.run({ s: t.seriesId, f: t.field, b: bucket, v: t.value });
      }
      fiveMin.set(`${t.seriesId}\u0000${t.field}\u0000${bucket}`, [t.seriesId, t.field, bucket]);
    }
    const hours = new Map<string, [number, string, number]>();
    for (const [seriesId, field, bucket] of fiveMin.values()) {
      if (bucket >= rawCutoff) this.recompute5m.run({ s: seriesId, f: field, b: bucket });
      const hour = Math.floor(bucket / ONE_HOUR.widthMs) * ONE_HOUR.widthMs;
      hours.set(`${seriesId}\u0000${field}\u0000${hour}`, [seriesId, field, hour]);
    }
    for (const [seriesId, field, hour] of hours.values())
      this.recompute1h.run({ s: seriesId, f: field, b: hour });
  }
}
