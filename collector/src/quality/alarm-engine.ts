import { alarmIdFor } from './alarm-lifecycle.js';
import type { AlarmTransition } from './alarm-lifecycle.js';
import type { AlarmRule, ThresholdRule } from './alarm-rules.js';

/** What the collector feeds the engine. Every observation also counts as "the station was heard from". */
export type Observation =
  | {
      kind: 'reading';
      stationId: string;
      channel: string;
      value: number;
      ts: number;
      averaging?: ThresholdRule['averaging'];
    }
  | { kind: 'seen'; stationId: string; ts: number }
  | { kind: 'presence'; stationId: string; online: boolean; ts: number }
  | { kind: 'amplifier'; stationId: string; fault: boolean; ts: number };

type Phase = 'normal' | 'pending-raise' | 'active' | 'pending-clear';

interface ConditionState {
  phase: Phase;
  /** When the current pending phase started (or when the alarm was raised, while active). */
  since: number;
  raisedAt?: number;
  lastValue?: number;
}

export interface AlarmEngineState {
  /** Condition of each rule on each station: conditions[ruleId][stationId]. */
  conditions: Record<string, Record<string, ConditionState>>;
  lastSeen: Record<string, number>;
}

export const emptyAlarmState = (): AlarmEngineState => ({ conditions: {}, lastSeen: {} });

/** bad: the alarm condition holds; good: it is clearly over (past the hysteresis band); band: neither. */
type Verdict = 'bad' | 'band' | 'good';

export function thresholdVerdict(rule: ThresholdRule, v: number): Verdict {
  const h = rule.hysteresis;
  if (rule.comparison === 'range') {
    const [lo, hi] = rule.limit as [number, number];
    if (v < lo || v > hi) return 'bad';
    return v >= lo * (1 + h) && v <= hi * (1 - h) ? 'good' : 'band';
  }
  const limit = rule.limit as number;
  if (rule.comparison === 'max') return v > limit ? 'bad' : v <= limit * (1 - h) ? 'good' : 'band';
  return v < limit ? 'bad' : v >= limit * (1 + h) ? 'good' : 'band';
}

const applies = (rule: AlarmRule, stationId: string) =>
  !rule.stationIds || rule.stationIds.includes(stationId);
const delays = (rule: AlarmRule): { raise: number; clear: number } => {
  switch (rule.kind) {
    case 'threshold':
      return { raise: rule.raiseAfterMs, clear: rule.clearAfterMs };
    case 'cluster-offline':
      return { raise: rule.offlineForMs, clear: 0 };
    case 'amplifier-fault':
      return { raise: rule.raiseAfterMs, clear: 0 };
    case 'station-silent':
      return { raise: 0, clear: 0 };
  }
};

/**
 * Pure evaluation: applies observations in time order, lets time pass up to `now` (so "silent for N minutes"
 * and minimum durations fire without a new reading), and returns the new state and the lifecycle transitions.
 * A condition must hold for the rule's raise delay before it is raised, and stay clear (past the hysteresis
 * band) for its clear delay before it is cleared; a value inside the band keeps the current state.
 */
