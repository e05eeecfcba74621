import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { SqliteDatabase } from '@xaso/broker';
import type { Logger } from 'pino';

type ReadOnlyConstructor = new (
  path: string,
  options: { readonly: true; fileMustExist: true; timeout: number },
) => SqliteDatabase;
const ReadOnlyDatabase = createRequire(import.meta.url)('better-sqlite3') as ReadOnlyConstructor;

export interface PresenceRow {
  state: 'online' | 'offline';
  ts: number;
  receivedAt: number;
  status: unknown;
}

export interface DeviceEventRow {
  seq: number;
  ts: number;
  kind: string;
  body: unknown;
  receivedAt: number;
}

/**
 * The collector's state DB, read-only: presence and the device events it stored exactly once. Opened on
 * first use, so a console started before the collector picks it up once the file exists.
 */
export class CollectorState {
  private db: SqliteDatabase | undefined;

  constructor(
    private readonly path: string | undefined,
    private readonly log: Logger,
  ) {}

  get configured(): boolean {
    return this.path !== undefined;
  }

  presence(deviceId: string): PresenceRow | undefined {
    const row = this.query(
      (db) =>
        db
          .prepare('SELECT state, ts, received_at, status FROM device_presence WHERE device_id = ?')
          .get(deviceId) as
          | { state: 'online' | 'offline'; ts: number; received_at: number; status: string }
          | undefined,
    );
    return (
      row && { state: row.state, ts: row.ts, receivedAt: row.received_at, status: JSON.parse(row.status) }
    );
  }

  /** Newest first; `beforeSeq` pages further back. Undefined when the DB is not available. */
  events(deviceId: string, limit: number, beforeSeq?: number): DeviceEventRow[] | undefined {
    const rows = this.query(
      (db) =>
        db
          .prepare(
            'SELECT seq, ts, kind, body, received_at FROM events WHERE device_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
          )
          .all(deviceId, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit) as {
          seq: number;
          ts: number;
          kind: string;
          body: string;
          received_at: number;
        }[],
    );
    return rows?.map((r) => ({
      seq: r.seq,
      ts: r.ts,
      kind: r.kind,
      body: JSON.parse(r.body),
      receivedAt: r.received_at,
    }));
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
  }

  private query<T>(run: (db: SqliteDatabase) => T): T | undefined {
    const db = this.open();
    if (!db) return undefined;
    try {
      return run(db);
    } catch (err) {
      this.log.warn({ path: this.path, err: (err as Error).message }, 'collector state DB query failed');
      return undefined;
    }
  }

  private open(): SqliteDatabase | undefined {
    if (this.db || !this.path || !existsSync(this.path)) return this.db;
    try {
      this.db = new ReadOnlyDatabase(this.path, { readonly: true, fileMustExist: true, timeout: 2000 });
    } catch (err) {
      this.log.warn({ path: this.path, err: (err as Error).message }, 'collector state DB not readable');
    }
    return this.db;
  }
}
