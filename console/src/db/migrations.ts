import { migrate } from '@xaso/broker';
import type { Migration, SqliteDatabase } from '@xaso/broker';

export const CONSOLE_NAMESPACE = 'console';

/** The console core's tables in the shared registry file; other console modules own their namespaces. */
export const consoleMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'users, sessions, audit, areas, device placement',
    sql: `
      CREATE TABLE console_users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        roles TEXT NOT NULL,
        area_ids TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        must_change_password INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE console_sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES console_users (id) ON DELETE CASCADE,
        csrf_token TEXT NOT NULL,
        address TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX console_sessions_by_user ON console_sessions (user_id);
      CREATE TABLE console_audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ts INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        detail TEXT,
        address TEXT,
        request_id TEXT
      );
      CREATE INDEX console_audit_by_time ON console_audit (ts);
      CREATE INDEX console_audit_by_actor ON console_audit (actor, ts);
      CREATE TABLE console_areas (
        id TEXT PRIMARY KEY,
        parent_id TEXT REFERENCES console_areas (id),
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        lat REAL,
        lon REAL,
        requires_approval INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX console_areas_by_parent ON console_areas (parent_id);
      CREATE TABLE console_devices (
        id TEXT PRIMARY KEY,
        profile TEXT,
        lat REAL,
        lon REAL,
        config_version INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL
      );
    `,
  },
];

export function migrateConsole(db: SqliteDatabase, now = Date.now()): void {
  migrate(db, CONSOLE_NAMESPACE, consoleMigrations, now);
}
