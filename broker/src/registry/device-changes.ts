import type { DeviceChangeKind } from './device-rows.js';
import type { SqliteDatabase } from './sqlite.js';

export interface DeviceChange {
  deviceId: string;
  kind: DeviceChangeKind;
}

const CHANGE_PAGE = 1000;

/** Changes after `cursor` (at most 1000 per call); pass the returned cursor back to continue. */
export function changesSince(
  db: SqliteDatabase,
  cursor: number,
): { cursor: number; changes: DeviceChange[] } {
  const rows = db
    .prepare('SELECT seq, device_id, kind FROM device_changes WHERE seq > ? ORDER BY seq LIMIT ?')
    .all(cursor, CHANGE_PAGE) as { seq: number; device_id: string; kind: DeviceChangeKind }[];
  return {
    cursor: rows.at(-1)?.seq ?? cursor,
    changes: rows.map((r) => ({ deviceId: r.device_id, kind: r.kind })),
  };
}

/** The newest change's cursor, to start following from "now". */
export function latestChangeCursor(db: SqliteDatabase): number {
  const row = db.prepare('SELECT MAX(seq) AS seq FROM device_changes').get() as { seq: number | null };
  return row.seq ?? 0;
}
