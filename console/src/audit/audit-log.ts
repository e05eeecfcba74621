import type { SqliteDatabase } from '@xaso/broker';
import type { AuditLog } from '../app/env.js';
import { requestScope } from '../app/request-scope.js';

export interface AuditEntry {
  id: number;
  ts: number;
  actor: string;
  action: string;
  target: string | null;
  detail: unknown;
  address: string | null;
  requestId: string | null;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  target?: string;
  from?: number;
  to?: number;
  limit: number;
  beforeId?: number;
}

interface AuditRow {
  id: number;
  ts: number;
  actor: string;
  action: string;
  target: string | null;
  detail: string | null;
  address: string | null;
  request_id: string | null;
}

/** Append-only; the address and request id come from the request being served, when there is one. */
export class SqliteAuditLog implements AuditLog {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number = Date.now,
  ) {}

  record(entry: { actor: string; action: string; target?: string; detail?: unknown }): void {
    const scope = requestScope.getStore();
    this.db
      .prepare(
        'INSERT INTO console_audit (ts, actor, action, target, detail, address, request_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        this.now(),
        entry.actor,
        entry.action,
        entry.target ?? null,
        entry.detail === undefined ? null : JSON.stringify(entry.detail),
        scope?.address ?? null,
        scope?.requestId ?? null,
      );
  }

  /** Newest first; `action` matches a prefix so "user." finds every user action. */
  query(q: AuditQuery): AuditEntry[] {
    const conditions: [string, string | number | undefined][] = [
      ['actor = ?', q.actor],
      ["action LIKE ? ESCAPE '\\'", q.action === undefined ? undefined : `${escapeLike(q.action)}%`],
      ['target = ?', q.target],
      ['ts >= ?', q.from],
      ['ts < ?', q.to],
      ['id < ?', q.beforeId],
    ];
    const used = conditions.filter((c): c is [string, string | number] => c[1] !== undefined);
    const where = used.map(([sql]) => sql);
    const params = used.map(([, value]) => value);
    const sql = `SELECT * FROM console_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, q.limit) as AuditRow[];
    return rows.map((r) => ({
      id: r.id,
      ts: r.ts,
      actor: r.actor,
      action: r.action,
      target: r.target,
      detail: r.detail === null ? null : JSON.parse(r.detail),
      address: r.address,
      requestId: r.request_id,
    }));
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
