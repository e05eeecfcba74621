interface Limits {
  maxFailuresPerUser: number;
  maxFailuresPerAddress: number;
  windowMs: number;
}

/** Counts failed logins per username and per address in a sliding window; in memory (one console process). */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: Limits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until another attempt is allowed; 0 when it is allowed now. */
  retryAfterMs(username: string, address: string): number {
    return Math.max(
      this.wait(`u:${username}`, this.limits.maxFailuresPerUser),
      this.wait(`a:${address}`, this.limits.maxFailuresPerAddress),
    );
  }

  fail(username: string, address: string): void {
    for (const key of [`u:${username}`, `a:${address}`]) {
      const list = this.recent(key);
      list.push(this.now());
      this.failures.set(key, list);
    }
  }

  /** A correct password clears the user's count (not the address's: one good account must not unlock guessing). */
  succeed(username: string): void {
    this.failures.delete(`u:${username}`);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.limits.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.failures.delete(key);
    return list;
  }

  private wait(key: string, max: number): number {
    const list = this.recent(key);
    if (list.length < max) return 0;
    const oldest = list[list.length - max] ?? this.now();
    return Math.max(1, oldest + this.limits.windowMs - this.now());
  }
}
