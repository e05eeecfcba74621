import { createRequire } from 'node:module';

/** The part of better-sqlite3 the queue uses, typed here because the project ships no @types/better-sqlite3. */
export type SqlValue = string | number | bigint | null | Buffer;

export interface Statement {
  run(...params: SqlValue[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: SqlValue[]): unknown;
  all(...params: SqlValue[]): unknown[];
}

export interface SqliteDb {
  readonly open: boolean;
  prepare(sql: string): Statement;
  exec(sql: string): SqliteDb;
  pragma(source: string): unknown;
  transaction<A extends unknown[], T>(fn: (...args: A) => T): (...args: A) => T;
  close(): SqliteDb;
}

const require = createRequire(import.meta.url);
export const Database = require('better-sqlite3') as new (filename: string) => SqliteDb;
