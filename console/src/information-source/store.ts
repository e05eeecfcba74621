import { type Migration, type SqliteDatabase, migrate } from '@xaso/broker';

export const INFORMATION_SOURCE_NAMESPACE = 'information_source';

export const informationSourceMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'outbox, cursors, published state, bulletins',
    sql: `
      CREATE TABLE infosrc_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        -- State messages (station, cluster, schedule) coalesce on key: only the newest is worth sending.
        coalesce_key TEXT UNIQUE,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT
      );
      CREATE INDEX infosrc_outbox_due ON infosrc_outbox (next_attempt_at, id);
      CREATE TABLE infosrc_published (
        key TEXT PRIMARY KEY,
        digest TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE TABLE infosrc_cursors (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      CREATE TABLE infosrc_bulletins (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        level TEXT NOT NULL,
        kind TEXT NOT NULL,
        audio_id TEXT,
        text TEXT,
        language TEXT NOT NULL,
        valid_from INTEGER NOT NULL,
        valid_to INTEGER NOT NULL,
        area_ids TEXT NOT NULL,
        issuer TEXT NOT NULL,
        status TEXT NOT NULL,
        reason TEXT,
        decided_by TEXT,
        decided_at INTEGER,
        received_at INTEGER NOT NULL
      );
      CREATE INDEX infosrc_bulletins_by_status ON infosrc_bulletins (status, received_at);
    `,
  },
];

export function migrateInformationSource(db: SqliteDatabase): void {
  migrate(db, INFORMATION_SOURCE_NAMESPACE, informationSourceMigrations);
}

export interface OutboxMessage {
  id: number;
  method: 'PUT' | 'POST';
  path: string;
  body: string;
  attempts: number;
  createdAt: number;
}

interface OutboxRow {
  id: number;
  method: 'PUT' | 'POST';
  path: string;
  body: string;
  attempts: number;
  created_at: number;
}

/**
 * Everything we owe the province, on disk in the console's SQLite until the province answers 2xx:
 * a restart or a week-long outage loses nothing. Delivery is in id order per due time.
 */
export class Outbox {
  constructor(private readonly db: SqliteDatabase) {}

  /** Appends a message; with a key, replaces a not-yet-sent message of the same key (newest state wins). */
  enqueue(msg: { method: 'PUT' | 'POST'; path: string; body: unknown; key?: string }, now: number): void {
    const body = JSON.stringify(msg.body);
    if (msg.key) {
      this.db
        .prepare(
          `INSERT INTO infosrc_outbox (coalesce_key, method, path, body, created_at, next_attempt_at)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (coalesce_key) DO UPDATE SET method = excluded.method, path = excluded.path,
             body = excluded.body, created_at = excluded.created_at, attempts = 0, last_error = NULL,
             next_attempt_at = excluded.next_attempt_at`,
        )
        .run(msg.key, msg.method, msg.path, body, now, now);
      return;
    }
    this.db
      .prepare(
        'INSERT INTO infosrc_outbox (method, path, body, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(msg.method, msg.path, body, now, now);
  }

  due(now: number, limit: number): OutboxMessage[] {
    const rows = this.db
      .prepare(
        `SELECT id, method, path, body, attempts, created_at FROM infosrc_outbox
         WHERE next_attempt_at <= ? ORDER BY id LIMIT ?`,
      )
      .all(now, limit) as OutboxRow[];
    return rows.map((r) => ({ ...r, createdAt: r.created_at }));
  }

  delivered(id: number): void {
    this.db.prepare('DELETE FROM infosrc_outbox WHERE id = ?').run(id);
  }

  failed(id: number, error: string, retryAt: number): void {
    this.db
      .prepare(
        'UPDATE infosrc_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?',
      )
      .run(error.slice(0, 500), retryAt, id);
  }

  /** Everything due now: after credentials or data were fixed, nobody should wait out a back-off. */
  retryAllNow(now: number): void {
    this.db.prepare('UPDATE infosrc_outbox SET next_attempt_at = ?').run(now);
  }

  depth(): { messages: number; oldestAt: number | null; lastError: string | null } {
    const row = this.db
      .prepare(
        `SELECT count(*) AS n, min(created_at) AS oldest,
          (SELECT last_error FROM infosrc_outbox WHERE last_error IS NOT NULL ORDER BY id LIMIT 1) AS err
         FROM infosrc_outbox`,
      )
      .get() as { n: number; oldest: number | null; err: string | null };
    return { messages: row.n, oldestAt: row.oldest, lastError: row.err };
  }
}

/** Small persisted values: cursors of the incremental exports and digests of what was published. */
export class SyncState {
  constructor(private readonly db: SqliteDatabase) {}

  cursor(name: string): string | null {
    const row = this.db.prepare('SELECT value FROM infosrc_cursors WHERE name = ?').get(name) as
      | { value: string }
      | undefined;
    return row?.value ?? null;
  }

  setCursor(name: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO infosrc_cursors (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      )
      .run(name, value);
  }

  /** True when the digest differs from the last one published under the key (and records it). */
  changed(key: string, digest: string, now: number): boolean {
    const row = this.db.prepare('SELECT digest FROM infosrc_published WHERE key = ?').get(key) as
      | { digest: string }
      | undefined;
    if (row?.digest === digest) return false;
    this.db
      .prepare(
        `INSERT INTO infosrc_published (key, digest, at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET digest = excluded.digest, at = excluded.at`,
      )
      .run(key, digest, now);
    return true;
  }
}
