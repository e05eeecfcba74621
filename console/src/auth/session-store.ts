import { createHash, randomBytes } from 'node:crypto';
import type { SqliteDatabase } from '@xaso/broker';

export interface Session {
  userId: string;
  csrfToken: string;
  expiresAt: number;
}

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Server-side sessions; the table holds token hashes so a copy of the DB cannot be replayed as cookies. */
export class SessionStore {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  create(userId: string, address: string | undefined): { token: string } & Session {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const now = this.now();
    const expiresAt = now + this.ttlMs;
    this.db
      .prepare(
        'INSERT INTO console_sessions (token_hash, user_id, csrf_token, address, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(digest(token), userId, csrfToken, address ?? null, now, expiresAt);
    return { token, userId, csrfToken, expiresAt };
  }

  /** The live session behind a cookie value; expired ones are deleted on sight. */
  find(token: string): Session | undefined {
    const row = this.db
      .prepare('SELECT user_id, csrf_token, expires_at FROM console_sessions WHERE token_hash = ?')
      .get(digest(token)) as { user_id: string; csrf_token: string; expires_at: number } | undefined;
    if (!row) return undefined;
    if (row.expires_at <= this.now()) {
      this.destroy(token);
      return undefined;
    }
    return { userId: row.user_id, csrfToken: row.csrf_token, expiresAt: row.expires_at };
  }

  destroy(token: string): void {
    this.db.prepare('DELETE FROM console_sessions WHERE token_hash = ?').run(digest(token));
  }

  /** Ends every session of a user (password reset, disabling); `except` keeps the caller's own. */
  destroyAllOf(userId: string, except?: string): void {
    this.db
      .prepare('DELETE FROM console_sessions WHERE user_id = ? AND token_hash != ?')
      .run(userId, except ? digest(except) : '');
  }

  prune(): number {
    return this.db.prepare('DELETE FROM console_sessions WHERE expires_at <= ?').run(this.now()).changes;
  }
}
