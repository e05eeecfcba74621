import { createRequire } from 'node:module';

/** The slice of better-sqlite3 the collector uses; typed here because the package ships no declarations. */
export interface SqliteRunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface SqliteStatement<Row = unknown> {
  run(...params: unknown[]): SqliteRunResult;
  get(...params: unknown[]): Row | undefined;
  all(...params: unknown[]): Row[];
  iterate(...params: unknown[]): IterableIterator<Row>;
}

export interface SqliteDatabase {
  prepare<Row = unknown>(sql: string): SqliteStatement<Row>;
  exec(sql: string): SqliteDatabase;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<Args extends unknown[], R>(fn: (...args: Args) => R): (...args: Args) => R;
  close(): SqliteDatabase;
  readonly open: boolean;
}

type SqliteConstructor = new (
  path: string,
  options?: { readonly?: boolean; timeout?: number },
) => SqliteDatabase;

const Database = createRequire(import.meta.url)('better-sqlite3') as SqliteConstructor;

/**
 * Opens a SQLite file in WAL mode. `full` syncs the WAL on every commit: what a durable
 * acknowledgement needs; NORMAL is enough for data that can be rebuilt.
 */
export function openSqlite(path: string, sync: 'full' | 'normal'): SqliteDatabase {
  const db = new Database(path, { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  return db;
}

/** A read-only connection to a WAL file another connection writes: it never takes the write lock. */
export function openSqliteReader(path: string): SqliteDatabase {
  return new Database(path, { readonly: true, timeout: 5000 });
}
