import { type SqliteDatabase, openSqlite } from '../../../collector/src/sqlite.js';

export interface StoredEvent {
  device: string;
  seq: number;
  ts: number;
  kind: string;
  body: Record<string, unknown>;
}

/** Read-only views of what the collector kept: the time-series store and its state database. */
export class Ledger {
  private readonly series: SqliteDatabase;
  private readonly state: SqliteDatabase;

  constructor(timeSeriesFile: string, stateFile: string) {
    this.series = openSqlite(timeSeriesFile, 'normal');
    this.state = openSqlite(stateFile, 'normal');
  }

  /** Raw points of one field per device, as stored (time ascending). */
  pointTimes(field: string): Map<string, number[]> {
    const rows = this.series
      .prepare<{ tags: string; time: number }>(
        'SELECT s.tags AS tags, r.time AS time FROM raw r JOIN series s ON s.id = r.series_id WHERE r.field = ? ORDER BY r.time',
      )
      .all(field);
    const out = new Map<string, number[]>();
    for (const row of rows) {
      const device = (JSON.parse(row.tags) as { device?: string }).device ?? '?';
      out.set(device, [...(out.get(device) ?? []), row.time]);
    }
    return out;
  }

  /** Sum of the 5-minute rollup counts of a field: a point written twice would count twice here. */
  rollupCount(field: string): number {
    return (
      this.series
        .prepare<{ n: number }>('SELECT COALESCE(SUM(count), 0) AS n FROM rollup_5m WHERE field = ?')
        .get(field)?.n ?? -1
    );
  }

  events(): StoredEvent[] {
    return this.state
      .prepare<{ device_id: string; seq: number; ts: number; kind: string; body: string }>(
        'SELECT device_id, seq, ts, kind, body FROM events ORDER BY device_id, seq',
      )
      .all()
      .map((r) => ({
        device: r.device_id,
        seq: r.seq,
        ts: r.ts,
        kind: r.kind,
        body: JSON.parse(r.body) as Record<string, unknown>,
      }));
  }

  /** Highest event seq stored per device. */
  eventSeqs(): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const e of this.events()) out.set(e.device, [...(out.get(e.device) ?? []), e.seq]);
    return out;
  }

  deadLetters(): { topic: string; reason: string }[] {
    return this.state
      .prepare<{ topic: string; reason: string }>('SELECT topic, reason FROM dead_letters')
      .all();
  }

  openGaps(): { device_id: string; kind: string; from_seq: number; to_seq: number; origin: string }[] {
    return this.state
      .prepare<{ device_id: string; kind: string; from_seq: number; to_seq: number; origin: string }>(
        'SELECT device_id, kind, from_seq, to_seq, origin FROM seq_gaps',
      )
      .all();
  }

  acks(): { device: string; refId: string; status: string }[] {
    return this.state
      .prepare<{ device: string; refId: string; status: string }>(
        'SELECT device_id AS device, ref_id AS refId, status FROM acks',
      )
      .all();
  }

  close(): void {
    this.series.close();
    this.state.close();
  }
}
