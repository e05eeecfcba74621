import type { SqliteDatabase } from '@xaso/broker';
import type { Conflict } from './conflicts.js';
import type { ScheduleRecord, ScheduleStatus } from './schedule-record.js';

interface Row {
  id: string;
  title: string;
  target: string;
  recurrence: string;
  playlist: string;
  volume: number;
  priority: ScheduleRecord['priority'];
  valid_from: number;
  valid_to: number | null;
  status: ScheduleStatus;
  origin: ScheduleRecord['origin'];
  warnings: string | null;
  created_by: string;
  approved_by: string | null;
  created_at: number;
  updated_at: number;
}

function toRecord(r: Row): ScheduleRecord {
  return {
    id: r.id,
    title: r.title,
    target: JSON.parse(r.target) as ScheduleRecord['target'],
    recurrence: JSON.parse(r.recurrence) as ScheduleRecord['recurrence'],
    playlist: JSON.parse(r.playlist) as string[],
    volume: r.volume,
    priority: r.priority,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    status: r.status,
    origin: r.origin,
    warnings: r.warnings ? (JSON.parse(r.warnings) as Conflict[]) : [],
    createdBy: r.created_by,
    approvedBy: r.approved_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The schedules table; JSON columns hold the validated target, recurrence and playlist. */
export class ScheduleStore {
  constructor(private readonly db: SqliteDatabase) {}

  save(s: ScheduleRecord): void {
    this.db
      .prepare(
        `INSERT INTO broadcast_schedules (id, title, target, recurrence, playlist, volume, priority, valid_from,
           valid_to, status, origin, warnings, created_by, approved_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, target = excluded.target,
           recurrence = excluded.recurrence, playlist = excluded.playlist, volume = excluded.volume,
           priority = excluded.priority, valid_from = excluded.valid_from, valid_to = excluded.valid_to,
           status = excluded.status, warnings = excluded.warnings, approved_by = excluded.approved_by,
           updated_at = excluded.updated_at`,
      )
      .run(
        s.id,
        s.title,
        JSON.stringify(s.target),
        JSON.stringify(s.recurrence),
        JSON.stringify(s.playlist),
        s.volume,
        s.priority,
        s.validFrom,
        s.validTo,
        s.status,
        s.origin,
        s.warnings.length > 0 ? JSON.stringify(s.warnings) : null,
        s.createdBy,
        s.approvedBy,
        s.createdAt,
        s.updatedAt,
      );
  }

  get(id: string): ScheduleRecord | undefined {
    const row = this.db.prepare('SELECT * FROM broadcast_schedules WHERE id = ?').get(id) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  list(status?: ScheduleStatus): ScheduleRecord[] {
    const rows = (
      status
        ? this.db
            .prepare('SELECT * FROM broadcast_schedules WHERE status = ? ORDER BY created_at')
            .all(status)
        : this.db.prepare('SELECT * FROM broadcast_schedules ORDER BY created_at').all()
    ) as Row[];
    return rows.map(toRecord);
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM broadcast_schedules WHERE id = ?').run(id).changes > 0;
  }
}
