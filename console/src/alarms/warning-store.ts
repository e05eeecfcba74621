import type { SqliteDatabase } from '@xaso/broker';
import type { Alarm } from '@xaso/device-profiles/contract';

export type WarningOutcome = 'sending' | 'sent' | 'failed' | 'cooldown' | 'no-commune' | 'stale' | 'disabled';

export interface WarningRow {
  alarmId: string;
  stationId: string;
  ruleId: string;
  communeId: string | null;
  outcome: WarningOutcome;
  reason: string | null;
  broadcastId: string | null;
  text: string | null;
  alarmTs: number;
  receivedAt: number;
}

interface Row {
  alarm_id: string;
  station_id: string;
  rule_id: string;
  commune_id: string | null;
  outcome: WarningOutcome;
  reason: string | null;
  broadcast_id: string | null;
  text: string | null;
  alarm_ts: number;
  received_at: number;
}

const fromRow = (r: Row): WarningRow => ({
  alarmId: r.alarm_id,
  stationId: r.station_id,
  ruleId: r.rule_id,
  communeId: r.commune_id,
  outcome: r.outcome,
  reason: r.reason,
  broadcastId: r.broadcast_id,
  text: r.text,
  alarmTs: r.alarm_ts,
  receivedAt: r.received_at,
});

export type Claim = 'claimed' | 'duplicate' | 'cooldown';

/** Every alarm id the console has decided on, so a redelivery or a restart never sounds it twice. */
export class WarningStore {
  constructor(private readonly db: SqliteDatabase) {}

  /** False when the alarm id was already decided on. */
  record(alarm: Alarm, communeId: string | null, outcome: WarningOutcome, reason: string, now: number) {
    return this.insert(alarm, communeId, outcome, reason, now);
  }

  /**
   * Atomically: a known id is a duplicate; a commune warned within the cooldown stays silent (recorded);
   * otherwise the id is claimed as 'sending' before any audio is made, so a concurrent redelivery loses.
   */
  claim(alarm: Alarm, communeId: string, now: number, cooldownMs: number): Claim {
    return this.db.transaction((): Claim => {
      if (this.db.prepare('SELECT 1 FROM alarm_warnings WHERE alarm_id = ?').get(alarm.id))
        return 'duplicate';
      const recent = this.db
        .prepare(
          `SELECT alarm_id FROM alarm_warnings
           WHERE commune_id = ? AND outcome IN ('sending', 'sent') AND received_at > ? LIMIT 1`,
        )
        .get(communeId, now - cooldownMs) as { alarm_id: string } | undefined;
      if (recent) {
        this.insert(alarm, communeId, 'cooldown', `commune warned recently (alarm ${recent.alarm_id})`, now);
        return 'cooldown';
      }
      this.insert(alarm, communeId, 'sending', null, now);
      return 'claimed';
    })();
  }

  finish(
    alarmId: string,
    outcome: 'sent' | 'failed',
    detail: { broadcastId?: string; text?: string; reason?: string },
  ) {
    this.db
      .prepare(
        'UPDATE alarm_warnings SET outcome = ?, broadcast_id = ?, text = ?, reason = ? WHERE alarm_id = ?',
      )
      .run(outcome, detail.broadcastId ?? null, detail.text ?? null, detail.reason ?? null, alarmId);
  }

  recent(limit: number): WarningRow[] {
    const rows = this.db
      .prepare('SELECT * FROM alarm_warnings ORDER BY received_at DESC, alarm_id LIMIT ?')
      .all(limit) as Row[];
    return rows.map(fromRow);
  }

  private insert(
    alarm: Alarm,
    communeId: string | null,
    outcome: WarningOutcome,
    reason: string | null,
    now: number,
  ): boolean {
    const r = this.db
      .prepare(
        `INSERT OR IGNORE INTO alarm_warnings
         (alarm_id, station_id, rule_id, commune_id, outcome, reason, alarm_ts, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(alarm.id, alarm.stationId, alarm.ruleId, communeId, outcome, reason, alarm.ts, now);
    return r.changes > 0;
  }
}