export function evaluateAlarms(
  state: AlarmEngineState,
  rules: readonly AlarmRule[],
  observations: readonly Observation[],
  now: number,
): { state: AlarmEngineState; transitions: AlarmTransition[] } {
  const next: AlarmEngineState = structuredClone(state);
  const out: AlarmTransition[] = [];
  const ordered = [...observations].sort((a, b) => a.ts - b.ts);

  const condition = (rule: AlarmRule, stationId: string): ConditionState => {
    next.conditions[rule.id] ??= {};
    const byStation = next.conditions[rule.id]!;
    byStation[stationId] ??= { phase: 'normal', since: 0 };
    return byStation[stationId]!;
  };

  const raise = (rule: AlarmRule, stationId: string, c: ConditionState, ts: number, detail: Detail) => {
    c.phase = 'active';
    c.since = ts;
    c.raisedAt = ts;
    out.push(transition(rule, stationId, 'raised', ts, ts, detail));
  };
  const clear = (rule: AlarmRule, stationId: string, c: ConditionState, ts: number, detail: Detail) => {
    out.push(transition(rule, stationId, 'cleared', ts, c.raisedAt ?? ts, detail));
    next.conditions[rule.id]![stationId] = { phase: 'normal', since: ts };
  };

  const step = (rule: AlarmRule, stationId: string, verdict: Verdict, ts: number, detail: Detail) => {
    const c = condition(rule, stationId);
    if (detail.value !== undefined) c.lastValue = detail.value;
    const d = delays(rule);
    if (c.phase === 'normal' && verdict === 'bad') Object.assign(c, { phase: 'pending-raise', since: ts });
    else if (c.phase === 'pending-raise' && verdict !== 'bad')
      Object.assign(c, { phase: 'normal', since: ts });
    else if (c.phase === 'active' && verdict === 'good')
      Object.assign(c, { phase: 'pending-clear', since: ts });
    else if (c.phase === 'pending-clear' && verdict !== 'good') c.phase = 'active';
    if (c.phase === 'pending-raise' && ts - c.since >= d.raise) raise(rule, stationId, c, ts, detail);
    else if (c.phase === 'pending-clear' && ts - c.since >= d.clear) clear(rule, stationId, c, ts, detail);
  };

  const passTime = (t: number) => {
    for (const rule of rules) {
      if (rule.kind === 'station-silent') {
        for (const [stationId, seen] of Object.entries(next.lastSeen)) {
          if (!applies(rule, stationId)) continue;
          const c = condition(rule, stationId);
          const silentAt = seen + rule.silentForMs;
          if (c.phase === 'normal' && t >= silentAt) raise(rule, stationId, c, silentAt, { lastSeen: seen });
        }
        continue;
      }
      const d = delays(rule);
      for (const [stationId, c] of Object.entries(next.conditions[rule.id] ?? {})) {
        const detail = { value: c.lastValue };
        if (c.phase === 'pending-raise' && t - c.since >= d.raise)
          raise(rule, stationId, c, c.since + d.raise, detail);
        else if (c.phase === 'pending-clear' && t - c.since >= d.clear)
          clear(rule, stationId, c, c.since + d.clear, detail);
      }
    }
  };

  for (const o of ordered) {
    passTime(o.ts);
    for (const rule of rules) {
      if (!applies(rule, o.stationId)) continue;
      if (rule.kind === 'station-silent') {
        const c = condition(rule, o.stationId);
        if (c.phase === 'active') clear(rule, o.stationId, c, o.ts, {});
      } else if (rule.kind === 'threshold' && o.kind === 'reading') {
        if (o.channel === rule.channel && (o.averaging ?? 'sample') === rule.averaging) {
          step(rule, o.stationId, thresholdVerdict(rule, o.value), o.ts, { value: o.value });
        }
      } else if (rule.kind === 'cluster-offline' && o.kind === 'presence') {
        step(rule, o.stationId, o.online ? 'good' : 'bad', o.ts, {});
      } else if (rule.kind === 'amplifier-fault' && o.kind === 'amplifier') {
        step(rule, o.stationId, o.fault ? 'bad' : 'good', o.ts, {});
      }
    }
    next.lastSeen[o.stationId] = Math.max(next.lastSeen[o.stationId] ?? 0, o.ts);
  }
  passTime(now);
  return { state: next, transitions: out };
}

interface Detail {
  value?: number;
  lastSeen?: number;
}

function transition(
  rule: AlarmRule,
  stationId: string,
  state: 'raised' | 'cleared',
  ts: number,
  raisedAt: number,
  detail: Detail,
): AlarmTransition {
  const base = {
    alarmId: alarmIdFor(rule.id, stationId, raisedAt),
    ruleId: rule.id,
    stationId,
    state,
    ts,
    severity: rule.severity,
  };
  if (rule.kind === 'threshold') {
    const v = detail.value;
    const limit = Array.isArray(rule.limit)
      ? v !== undefined && v < rule.limit[0]
        ? rule.limit[0]
        : rule.limit[1]
      : (rule.limit as number);
    const what = rule.comparison === 'min' ? 'below' : rule.comparison === 'max' ? 'above' : 'outside';
    const bound = Array.isArray(rule.limit) ? `${rule.limit[0]}–${rule.limit[1]}` : `${rule.limit}`;
    const unit = rule.unit ? ` ${rule.unit}` : '';
    const text =
      state === 'raised'
        ? `${rule.channel} ${v ?? '?'}${unit} ${what} ${bound}${unit} (${rule.averaging})`
        : `${rule.channel} back within ${bound}${unit} (${rule.averaging})`;
    return {
      ...base,
      channel: rule.channel,
      value: v,
      limit,
      unit: rule.unit,
      standard: rule.standard,
      message: rule.message ?? `${text}${rule.standard ? ` — ${rule.standard}` : ''}`,
    };
  }
  const texts = {
    'station-silent': [
      `no data from ${stationId} since ${new Date(detail.lastSeen ?? ts).toISOString()}`,
      `${stationId} reporting again`,
    ],
    'cluster-offline': [
      `loudspeaker cluster ${stationId} offline`,
      `loudspeaker cluster ${stationId} back online`,
    ],
    'amplifier-fault': [`amplifier fault on ${stationId}`, `amplifier on ${stationId} healthy again`],
  } as const;
  const [raisedText, clearedText] = texts[rule.kind];
  return { ...base, message: rule.message ?? (state === 'raised' ? raisedText : clearedText) };
}
