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

interface PresenceHead {
  device_id: string;
  state: 'online' | 'offline';
  ts: number;
  received_at: number;
}
interface PresenceDbRow extends PresenceHead {
  status: string;
}
const PRESENCE_COLUMNS = 'device_id, state, ts, received_at, status';

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
  /** The last whole-fleet read, parsed; rows are replaced, never changed, so callers may keep them. */
  private presenceCache = new Map<string, PresenceRow>();
  private presenceVersion: number | undefined;

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

  /**
   * Every device's presence (the overview's whole-fleet read). Statuses are parsed again only for rows
   * that changed since the last call: parsing 11,000 of them was most of a live snapshot's time.
   */
  allPresence(): Map<string, PresenceRow> {
    // Nothing committed to the collector's file since the last read: that read still holds.
    const version = this.query(
      (db) => (db.prepare('PRAGMA data_version').get() as { data_version: number }).data_version,
    );
    if (version !== undefined && version === this.presenceVersion) return this.presenceCache;
    const heads = this.query(
      (db) =>
        db.prepare('SELECT device_id, state, ts, received_at FROM device_presence').all() as PresenceHead[],
    );
    if (!heads) return new Map();
    const stale = heads.filter((h) => {
      const known = this.presenceCache.get(h.device_id);
      return !known || known.ts !== h.ts || known.receivedAt !== h.received_at || known.state !== h.state;
    });
    // Many changes (the first call): one scan; a few: one lookup each.
    const rows =
      stale.length > heads.length / 10
        ? this.query(
            (db) => db.prepare(`SELECT ${PRESENCE_COLUMNS} FROM device_presence`).all() as PresenceDbRow[],
          )
        : stale.flatMap(
            (h) =>
              this.query(
                (db) =>
                  db
                    .prepare(`SELECT ${PRESENCE_COLUMNS} FROM device_presence WHERE device_id = ?`)
                    .get(h.device_id) as PresenceDbRow | undefined,
              ) ?? [],
          );
    const fresh = new Map<string, PresenceRow>();
    for (const row of rows ?? [])
      fresh.set(row.device_id, {
        state: row.state,
        ts: row.ts,
        receivedAt: row.received_at,
        status: JSON.parse(row.status),
      });
    const out = new Map<string, PresenceRow>();
    for (const h of heads) {
      const row = fresh.get(h.device_id) ?? this.presenceCache.get(h.device_id);
      if (row) out.set(h.device_id, row);
    }
    this.presenceCache = out;
    this.presenceVersion = version;
    return out;
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
