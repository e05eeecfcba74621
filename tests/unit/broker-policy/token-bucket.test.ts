import { describe, expect, it } from 'vitest';
import { TokenBuckets } from '../../../broker/src/enrollment/token-bucket.js';

describe('TokenBuckets', () => {
  it('allows a burst, then refills at the configured rate, per key', () => {
    const clock = { t: 0 };
    const buckets = new TokenBuckets({ burst: 3, perMinute: 6 }, () => clock.t);
    expect([1, 2, 3, 4].map(() => buckets.take('10.0.0.1'))).toEqual([true, true, true, false]);
    expect(buckets.take('10.0.0.2')).toBe(true);
    expect(buckets.retryAfterSeconds('10.0.0.1')).toBe(10);
    clock.t += 9_999;
    expect(buckets.take('10.0.0.1')).toBe(false);
    clock.t += 2;
    expect(buckets.take('10.0.0.1')).toBe(true);
    clock.t += 3_600_000;
    expect([1, 2, 3, 4].map(() => buckets.take('10.0.0.1'))).toEqual([true, true, true, false]);
  });

  it('keeps memory bounded by forgetting the oldest addresses', () => {
    const clock = { t: 0 };
    const buckets = new TokenBuckets({ burst: 1, perMinute: 1 }, () => clock.t, 100);
    for (let i = 0; i < 1000; i++) buckets.take(`addr-${i}`);
    expect(buckets.take('addr-999')).toBe(false);
    expect(buckets.take('addr-0')).toBe(true);
  });
});
