import { type Migration, migrate } from '@xaso/broker';
import type { AlarmRecord } from '@xaso/collector';
import type { ConsoleContext } from '../app/env.js';
import { HttpError } from '../app/http-error.js';
import type { AlarmQuery, CollectorDb } from './collector-db.js';

export const ALARM_NOTE_NAMESPACE = 'environment-alarm-notes';

/** The collector keeps the lifecycle; the console keeps what the officer wrote when acknowledging. */
export const alarmNoteMigrations: Migration[] = [
  {
    version: 1,
    name: 'alarm acknowledgement notes',
    sql: `CREATE TABLE environment_alarm_notes (
      alarm_id TEXT PRIMARY KEY,
      note TEXT NOT NULL,
      username TEXT NOT NULL,
      at INTEGER NOT NULL
    );`,
  },
];

export type AlarmStatus = 'open' | 'acknowledged' | 'closed';
const STATE_OF: Record<AlarmStatus, AlarmRecord['state']> = {
  open: 'raised',
  acknowledged: 'acknowledged',
  closed: 'cleared',
};
const STATUS_OF: Record<AlarmRecord['state'], AlarmStatus> = {
  raised: 'open',
  acknowledged: 'acknowledged',
  cleared: 'closed',
};

export interface AlarmView extends Omit<AlarmRecord, 'state'> {
  status: AlarmStatus;
  note?: string;
}

/** Lists the collector's alarms and acknowledges them through the collector's own lifecycle (audited). */
export class AlarmDesk {
  constructor(
    private readonly ctx: Pick<ConsoleContext, 'db' | 'audit' | 'alarmLifecycle'>,
    private readonly collector: CollectorDb,
  ) {
    migrate(ctx.db, ALARM_NOTE_NAMESPACE, alarmNoteMigrations);
  }

  private view(r: AlarmRecord): AlarmView {
    const { state, ...rest } = r;
    const note = this.ctx.db
      .prepare('SELECT note FROM environment_alarm_notes WHERE alarm_id = ?')
      .get(r.id) as { note: string } | undefined;
    return { ...rest, status: STATUS_OF[state], ...(note ? { note: note.note } : {}) };
  }

  /** Undefined when the collector's alarm table cannot be read. */
  list(statuses: readonly AlarmStatus[], filter: Omit<AlarmQuery, 'states'>): AlarmView[] | undefined {
    return this.collector
      .alarms({ ...filter, states: statuses.map((s) => STATE_OF[s]) })
      ?.map((r) => this.view(r));
  }

  get(id: string): AlarmView | undefined {
    const r = this.collector.alarm(id);
    return r ? this.view(r) : undefined;
  }

  acknowledge(id: string, username: string, note: string): AlarmView {
    const lifecycle = this.ctx.alarmLifecycle;
    if (!lifecycle)
      throw new HttpError(
        503,
        'unavailable',
        'acknowledging needs the collector running in this process (npm start); alarms can still be listed',
      );
    const before = this.collector.alarm(id);
    if (!before) throw new HttpError(404, 'not-found', `no alarm ${id}`, 'id');
    const outcome = lifecycle.acknowledge(id, username);
    if (!outcome.ok) throw new HttpError(409, 'conflict', outcome.error, 'id');
    this.ctx.db
      .prepare(
        'INSERT OR REPLACE INTO environment_alarm_notes (alarm_id, note, username, at) VALUES (?, ?, ?, ?)',
      )
      .run(id, note, username, Date.now());
    this.ctx.audit.record({
      actor: username,
      action: 'alarm.acknowledge',
      target: id,
      detail: { stationId: before.stationId, ruleId: before.ruleId, note },
    });
    const after = this.get(id);
    if (!after) throw new HttpError(404, 'not-found', `alarm ${id} vanished`, 'id');
    return after;
  }
}
