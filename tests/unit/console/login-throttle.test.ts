import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../../console/src/auth/login-throttle.js';

describe('LoginThrottle', () => {
  const limits = { maxFailuresPerUser: 3, maxFailuresPerAddress: 5, windowMs: 60_000 };

  it('locks a username after its failures until the oldest leaves the window', () => {
    let now = 1_000_000;
    const throttle = new LoginThrottle(limits, () => now);
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfterMs('an', '10.0.0.1')).toBe(0);
      throttle.fail('an', '10.0.0.1');
      now += 1000;
    }
    expect(throttle.retryAfterMs('an', '10.0.0.2')).toBe(57_000);
    expect(throttle.retryAfterMs('binh', '10.0.0.2')).toBe(0);
    now += 57_000;
    expect(throttle.retryAfterMs('an', '10.0.0.2')).toBe(0);
  });

  it('locks an address guessing many usernames; a success clears only the user', () => {
    const now = 5_000_000;
    const throttle = new LoginThrottle(limits, () => now);
    for (const user of ['a1', 'a2', 'a3', 'a4', 'a5']) throttle.fail(user, '10.0.0.9');
    expect(throttle.retryAfterMs('fresh', '10.0.0.9')).toBe(60_000);
    expect(throttle.retryAfterMs('fresh', '10.0.0.8')).toBe(0);
    throttle.fail('chi', '10.0.0.7');
    throttle.fail('chi', '10.0.0.7');
    throttle.fail('chi', '10.0.0.7');
    expect(throttle.retryAfterMs('chi', '10.0.0.1')).toBeGreaterThan(0);
    throttle.succeed('chi');
    expect(throttle.retryAfterMs('chi', '10.0.0.1')).toBe(0);
  });
});
