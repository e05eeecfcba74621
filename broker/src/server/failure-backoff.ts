import type { z } from 'zod';
import type { AuthBackoffSchema } from '../config/schema.js';

interface AddressRecord {
  failures: number;
  blockedUntil: number;
  lastFailure: number;
}

/**
 * Per remote address: after `freeFailures` wrong passwords the address is locked out, and each
 * further failure doubles the lock-out, so guessing a secret costs exponentially more time.
 */
export class FailureBackoff {
  private readonly records = new Map<string, AddressRecord>();

  constructor(
    private readonly policy: z.infer<typeof AuthBackoffSchema>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds the address must still wait; 0 when it may try. */
  blockedFor(address: string): number {
    const record = this.records.get(address);
    return record ? Math.max(0, record.blockedUntil - this.now()) : 0;
  }

  failed(address: string): { failures: number; blockedMs: number } {
    const now = this.now();
    const record = this.records.get(address) ?? { failures: 0, blockedUntil: 0, lastFailure: 0 };
    record.failures++;
    record.lastFailure = now;
    const over = record.failures - this.policy.freeFailures;
    const blockedMs = over >= 0 ? Math.min(this.policy.maxMs, this.policy.baseMs * 2 ** over) : 0;
    record.blockedUntil = now + blockedMs;
    this.records.set(address, record);
    return { failures: record.failures, blockedMs };
  }

  succeeded(address: string): void {
    this.records.delete(address);
  }

  /** Forget addresses quiet for longer than the longest lock-out so the map cannot grow without bound. */
  prune(): void {
    const horizon = this.now() - this.policy.maxMs;
    for (const [address, record] of this.records)
      if (record.lastFailure < horizon && record.blockedUntil < this.now()) this.records.delete(address);
  }

  get size(): number {
    return this.records.size;
  }
}
