import type { AlarmEngineState, AlarmRecord } from '../quality/index.js';
import type { SqliteDatabase, SqliteStatement } from '../sqlite.js';

/** Alarm lifecycles (raised, acknowledged, cleared, with times) and the engine's state, in the state database. */
export class AlarmStore {
  private readonly upsert: SqliteStatement;
  private readonly byId: SqliteStatement<{ record: string }>;
  private readonly saveState: SqliteStatement;
  private readonly loadState: SqliteStatement<{ value: string }>;

  constructor(private readonly db: SqliteDatabase) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS alarms (
        id TEXT PRIMARY KEY,
        station_id TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        state TEXT NOT NULL,
        raised_at INTEGER NOT NULL,
        acknowledged_at INTEGER,
        acknowledged_by TEXT,
        cleared_at INTEGER,
        record TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS alarms_open ON alarms (state, raised_at);
      CREATE TABLE IF NOT EXISTS alarm_engine (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    this.upsert = db.prepare(`
      INSERT OR REPLACE INTO alarms (id, station_id, rule_id, state, raised_at, acknowledged_at, acknowledged_by, cleared_at, record)
      VALUES (@id, @stationId, @ruleId, @state, @raisedAt, @acknowledgedAt, @acknowledgedBy, @clearedAt, @record)`);
    this.byId = db.prepare('SELECT record FROM alarms WHERE id = ?');
    this.saveState = db.prepare("INSERT OR REPLACE INTO alarm_engine (key, value) VALUES ('state', ?)");
    this.loadState = db.prepare("SELECT value FROM alarm_engine WHERE key = 'state'");
  }

  get(id: string): AlarmRecord | undefined {
    const row = this.byId.get(id);
    return row ? (JSON.parse(row.record) as AlarmRecord) : undefined;
  }

  put(r: AlarmRecord): void {
    this.upsert.run({
      id: r.id,
      stationId: r.stationId,
      ruleId: r.ruleId,
      state: r.state,
      raisedAt: r.raisedAt,
      acknowledgedAt: r.acknowledgedAt ?? null,
      acknowledgedBy: r.acknowledgedBy ?? null,
      clearedAt: r.clearedAt ?? null,
      record: JSON.stringify(r),
    });
  }

  open(): AlarmRecord[] {
    return this.db
      .prepare<{ record: string }>("SELECT record FROM alarms WHERE state != 'cleared' ORDER BY raised_at")
      .all()
      .map((row) => JSON.parse(row.record) as AlarmRecord);
  }

  engineState(): AlarmEngineState | undefined {
    const row = this.loadState.get();
    return row ? (JSON.parse(row.value) as AlarmEngineState) : undefined;
  }

  saveEngineState(state: AlarmEngineState): void {
    this.saveState.run(JSON.stringify(state));
  }

  transaction(fn: () => void): void {
    this.db.transaction(fn)();
  }
}
