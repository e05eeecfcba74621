import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from './database.js';
import type { SqliteDatabase } from './sqlite.js';

export const VERIFIER_KEY_FILE = 'credential-verifier.key';
export const VERIFIER_DB_FILE = 'credential-verifiers.sqlite';
const KEY_BYTES = 32;

/** One remembered login: which stored hash it was checked against, and the fast verifier of the secret. */
interface VerifierRow {
  hashTag: string;
  verifier: Buffer;
}

interface VerifierStore {
  get(username: string): VerifierRow | undefined;
  put(username: string, row: VerifierRow): void;
  delete(username: string): void;
  close(): void;
}

class MemoryStore implements VerifierStore {
  private readonly rows = new Map<string, VerifierRow>();
  constructor(private readonly maxEntries: number) {}
  get(username: string) {
    return this.rows.get(username);
  }
  put(username: string, row: VerifierRow) {
    if (this.rows.size >= this.maxEntries && !this.rows.has(username)) {
      const oldest = this.rows.keys().next();
      if (!oldest.done) this.rows.delete(oldest.value);
    }
    this.rows.set(username, row);
  }
  delete(username: string) {
    this.rows.delete(username);
  }
  close() {
    this.rows.clear();
  }
}

class SqliteStore implements VerifierStore {
  constructor(private readonly db: SqliteDatabase) {
    db.exec(`CREATE TABLE IF NOT EXISTS verifiers (
      username TEXT PRIMARY KEY, hash_tag TEXT NOT NULL, verifier BLOB NOT NULL)`);
  }
  get(username: string) {
    const row = this.db
      .prepare('SELECT hash_tag, verifier FROM verifiers WHERE username = ?')
      .get(username) as { hash_tag: string; verifier: Buffer } | undefined;
    return row && { hashTag: row.hash_tag, verifier: row.verifier };
  }
  put(username: string, row: VerifierRow) {
    this.db
      .prepare(
        `INSERT INTO verifiers (username, hash_tag, verifier) VALUES (?, ?, ?)
         ON CONFLICT (username) DO UPDATE SET hash_tag = excluded.hash_tag, verifier = excluded.verifier`,
      )
      .run(username, row.hashTag, row.verifier);
  }
  delete(username: string) {
    this.db.prepare('DELETE FROM verifiers WHERE username = ?').run(username);
  }
  close() {
    if (this.db.open) this.db.close();
  }
}

/** The broker's own HMAC key, created once with mode 0600; a key of the wrong size is refused, not replaced. */
function loadOrCreateKey(file: string): Buffer {
  try {
    writeFileSync(file, randomBytes(KEY_BYTES), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const key = readFileSync(file);
  if (key.length !== KEY_BYTES)
    throw new Error(`${file} must hold ${KEY_BYTES} bytes, found ${key.length}; delete it to make a new one`);
  return key;
}

/**
 * Remembers, per username, a fast verifier of the last secret that passed scrypt, so a reconnect storm
 * after a restart costs one HMAC per device instead of one scrypt. Device and service secrets are 32
 * random bytes, so a fast keyed hash of them cannot be brute-forced; scrypt is kept for the first login
 * and every mismatch. A verifier counts only while the stored hash it was made against is unchanged:
 * a rotation (by any process) or a new enrollment invalidates it at once.
 */
export class CredentialVerifiers {
  private constructor(
    private readonly key: Buffer,
    private readonly store: VerifierStore,
  ) {}

  /** Kept across restarts: the key file and a small SQLite file in the broker's data directory. */
  static inDirectory(dir: string): CredentialVerifiers {
    mkdirSync(dir, { recursive: true });
    const key = loadOrCreateKey(join(dir, VERIFIER_KEY_FILE));
    return new CredentialVerifiers(key, new SqliteStore(openDatabase(join(dir, VERIFIER_DB_FILE))));
  }

  /** For processes without a data directory of their own (console, CLI): forgotten on exit. */
  static inMemory(maxEntries = 10_000): CredentialVerifiers {
    return new CredentialVerifiers(randomBytes(KEY_BYTES), new MemoryStore(maxEntries));
  }

  private verifier(username: string, secret: string): Buffer {
    return createHmac('sha256', this.key).update(username).update('\u0000').update(secret).digest();
  }

  private static tag(storedHash: string): string {
    return createHash('sha256').update(storedHash).digest('base64url');
  }

  /** Names one (username, secret, stored hash) check without revealing the secret, to share a check in flight. */
  fingerprint(username: string, secret: string, storedHash: string): string {
    return `${CredentialVerifiers.tag(storedHash)}:${this.verifier(username, secret).toString('base64url')}`;
  }

  matches(username: string, secret: string, storedHash: string): boolean {
    const row = this.store.get(username);
    if (!row || row.hashTag !== CredentialVerifiers.tag(storedHash)) return false;
    const presented = this.verifier(username, secret);
    return presented.length === row.verifier.length && timingSafeEqual(presented, row.verifier);
  }

  remember(username: string, secret: string, storedHash: string): void {
    this.store.put(username, {
      hashTag: CredentialVerifiers.tag(storedHash),
      verifier: this.verifier(username, secret),
    });
  }

  forget(username: string): void {
    this.store.delete(username);
  }

  close(): void {
    this.store.close();
  }
}
