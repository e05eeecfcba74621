import { AlarmEngine, type AlarmEngineState, type Observation, emptyAlarmState } from './alarm-engine.js';
import type { AlarmTransition } from './alarm-lifecycle.js';
import { AlarmRulesSchema } from './alarm-rules.js';

/** Holds the engine state between calls; time comes from the injected clock so tests control it. */
export class AlarmEvaluator {
  private readonly engine: AlarmEngine;

  constructor(
    rules: unknown,
    private readonly clock: () => number,
    initial: AlarmEngineState = emptyAlarmState(),
  ) {
    this.engine = new AlarmEngine(AlarmRulesSchema.parse(rules), structuredClone(initial));
  }

  observe(observations: readonly Observation[]): AlarmTransition[] {
    return this.engine.apply(observations, this.clock());
  }

  /** Lets time pass with no new data (silence, minimum durations). */
  tick(): AlarmTransition[] {
    return this.observe([]);
  }

  get state(): AlarmEngineState {
    return structuredClone(this.engine.state);
  }
}
