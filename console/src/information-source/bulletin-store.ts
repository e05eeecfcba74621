import type { SqliteDatabase } from '@xaso/broker';
import type { Priority } from '@xaso/device-profiles/contract';

export type BulletinStatus = 'pending-approval' | 'approved' | 'rejected' | 'refused' | 'expired';

/** A bulletin taken in from the province, waiting for (or past) the commune's decision. */
export interface Bulletin {
  id: string;
  title: string;
  level: Priority;
  kind: 'audio' | 'text';
  audioId: string | null;
  text: string | null;
  language: string;
  validFrom: number;
  validTo: number;
  areaIds: string[];
  issuer: string;
  status: BulletinStatus;
  reason: string | null;
  decidedBy: string | null;
  decidedAt: number | null;
  receivedAt: number;
}

interface Row {
  id: string;
  title: string;
  level: Priority;
  kind: 'audio' | 'text';
  audio_id: string | null;
  text: string | null;
  language: string;
  valid_from: number;
  valid_to: number;
  area_ids: string;
  issuer: string;
  status: BulletinStatus;
  reason: string | null;
  decided_by: string | null;
  decided_at: number | null;
  received_at: number;
}

function toBulletin(r: Row, now: number): Bulletin {
  // A pending bulletin past its validity can no longer be approved: shown as expired.
  const status = r.status === 'pending-approval' && r.valid_to <= now ? 'expired' : r.status;
  return {
    id: r.id,
    title: r.title,
    level: r.level,
    kind: r.kind,
    audioId: r.audio_id,
    text: r.text,
    language: r.language,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    areaIds: JSON.parse(r.area_ids) as string[],
    issuer: r.issuer,
    status,
    reason: r.reason,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    receivedAt: r.received_at,
  };
}

const LEVEL_ORDER = "CASE level WHEN 'emergency' THEN 0 WHEN 'priority' THEN 1 ELSE 2 END";

export class BulletinStore {
  constructor(private readonly db: SqliteDatabase) {}

  has(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM infosrc_bulletins WHERE id = ?').get(id) !== undefined;
  }

  insert(b: Omit<Bulletin, 'decidedBy' | 'decidedAt'>): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO infosrc_bulletins (id, title, level, kind, audio_id, text, language, valid_from,
           valid_to, area_ids, issuer, status, reason, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        b.id,
        b.title,
        b.level,
        b.kind,
        b.audioId,
        b.text,
        b.language,
        b.validFrom,
        b.validTo,
        JSON.stringify(b.areaIds),
        b.issuer,
        b.status,
        b.reason,
        b.receivedAt,
      );
  }

  get(id: string, now: number): Bulletin | undefined {
    const row = this.db.prepare('SELECT * FROM infosrc_bulletins WHERE id = ?').get(id) as Row | undefined;
    return row ? toBulletin(row, now) : undefined;
  }

  /** Emergency first, then priority, then normal; newest first within a level. */
  list(now: number, status?: BulletinStatus, limit = 200): Bulletin[] {
    // "expired" is derived: a pending bulletin past its validity.
    let filter = '';
    const params: (string | number)[] = [];
    if (status === 'pending-approval') {
      filter = "WHERE status = 'pending-approval' AND valid_to > ?";
      params.push(now);
    } else if (status === 'expired') {
      filter = "WHERE (status = 'pending-approval' AND valid_to <= ?) OR status = 'expired'";
      params.push(now);
    } else if (status) {
      filter = 'WHERE status = ?';
      params.push(status);
    }
    const rows = this.db
      .prepare(`SELECT * FROM infosrc_bulletins ${filter} ORDER BY ${LEVEL_ORDER}, received_at DESC LIMIT ?`)
      .all(...params, limit) as Row[];
    return rows.map((r) => toBulletin(r, now));
  }

  pendingCount(now: number): number {
    const row = this.db
      .prepare(
        "SELECT count(*) AS n FROM infosrc_bulletins WHERE status = 'pending-approval' AND valid_to > ?",
      )
      .get(now) as { n: number };
    return row.n;
  }

  decide(id: string, status: 'approved' | 'rejected', by: string, reason: string | null, now: number): void {
    this.db
      .prepare(
        `UPDATE infosrc_bulletins SET status = ?, decided_by = ?, decided_at = ?, reason = ?
         WHERE id = ? AND status = 'pending-approval'`,
      )
      .run(status, by, now, reason, id);
  }

  /** Which bulletin an audio item came from: the playback log then names the province's bulletin. */
  bulletinsOfAudio(audioIds: readonly string[]): Map<string, string> {
    const rows = this.db
      .prepare(
        'SELECT audio_id, id FROM infosrc_bulletins WHERE audio_id IN (SELECT value FROM json_each(?))',
      )
      .all(JSON.stringify(audioIds)) as { audio_id: string; id: string }[];
    return new Map(rows.map((r) => [r.audio_id, r.id]));
  }
}
