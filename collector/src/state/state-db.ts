import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type SqliteDatabase, openSqlite } from '../sqlite.js';

/**
 * The collector's durable state, one SQLite file synced on every commit: the outbox and everything
 * ingest decides (sequences, gaps, dead letters, events, acks, presence). One transaction per MQTT
 * message covers all of it, and only then is the message acknowledged to the broker.
 */
export function openStateDb(path: string): SqliteDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = openSqlite(path, 'full');
  db.exec(`
    CREATE TABLE IF NOT EXISTS outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      created_at INTEGER NOT NULL,
      point_count INTEGER NOT NULL,
      points TEXT NOT NULL,
      -- 'lp': line protocol, ready for the store; 'json': an array of points;
      -- 'columns': a v 2 telemetry batch as received, turned into lines by the drain.
      encoding TEXT NOT NULL DEFAULT 'json'
    );
    CREATE TABLE IF NOT EXISTS sequences (
      device_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      last_seq INTEGER NOT NULL,
      last_ts INTEGER NOT NULL,
      PRIMARY KEY (device_id, kind)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS seq_gaps (
      device_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      from_seq INTEGER NOT NULL,
      to_seq INTEGER NOT NULL,
      detected_at INTEGER NOT NULL,
      -- 'gap': missing between seen seqs; 'before-first': below the first seq ever seen (not yet known missing).
      origin TEXT NOT NULL DEFAULT 'gap',
      PRIMARY KEY (device_id, kind, from_seq)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS seq_gap_history (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      device_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      from_seq INTEGER NOT NULL,
      to_seq INTEGER NOT NULL,
      detected_at INTEGER NOT NULL,
      note TEXT
    );
    CREATE TABLE IF NOT EXISTS dead_letters (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      stage TEXT NOT NULL,
      topic TEXT NOT NULL,
      payload TEXT NOT NULL,
      payload_bytes INTEGER NOT NULL,
      reason TEXT NOT NULL,
      received_at INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS device_presence (
      device_id TEXT PRIMARY KEY,
      state TEXT NOT NULL,
      ts INTEGER NOT NULL,
      received_at INTEGER NOT NULL,
      role TEXT,
      firmware TEXT,
      status TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS events (
      device_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      ts INTEGER NOT NULL,
      kind TEXT NOT NULL,
      body TEXT NOT NULL,
      received_at INTEGER NOT NULL,
      PRIMARY KEY (device_id, seq)
    );
    CREATE INDEX IF NOT EXISTS events_by_time ON events (ts);
    CREATE TABLE IF NOT EXISTS acks (
      device_id TEXT NOT NULL,
      ref_kind TEXT NOT NULL,
      ref_id TEXT NOT NULL,
      status TEXT NOT NULL,
      ts INTEGER NOT NULL,
      reason TEXT,
      received_at INTEGER NOT NULL,
      PRIMARY KEY (device_id, ref_kind, ref_id, status, ts)
    );
  `);
  // Rows from before the line-protocol outbox hold JSON points.
  const columns = db.prepare<{ name: string }>("SELECT name FROM pragma_table_info('outbox')").all();
  if (!columns.some((c) => c.name === 'encoding'))
    db.exec("ALTER TABLE outbox ADD COLUMN encoding TEXT NOT NULL DEFAULT 'json'");
  return db;
}
