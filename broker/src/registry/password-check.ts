import type { Logger } from 'pino';
import type { Principal } from '../policy/principal.js';
import type { CredentialVerifiers } from './credential-verifiers.js';
import { findCredential } from './device-rows.js';
import { HashGate } from './hash-gate.js';
import { DECOY_HASH, verifySecret } from './secret-hash.js';
import type { SqliteDatabase } from './sqlite.js';

/**
 * How a password check was answered: a remembered verifier, a full scrypt, the result of an identical
 * scrypt already running, or dropped because the caller left.
 */
export type CredentialCheck = 'verifier' | 'scrypt' | 'shared' | 'abandoned';

export interface PasswordCheckOptions {
  log: Logger;
  /** scrypt checks allowed to run at once, so logins never fill libuv's thread pool. */
  hashConcurrency: number;
  /** Told how each password check was answered (for metrics). */
  onCheck: (check: CredentialCheck) => void;
}

/**
 * Checks a username and password against the registry: a remembered verifier when one matches, otherwise
 * scrypt behind a small gate, with identical logins arriving together sharing one scrypt.
 */
export class PasswordCheck {
  private readonly gate: HashGate;
  private readonly stats = { cacheHits: 0, hashChecks: 0 };
  /** scrypt checks in flight by fingerprint: identical logins arriving together share one. */
  private readonly inFlight = new Map<string, Promise<boolean | undefined>>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly cache: CredentialVerifiers,
    private readonly options: PasswordCheckOptions,
  ) {
    this.gate = new HashGate(options.hashConcurrency);
  }

  /**
   * Resolves to null for unknown users, wrong passwords and disabled devices; never throws for bad input.
   * `abandoned` is asked once a scrypt slot is free, so a client that gave up waiting costs nothing more.
   */
  async verify(
    username: string,
    password: string,
    options: { abandoned?: () => boolean } = {},
  ): Promise<Principal | null> {
    const { log, onCheck } = this.options;
    if (username.length === 0 || username.length > 256 || password.length > 1024) return null;
    const found = findCredential(this.db, username);
    if (found?.disabled) {
      log.info({ username, reason: 'disabled' }, 'authentication failed');
      return null;
    }
    if (found && this.cache.matches(username, password, found.secretHash)) {
      this.stats.cacheHits++;
      onCheck('verifier');
      return found.principal;
    }
    const stored = found?.secretHash ?? DECOY_HASH;
    const fingerprint = this.cache.fingerprint(username, password, stored);
    let check = this.inFlight.get(fingerprint);
    const shared = check !== undefined;
    if (check) {
      this.stats.cacheHits++;
      onCheck('shared');
    } else {
      check = this.gate.run(async () => {
        if (options.abandoned?.()) return undefined;
        this.stats.hashChecks++;
        onCheck('scrypt');
        return verifySecret(password, stored);
      });
      this.inFlight.set(fingerprint, check);
      const settled = () => this.inFlight.delete(fingerprint);
      check.then(settled, settled);
    }
    const ok = await check;
    // The client that started a shared check left before it ran: this one still wants an answer.
    if (ok === undefined && shared) return this.verify(username, password, options);
    if (ok === undefined) {
      onCheck('abandoned');
      log.info({ username, reason: 'client left while queued' }, 'authentication abandoned');
      return null;
    }
    if (!found) {
      log.info({ username, reason: 'unknown user' }, 'authentication failed');
      return null;
    }
    const current = findCredential(this.db, username);
    if (!ok || !current || current.disabled || current.secretHash !== found.secretHash) {
      log.info(
        { username, reason: ok ? 'changed while checking' : 'wrong password' },
        'authentication failed',
      );
      return null;
    }
    this.cache.remember(username, password, found.secretHash);
    return current.principal;
  }

  /** How many password checks the cache answered and how many ran scrypt (for metrics). */
  counts(): { cacheHits: number; hashChecks: number } {
    return { ...this.stats };
  }
}
