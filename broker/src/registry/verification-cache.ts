import { createHash } from 'node:crypto';

/**
 * Remembers which (username, password) pairs matched which stored hash, for a short while, so a
 * reconnect storm does not run one scrypt per device. An entry only counts while the stored hash
 * is unchanged, so a rotation made by another process (the console) also invalidates it.
 */
export class VerificationCache {
  private readonly entries = new Map<string, { storedHash: string; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number,
  ) {}

  private key(username: string, password: string): string {
    return `${username}\u0000${createHash('sha256').update(password).digest('base64url')}`;
  }

  matches(username: string, password: string, storedHash: string): boolean {
    const key = this.key(username, password);
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    if (entry.expiresAt <= this.now() || entry.storedHash !== storedHash) {
      this.entries.delete(key);
      return false;
    }
    return true;
  }

  remember(username: string, password: string, storedHash: string): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(this.key(username, password), { storedHash, expiresAt: this.now() + this.ttlMs });
  }

  forget(username: string): void {
    const prefix = `${username}\u0000`;
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
