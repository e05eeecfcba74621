import type { SourceHealth } from '../core/role.js';
import type { FaultCode } from './modbus-failure.js';

const WINDOW = 20;

/** Rolling poll outcomes of one instrument and whether it is in fault, for status and fault events. */
export class SourceHealthTracker {
  private readonly outcomes: boolean[] = [];
  private consecutiveFailures = 0;
  private faultCode: FaultCode | undefined;
  private lastError: string | undefined;

  constructor(private readonly faultAfter: number) {}

  get failures(): number {
    return this.consecutiveFailures;
  }

  /** Records a success; returns the fault code it clears, if one was reported. */
  succeeded(): FaultCode | undefined {
    this.push(true);
    this.consecutiveFailures = 0;
    const cleared = this.faultCode;
    this.faultCode = undefined;
    return cleared;
  }

  /** Records a failure; returns the code to report when the source turns (or changes) fault, else undefined. */
  failed(code: FaultCode, message: string): FaultCode | undefined {
    this.push(false);
    this.consecutiveFailures += 1;
    this.lastError = `${code}: ${message}`;
    if (this.consecutiveFailures < this.faultAfter || this.faultCode === code) return undefined;
    this.faultCode = code;
    return code;
  }

  snapshot(): SourceHealth {
    const ok = this.outcomes.filter(Boolean).length;
    const state =
      this.faultCode === undefined ? 'ok' : this.faultCode === 'disconnected' ? 'disconnected' : 'fault';
    return {
      state,
      pollSuccessRate: this.outcomes.length === 0 ? 1 : ok / this.outcomes.length,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  private push(ok: boolean): void {
    this.outcomes.push(ok);
    if (this.outcomes.length > WINDOW) this.outcomes.shift();
  }
}
