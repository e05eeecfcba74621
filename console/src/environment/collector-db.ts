import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { SqliteDatabase } from '@xaso/broker';
import type { AlarmRecord } from '@xaso/collector';

type ReadOnlyConstructor = new (
  path: string,
  options: { readonly: true; fileMustExist: true; timeout: number },
) => SqliteDatabase;
const ReadOnlyDatabase = createRequire(import.meta.url)('better-sqlite3') as ReadOnlyConstructor;

export interface AlarmQuery {
  states: readonly AlarmRecord['state'][];
  stationIds?: readonly string[];
  /** Raised at or after / before (epoch ms). */
  from?: number;
  to?: number;
  limit: number;
}

/**
 * The collector's state database, read-only: alarm lifecycles and device presence. The collector owns
 * every write; opened on first use so a console started before the collector picks the file up later.
 */
export class CollectorDb {
  private db: SqliteDatabase | undefined;

  constructor(private readonly path: string | undefined) {}

  private open(): SqliteDatabase | undefined {
    if (this.db) return this.db;
    if (!this.path || !existsSync(this.path)) return undefined;
    this.db = new ReadOnlyDatabase(this.path, { readonly: true, fileMustExist: true, timeout: 5000 });
    return this.db;
  }

  private hasTable(db: SqliteDatabase, name: string): boolean {
    return (
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined
    );
  }

  /** Undefined when the collector's alarm table is not there (no collector configured, or not started yet). */
  alarms(q: AlarmQuery): AlarmRecord[] | undefined {
    const db = this.open();
    if (!db || !this.hasTable(db, 'alarms')) return undefined;
    if (q.states.length === 0 || q.stationIds?.length === 0) return [];
    const where = [`state IN (${q.states.map(() => '?').join(',')})`];
    const args: (string | number)[] = [...q.states];
    if (q.stationIds) {
      where.push(`station_id IN (${q.stationIds.map(() => '?').join(',')})`);
      args.push(...q.stationIds);
    }
    if (q.from !== undefined) {
      where.push('raised_at >= ?');
      args.push(q.from);
    }
    if (q.to !== undefined) {
      where.push('raised_at < ?');
      args.push(q.to);
    }
    const rows = db
      .prepare(`SELECT record FROM alarms WHERE ${where.join(' AND ')} ORDER BY raised_at DESC LIMIT ?`)
      .all(...args, q.limit) as { record: string }[];
    return rows.map((r) => JSON.parse(r.record) as AlarmRecord);
  }

  alarm(id: string): AlarmRecord | undefined {
    const db = this.open();
    if (!db || !this.hasTable(db, 'alarms')) return undefined;
    const row = db.prepare('SELECT record FROM alarms WHERE id = ?').get(id) as
      | { record: string }
      | undefined;
    return row ? (JSON.parse(row.record) as AlarmRecord) : undefined;
  }

  /** Last reported state per device (online/offline), from the statuses the collector stored. */
  presence(): Map<string, { online: boolean; ts: number }> {
    const out = new Map<string, { online: boolean; ts: number }>();
    const db = this.open();
    if (!db || !this.hasTable(db, 'device_presence')) return out;
    const rows = db.prepare('SELECT device_id, state, ts FROM device_presence').all() as {
      device_id: string;
      state: string;
      ts: number;
    }[];
    for (const r of rows) out.set(r.device_id, { online: r.state === 'online', ts: r.ts });
    return out;
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
  }
}
