import type { SqliteDatabase } from '../../sqlite.js';

/** Rollup resolutions, finest first; each rollup keeps min/max/sum/count so any aggregate can be re-derived. */
export const ROLLUPS = [
  { table: 'rollup_5m', widthMs: 5 * 60_000 },
  { table: 'rollup_1h', widthMs: 60 * 60_000 },
] as const;
export type RollupTable = (typeof ROLLUPS)[number]['table'];

export function createEmbeddedSchema(db: SqliteDatabase): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS series (
      id INTEGER PRIMARY KEY,
      measurement TEXT NOT NULL,
      tags TEXT NOT NULL,
      UNIQUE (measurement, tags)
    );
    CREATE TABLE IF NOT EXISTS raw (
      series_id INTEGER NOT NULL,
      field TEXT NOT NULL,
      time INTEGER NOT NULL,
      value REAL NOT NULL,
      PRIMARY KEY (series_id, field, time)
    ) WITHOUT ROWID;
  `);
  for (const r of ROLLUPS) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS ${r.table} (
        series_id INTEGER NOT NULL,
        field TEXT NOT NULL,
        bucket INTEGER NOT NULL,
        min REAL NOT NULL,
        max REAL NOT NULL,
        sum REAL NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (series_id, field, bucket)
      ) WITHOUT ROWID;
    `);
  }
}

/** Tags as stored: sorted keys, so the same tag set always maps to the same series row. */
export function canonicalTags(tags: Record<string, string>): string {
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(tags).sort()) sorted[key] = tags[key] as string;
  return JSON.stringify(sorted);
}
