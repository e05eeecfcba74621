import type { RegisterDef } from '../profile/register.js';

/** Flags a channel whose raw value has not changed for `stuckAfter` readings in a row. */
export class StuckDetector {
  private readonly last = new Map<string, { raw: number; count: number }>();

  /** Returns true when this reading makes the channel stuck. */
  observe(key: string, reg: Pick<RegisterDef, 'stuckAfter'>, raw: number): boolean {
    if (reg.stuckAfter === undefined) return false;
    const prev = this.last.get(key);
    const count = prev && prev.raw === raw ? prev.count + 1 : 1;
    this.last.set(key, { raw, count });
    return count >= reg.stuckAfter;
  }
}
