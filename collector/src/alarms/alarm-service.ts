import { topics } from '@xaso/device-profiles/contract';
import type { Logger } from 'pino';
import type { MessageOutcome } from '../ingest/message-pipeline.js';
import {
  type AckOutcome,
  AlarmEvaluator,
  type AlarmRecord,
  AlarmRulesSchema,
  type AlarmTransition,
  type Observation,
  applyAck,
  applyTransition,
  toAlarmMessage,
} from '../quality/index.js';
import type { AlarmStore } from './alarm-store.js';

/** Where alarm messages go: the contract's alarm topic, through the collector's MQTT session. */
export type AlarmPublisher = (topic: string, payload: string) => void;

/**
 * One lifecycle change, for in-process listeners such as the console's broadcast module: which commune
 * the station belongs to (the collector's `areas`), and whether its rule asks for an automatic warning.
 */
export interface AlarmChange {
  alarm: AlarmRecord;
  /** null when the station is not mapped to a commune: nobody to warn automatically. */
  communeId: string | null;
  /** The rule's autoBroadcast flag; a listener warns on `raised` only. */
  autoBroadcast: boolean;
}

export type AlarmListener = (change: AlarmChange) => void;

/**
 * Feeds the alarm rules (QCVN thresholds, custom, device health) from what the collector stores,
 * records every lifecycle change and publishes it on the station's alarm topic.
 */
export class AlarmService {
  private readonly evaluator: AlarmEvaluator;
  /** Channels some rule checks on single samples: only those readings are worth the engine's time. */
  private readonly sampleChannels: Set<string>;
  private timer: NodeJS.Timeout | null = null;
  private readonly autoBroadcastRules: Set<string>;
  private readonly listeners = new Set<AlarmListener>();

  constructor(
    rules: unknown,
    private readonly store: AlarmStore,
    private readonly publish: AlarmPublisher,
    private readonly log: Logger,
    private readonly clock: () => number = Date.now,
    private readonly communeOf: (stationId: string) => string | undefined = () => undefined,
  ) {
    this.evaluator = new AlarmEvaluator(rules, clock, store.engineState());
    const parsed = AlarmRulesSchema.parse(rules);
    this.sampleChannels = new Set(
      parsed.flatMap((r) => (r.kind === 'threshold' && r.averaging === 'sample' ? [r.channel] : [])),
    );
    this.autoBroadcastRules = new Set(parsed.filter((r) => r.autoBroadcast).map((r) => r.id));
  }

  /** Called after every stored lifecycle change (raised, acknowledged, cleared); returns an unsubscribe. */
  onChange(listener: AlarmListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Pipeline observer: raw readings (averaging "sample"), presence, amplifier state, and "heard from". */
  readonly observe = (outcome: MessageOutcome): void => {
    const obs: Observation[] = [];
    if (outcome.kind === 'telemetry' && outcome.outcome === 'stored') {
      const head = outcome.columns ?? outcome.batch;
      obs.push({ kind: 'seen', stationId: head.deviceId, ts: head.ts });
      // A columnar batch is only expanded when a rule looks at single samples of one of its channels.
      const sampled = outcome.columns
        ? outcome.columns.columns.some((c) => this.sampleChannels.has(c.channel))
        : this.sampleChannels.size > 0;
      for (const r of sampled ? outcome.batch.readings : []) {
        if (r.quality === 'good' && r.value !== null && this.sampleChannels.has(r.channel)) {
          obs.push({
            kind: 'reading',
            stationId: head.deviceId,
            channel: r.channel,
            value: r.value,
            ts: r.ts,
          });
        }
      }
    } else if (outcome.kind === 'status') {
      const s = outcome.status;
      obs.push({ kind: 'presence', stationId: s.deviceId, online: s.state === 'online', ts: s.ts });
      if (s.speaker)
        obs.push({
          kind: 'amplifier',
          stationId: s.deviceId,
          fault: s.speaker.amplifier === 'fault',
          ts: s.ts,
        });
    } else if (outcome.kind === 'event' && outcome.outcome === 'stored') {
      const e = outcome.event;
      obs.push({ kind: 'seen', stationId: e.deviceId, ts: e.ts });
      if (e.event.kind === 'fault' && e.event.code === 'amplifier') {
        obs.push({ kind: 'amplifier', stationId: e.deviceId, fault: !e.event.cleared, ts: e.ts });
      }
    }
    if (obs.length > 0) this.feed(obs);
  };

  /** Averages computed elsewhere (1h/8h/24h), as observations. */
  feed(observations: readonly Observation[], persistState = false): void {
    try {
      this.record(this.evaluator.observe(observations), persistState);
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'alarm evaluation failed');
    }
  }

  /** Lets time pass: silent stations and minimum durations fire without new data. */
  start(tickMs: number): void {
    this.timer = setInterval(() => this.feed([], true), tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.store.transaction(() => this.store.saveEngineState(this.evaluator.state));
  }

  /** The engine state is saved with every transition and at each tick, not per message (an fsync each). */
  private record(transitions: AlarmTransition[], persistState: boolean): void {
    if (transitions.length === 0 && !persistState) return;
    const changed: AlarmRecord[] = [];
    this.store.transaction(() => {
      for (const t of transitions) {
        try {
          const next = applyTransition(this.store.get(t.alarmId), t);
          this.store.put(next);
          changed.push(next);
        } catch (err) {
          this.log.warn({ err: (err as Error).message, alarmId: t.alarmId }, 'alarm transition ignored');
        }
      }
      this.store.saveEngineState(this.evaluator.state);
    });
    for (const r of changed) this.announce(r);
  }

  private announce(r: AlarmRecord): void {
    this.log.info(
      { alarm: r.id, station: r.stationId, rule: r.ruleId, state: r.state },
      'alarm state changed',
    );
    const autoBroadcast = this.autoBroadcastRules.has(r.ruleId);
    this.publish(topics.alarm(r.stationId), JSON.stringify(toAlarmMessage(r, autoBroadcast)));
    const change: AlarmChange = {
      alarm: r,
      communeId: this.communeOf(r.stationId) ?? null,
      autoBroadcast,
    };
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        // The alarm is stored and published already; a listener's failure must not undo or block that.
        this.log.error({ err: (err as Error).message, alarm: r.id }, 'alarm listener failed');
      }
    }
  }

  /** A user acknowledges an alarm (the console calls this). */
  acknowledge(id: string, by: string): AckOutcome {
    const record = this.store.get(id);
    if (!record) return { ok: false, error: `no alarm ${id}` };
    const outcome = applyAck(record, by, this.clock());
    if (outcome.ok) {
      this.store.put(outcome.record);
      this.announce(outcome.record);
    }
    return outcome;
  }

  open(): AlarmRecord[] {
    return this.store.open();
  }
}
