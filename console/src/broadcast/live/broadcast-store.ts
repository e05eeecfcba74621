import type { SqliteDatabase } from '@xaso/broker';
import type { BroadcastRecord, BroadcastStatus } from './request.js';

interface Row {
  id: string;
  kind: BroadcastRecord['kind'];
  priority: BroadcastRecord['priority'];
  target: string;
  request: string;
  status: BroadcastStatus;
  origin: BroadcastRecord['origin'];
  clusters: string;
  command_ids: string;
  created_by: string;
  created_at: number;
  approved_by: string | null;
  decided_at: number | null;
  decision_note: string | null;
  sent_at: number | null;
}

function toRecord(r: Row): BroadcastRecord {
  return {
    id: r.id,
    kind: r.kind,
    priority: r.priority,
    targets: JSON.parse(r.target) as BroadcastRecord['targets'],
    request: JSON.parse(r.request) as BroadcastRecord['request'],
    status: r.status,
    origin: r.origin,
    clusters: JSON.parse(r.clusters) as string[],
    commandIds: JSON.parse(r.command_ids) as string[],
    createdBy: r.created_by,
    createdAt: r.created_at,
    approvedBy: r.approved_by,
    decidedAt: r.decided_at,
    decisionNote: r.decision_note,
    sentAt: r.sent_at,
  };
}

/** The broadcasts table: one row per play-now, live relay or emergency, with who sent and approved it. */
export class BroadcastStore {
  constructor(private readonly db: SqliteDatabase) {}

  save(b: BroadcastRecord): void {
    this.db
      .prepare(
        `INSERT INTO broadcasts (id, kind, priority, target, request, status, origin, clusters, command_ids,
           created_by, created_at, approved_by, decided_at, decision_note, sent_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, clusters = excluded.clusters,
           command_ids = excluded.command_ids, approved_by = excluded.approved_by,
           decided_at = excluded.decided_at, decision_note = excluded.decision_note, sent_at = excluded.sent_at`,
      )
      .run(
        b.id,
        b.kind,
        b.priority,
        JSON.stringify(b.targets),
        JSON.stringify(b.request),
        b.status,
        b.origin,
        JSON.stringify(b.clusters),
        JSON.stringify(b.commandIds),
        b.createdBy,
        b.createdAt,
        b.approvedBy,
        b.decidedAt,
        b.decisionNote,
        b.sentAt,
      );
  }

  get(id: string): BroadcastRecord | undefined {
    const row = this.db.prepare('SELECT * FROM broadcasts WHERE id = ?').get(id) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  list(status?: BroadcastStatus, limit = 200): BroadcastRecord[] {
    const rows = (
      status
        ? this.db
            .prepare('SELECT * FROM broadcasts WHERE status = ? ORDER BY created_at DESC LIMIT ?')
            .all(status, limit)
        : this.db.prepare('SELECT * FROM broadcasts ORDER BY created_at DESC LIMIT ?').all(limit)
    ) as Row[];
    return rows.map(toRecord);
  }
}
