import type { AlarmTransition } from './alarm-lifecycle.js';
import type { AlarmRule, ThresholdRule } from './alarm-rules.js';
import { type Detail, transition } from './alarm-transition.js';
import { SilenceQueue } from './silence-queue.js';

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
 * Applies observations in time order to a state it owns, lets time pass up to `now` (so "silent for N minutes"
 * and minimum durations fire without a new reading), and returns the lifecycle transitions. A condition must
 * hold for the rule's raise delay before it is raised, and stay clear (past the hysteresis band) for its clear
 * delay before it is cleared; a value inside the band keeps the current state. Letting time pass looks only
 * at conditions in a pending phase and at stations that went quiet, so a call costs the same with 10 or
 * 10,000 stations.
 */
export class AlarmEngine {
  /** Stations whose condition of a rule is pending-raise or pending-clear, by rule id. */
  private readonly pending = new Map<string, Set<string>>();
  private readonly silence = new Map<string, SilenceQueue>();
  private out: AlarmTransition[] = [];

  constructor(
    private readonly rules: readonly AlarmRule[],
    readonly state: AlarmEngineState,
  ) {
    for (const rule of rules) {
      if (rule.kind === 'station-silent') this.silence.set(rule.id, new SilenceQueue());
      for (const [stationId, c] of Object.entries(state.conditions[rule.id] ?? {}))
        this.index(rule.id, stationId, c);
    }
    for (const [stationId, seen] of Object.entries(state.lastSeen)) this.noteSeen(stationId, seen);
  }

  apply(observations: readonly Observation[], now: number): AlarmTransition[] {
    this.out = [];
    const ordered = [...observations].sort((a, b) => a.ts - b.ts);
    for (const o of ordered) {
      this.passTime(o.ts);
      this.observe(o);
      const seen = Math.max(this.state.lastSeen[o.stationId] ?? 0, o.ts);
      this.state.lastSeen[o.stationId] = seen;
      this.noteSeen(o.stationId, seen);
    }
    this.passTime(now);
    return this.out;
  }

  private observe(o: Observation): void {
    for (const rule of this.rules) {
      if (!applies(rule, o.stationId)) continue;
      if (rule.kind === 'station-silent') {
        const c = this.condition(rule, o.stationId);
        if (c.phase === 'active') this.clear(rule, o.stationId, c, o.ts, {});
      } else if (rule.kind === 'threshold' && o.kind === 'reading') {
        if (o.channel === rule.channel && (o.averaging ?? 'sample') === rule.averaging)
          this.step(rule, o.stationId, thresholdVerdict(rule, o.value), o.ts, { value: o.value });
      } else if (rule.kind === 'cluster-offline' && o.kind === 'presence') {
        this.step(rule, o.stationId, o.online ? 'good' : 'bad', o.ts, {});
      } else if (rule.kind === 'amplifier-fault' && o.kind === 'amplifier') {
        this.step(rule, o.stationId, o.fault ? 'bad' : 'good', o.ts, {});
      }
    }
  }

  private passTime(t: number): void {
    for (const rule of this.rules) {
      if (rule.kind === 'station-silent') {
        const due = this.silence.get(rule.id)?.due(t, rule.silentForMs, (id) => this.state.lastSeen[id]);
        for (const { stationId, seen } of due ?? []) {
          const c = this.condition(rule, stationId);
          if (c.phase === 'normal')
            this.raise(rule, stationId, c, seen + rule.silentForMs, { lastSeen: seen });
        }
        continue;
      }
      const waiting = this.pending.get(rule.id);
      if (!waiting || waiting.size === 0) continue;
      const d = delays(rule);
      for (const stationId of [...waiting]) {
        const c = this.condition(rule, stationId);
        const detail = { value: c.lastValue };
        if (c.phase === 'pending-raise' && t - c.since >= d.raise)
          this.raise(rule, stationId, c, c.since + d.raise, detail);
        else if (c.phase === 'pending-clear' && t - c.since >= d.clear)
          this.clear(rule, stationId, c, c.since + d.clear, detail);
      }
    }
  }

  private step(rule: AlarmRule, stationId: string, verdict: Verdict, ts: number, detail: Detail): void {
    const c = this.condition(rule, stationId);
    if (detail.value !== undefined) c.lastValue = detail.value;
    const d = delays(rule);
    if (c.phase === 'normal' && verdict === 'bad') Object.assign(c, { phase: 'pending-raise', since: ts });
    else if (c.phase === 'pending-raise' && verdict !== 'bad')
      Object.assign(c, { phase: 'normal', since: ts });
    else if (c.phase === 'active' && verdict === 'good')
      Object.assign(c, { phase: 'pending-clear', since: ts });
    else if (c.phase === 'pending-clear' && verdict !== 'good') c.phase = 'active';
    this.index(rule.id, stationId, c);
    if (c.phase === 'pending-raise' && ts - c.since >= d.raise) this.raise(rule, stationId, c, ts, detail);
    else if (c.phase === 'pending-clear' && ts - c.since >= d.clear)
      this.clear(rule, stationId, c, ts, detail);
  }

  private condition(rule: AlarmRule, stationId: string): ConditionState {
    this.state.conditions[rule.id] ??= {};
    const byStation = this.state.conditions[rule.id]!;
    byStation[stationId] ??= { phase: 'normal', since: 0 };
    return byStation[stationId]!;
  }

  private raise(rule: AlarmRule, stationId: string, c: ConditionState, ts: number, detail: Detail): void {
    c.phase = 'active';
    c.since = ts;
    c.raisedAt = ts;
    this.index(rule.id, stationId, c);
    this.out.push(transition(rule, stationId, 'raised', ts, ts, detail));
  }

  private clear(rule: AlarmRule, stationId: string, c: ConditionState, ts: number, detail: Detail): void {
    this.out.push(transition(rule, stationId, 'cleared', ts, c.raisedAt ?? ts, detail));
    const normal: ConditionState = { phase: 'normal', since: ts };
    this.state.conditions[rule.id]![stationId] = normal;
    this.index(rule.id, stationId, normal);
  }

  private index(ruleId: string, stationId: string, c: ConditionState): void {
    if (c.phase === 'pending-raise' || c.phase === 'pending-clear') {
      const waiting = this.pending.get(ruleId) ?? new Set<string>();
      this.pending.set(ruleId, waiting);
      waiting.add(stationId);
    } else this.pending.get(ruleId)?.delete(stationId);
  }

  private noteSeen(stationId: string, seen: number): void {
    for (const rule of this.rules)
      if (rule.kind === 'station-silent' && applies(rule, stationId))
        this.silence.get(rule.id)?.note(stationId, seen);
  }
}

/** The engine as a pure function of a state it leaves untouched (tests, one-off evaluations). */
export function evaluateAlarms(
  state: AlarmEngineState,
  rules: readonly AlarmRule[],
  observations: readonly Observation[],
  now: number,
): { state: AlarmEngineState; transitions: AlarmTransition[] } {
  const engine = new AlarmEngine(rules, structuredClone(state));
  const transitions = engine.apply(observations, now);
  return { state: engine.state, transitions };
}
