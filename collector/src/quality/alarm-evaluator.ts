import { type AlarmEngineState, type Observation, emptyAlarmState, evaluateAlarms } from './alarm-engine.js';
import type { AlarmTransition } from './alarm-lifecycle.js';
import { type AlarmRule, AlarmRulesSchema } from './alarm-rules.js';

/** Holds the engine state between calls; time comes from the injected clock so tests control it. */
export class AlarmEvaluator {
  private readonly rules: readonly AlarmRule[];
  private current: AlarmEngineState;

  constructor(
    rules: unknown,
    private readonly clock: () => number,
    initial: AlarmEngineState = emptyAlarmState(),
  ) {
    this.rules = AlarmRulesSchema.parse(rules);
    this.current = initial;
  }

  observe(observations: readonly Observation[]): AlarmTransition[] {
    const { state, transitions } = evaluateAlarms(this.current, this.rules, observations, this.clock());
    this.current = state;
    return transitions;
  }

  /** Lets time pass with no new data (silence, minimum durations). */
  tick(): AlarmTransition[] {
    return this.observe([]);
  }

  get state(): AlarmEngineState {
    return structuredClone(this.current);
  }
}
