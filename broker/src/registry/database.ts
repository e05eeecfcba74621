import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Database } from './sqlite.js';
import type { SqliteDatabase } from './sqlite.js';

/**
 * Opens the shared SQLite file the way every component must: WAL so the console can read while the
 * broker writes, a busy timeout instead of instant SQLITE_BUSY, and enforced foreign keys.
 */
export function openDatabase(dbPath: string, busyTimeoutMs = 5000): SqliteDatabase {
  if (dbPath !== ':memory:') mkdirSync(dirname(dbPath), { recursive: true });
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  return db;
}
