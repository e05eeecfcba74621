export interface RateLimit {
  /** Requests allowed in a burst. */
  burst: number;
  /** Tokens returned per minute. */
  perMinute: number;
}

/** One bucket per remote address, in memory: enough to make code guessing pointless. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  /** Takes one token for `key`; false when the bucket is empty. */
  take(key: string): boolean {
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    const refilled = Math.min(this.limit.burst, b.tokens + ((now - b.at) * this.limit.perMinute) / 60_000);
    if (refilled < 1) {
      this.buckets.set(key, { tokens: refilled, at: now });
      return false;
    }
    if (!this.buckets.has(key) && this.buckets.size >= this.maxKeys) this.evictFull(now);
    this.buckets.set(key, { tokens: refilled - 1, at: now });
    return true;
  }

  /** Seconds until `key` has a token again (for Retry-After). */
  retryAfterSeconds(key: string): number {
    const b = this.buckets.get(key);
    if (!b || b.tokens >= 1) return 0;
    return Math.ceil(((1 - b.tokens) * 60) / this.limit.perMinute);
  }

  private evictFull(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) * this.limit.perMinute) / 60_000 >= this.limit.burst)
        this.buckets.delete(key);
    }
    if (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (!oldest.done) this.buckets.delete(oldest.value);
    }
  }
}
