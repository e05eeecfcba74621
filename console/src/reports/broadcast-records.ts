/**
 * What the report needs from the broadcast module (H5) about a broadcast a device played: its title
 * and the people behind it. Devices only know the broadcastId; names live in the console.
 */
export interface BroadcastRecord {
  id: string;
  title: string;
  /** Username or display name of who scheduled or sent it. */
  requestedBy: string | null;
  /** Who approved it; null when the area needs no approval or it was an approver's own broadcast. */
  approvedBy: string | null;
}

export interface BroadcastRecordSource {
  lookup(broadcastIds: readonly string[]): Map<string, BroadcastRecord>;
}

/** Used until the broadcast module provides records: the report then shows ids without names. */
export const NO_BROADCAST_RECORDS: BroadcastRecordSource = {
  lookup: () => new Map(),
};

interface RecordRow {
  id: string;
  title: string | null;
  kind: string;
  created_by: string;
  approved_by: string | null;
}

const KIND_TITLE: Record<string, string> = {
  play: 'Phát ngay',
  live: 'Tiếp sóng trực tiếp',
  emergency: 'Phát khẩn cấp',
};

/**
 * Reads the broadcast module's own tables (`broadcast_schedules`, `broadcasts`): a schedule's id is the
 * broadcastId of its entries, a play-now/emergency broadcast's id that of its commands.
 */
export function sqlBroadcastRecords(db: {
  prepare(sql: string): { all(...params: string[]): unknown[] };
}): BroadcastRecordSource {
  let stmt: { all(...params: string[]): unknown[] } | null = null;
  // Looked up lazily: the broadcast module may migrate its tables after this source is made.
  const statement = () => {
    if (stmt) return stmt;
    const present = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)")
      .all('broadcast_schedules', 'broadcasts');
    if (present.length < 2) return null;
    stmt = db.prepare(`
      SELECT id, title, 'schedule' AS kind, created_by, approved_by FROM broadcast_schedules
        WHERE id IN (SELECT value FROM json_each(?))
      UNION ALL
      SELECT id, json_extract(request, '$.title') AS title,
          CASE WHEN priority = 'emergency' THEN 'emergency' ELSE kind END AS kind, created_by, approved_by
        FROM broadcasts WHERE id IN (SELECT value FROM json_each(?))`);
    return stmt;
  };
  return {
    lookup(ids) {
      const json = JSON.stringify(ids);
      const rows = (statement()?.all(json, json) ?? []) as RecordRow[];
      return new Map(
        rows.map((r) => [
          r.id,
          {
            id: r.id,
            title: r.title || KIND_TITLE[r.kind] || r.id,
            requestedBy: r.created_by,
            approvedBy: r.approved_by,
          },
        ]),
      );
    },
  };
}
