import { describe, expect, it } from 'vitest';
import { FailureBackoff } from '../../../broker/src/server/failure-backoff.js';

describe('FailureBackoff', () => {
  it('locks an address out after the free failures and doubles the lock-out per failure', () => {
    let now = 0;
    const b = new FailureBackoff({ freeFailures: 3, baseMs: 1000, maxMs: 5000 }, () => now);
    b.failed('1.2.3.4');
    b.failed('1.2.3.4');
    expect(b.blockedFor('1.2.3.4')).toBe(0);
    expect(b.failed('1.2.3.4').blockedMs).toBe(1000);
    expect(b.blockedFor('1.2.3.4')).toBe(1000);
    expect(b.blockedFor('5.6.7.8')).toBe(0);
    now = 1000;
    expect(b.failed('1.2.3.4').blockedMs).toBe(2000);
    now = 3000;
    expect(b.failed('1.2.3.4').blockedMs).toBe(4000);
    now = 7000;
    expect(b.failed('1.2.3.4').blockedMs).toBe(5000);
  });

  it('forgets an address after a success and prunes quiet ones', () => {
    let now = 0;
    const b = new FailureBackoff({ freeFailures: 1, baseMs: 100, maxMs: 1000 }, () => now);
    b.failed('a');
    b.succeeded('a');
    expect(b.blockedFor('a')).toBe(0);
    b.failed('b');
    expect(b.size).toBe(1);
    now = 5000;
    b.prune();
    expect(b.size).toBe(0);
  });
});
