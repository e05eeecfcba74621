import { createHash } from 'node:crypto';
import { type Alarm, AlarmSchema, UnitSchema } from '@xaso/device-profiles/contract';

export type Severity = 'info' | 'warning' | 'critical';

/** One change of an alarm's state decided by the engine; the collector stores and publishes it. */
export interface AlarmTransition {
  alarmId: string;
  ruleId: string;
  stationId: string;
  state: 'raised' | 'cleared';
  ts: number;
  severity: Severity;
  message: string;
  channel?: string;
  value?: number;
  limit?: number;
  unit?: string;
  standard?: string;
}

/** The stored life of one alarm: raised → (acknowledged) → cleared, each with its time. */
export interface AlarmRecord {
  id: string;
  ruleId: string;
  stationId: string;
  severity: Severity;
  state: 'raised' | 'acknowledged' | 'cleared';
  raisedAt: number;
  acknowledgedAt?: number;
  acknowledgedBy?: string;
  clearedAt?: number;
  message: string;
  channel?: string;
  value?: number;
  limit?: number;
  unit?: string;
  standard?: string;
}

/** Stable id of one occurrence of a rule on a station; hashed when the readable form would exceed 64 chars. */
export function alarmIdFor(ruleId: string, stationId: string, raisedAt: number): string {
  const readable = `${ruleId}.${stationId}.${raisedAt}`;
  if (readable.length <= 64) return readable;
  return `a-${createHash('sha256').update(readable).digest('hex').slice(0, 40)}`;
}

export function applyTransition(record: AlarmRecord | undefined, t: AlarmTransition): AlarmRecord {
  if (t.state === 'raised') {
    return {
      id: t.alarmId,
      ruleId: t.ruleId,
      stationId: t.stationId,
      severity: t.severity,
      state: 'raised',
      raisedAt: t.ts,
      message: t.message,
      channel: t.channel,
      value: t.value,
      limit: t.limit,
      unit: t.unit,
      standard: t.standard,
    };
  }
  if (!record || record.id !== t.alarmId) {
    throw new Error(`cannot clear alarm ${t.alarmId}: no such raised alarm`);
  }
  return { ...record, state: 'cleared', clearedAt: t.ts, message: t.message };
}

export type AckOutcome = { ok: true; record: AlarmRecord } | { ok: false; error: string };

/** A user acknowledges a raised alarm; the alarm stays until its condition clears. */
export function applyAck(record: AlarmRecord, by: string, ts: number): AckOutcome {
  if (by.trim() === '') return { ok: false, error: 'acknowledgement needs the user who gives it' };
  if (record.state === 'cleared') return { ok: false, error: `alarm ${record.id} is already cleared` };
  if (record.state === 'acknowledged') {
    return { ok: false, error: `alarm ${record.id} was already acknowledged by ${record.acknowledgedBy}` };
  }
  if (ts < record.raisedAt)
    return { ok: false, error: 'acknowledgement time is before the alarm was raised' };
  return { ok: true, record: { ...record, state: 'acknowledged', acknowledgedAt: ts, acknowledgedBy: by } };
}

/** The contract message for the current state of a record (published at every change). */
export function toAlarmMessage(record: AlarmRecord, autoBroadcast?: boolean): Alarm {
  const ts =
    record.state === 'cleared'
      ? record.clearedAt!
      : record.state === 'acknowledged'
        ? record.acknowledgedAt!
        : record.raisedAt;
  const unit = UnitSchema.safeParse(record.unit);
  return AlarmSchema.parse({
    v: 1,
    id: record.id,
    stationId: record.stationId,
    ruleId: record.ruleId,
    state: record.state,
    severity: record.severity,
    ts,
    channel: record.channel,
    value: record.value,
    limit: record.limit,
    unit: unit.success ? unit.data : undefined,
    standard: record.standard,
    message: record.message.slice(0, 500),
    by: record.state === 'acknowledged' ? record.acknowledgedBy : undefined,
    autoBroadcast,
  });
}
