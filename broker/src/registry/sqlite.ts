import { createRequire } from 'node:module';

/**
 * The part of better-sqlite3's API the registry (and the console, sharing the file) uses, typed
 * here because the project does not ship @types/better-sqlite3.
 */
export type SqlValue = string | number | bigint | null | Buffer;

export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface Statement {
  run(...params: SqlValue[]): RunResult;
  get(...params: SqlValue[]): unknown;
  all(...params: SqlValue[]): unknown[];
}

export interface Transaction<T> {
  (): T;
  deferred(): T;
  immediate(): T;
  exclusive(): T;
}

export interface SqliteDatabase {
  readonly name: string;
  readonly open: boolean;
  readonly inTransaction: boolean;
  prepare(sql: string): Statement;
  exec(sql: string): SqliteDatabase;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<T>(fn: () => T): Transaction<T>;
  close(): SqliteDatabase;
}

type DatabaseConstructor = new (filename: string, options?: { timeout?: number }) => SqliteDatabase;

const require = createRequire(import.meta.url);
export const Database = require('better-sqlite3') as DatabaseConstructor;
