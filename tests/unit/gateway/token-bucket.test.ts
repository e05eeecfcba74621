import { TokenBucket } from '@xaso/gateway-firmware-ts';
import { describe, expect, it } from 'vitest';

describe('token bucket', () => {
  it('allows a burst, then the set rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 3, () => now);
    const taken = () => Array.from({ length: 20 }, () => bucket.tryTake()).filter(Boolean).length;
    expect(taken()).toBe(3);
    now += 1000;
    expect(taken()).toBe(3);
    now += 200;
    expect(taken()).toBe(2);
  });
});
