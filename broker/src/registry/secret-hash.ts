import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';

/** Cost parameters travel with each hash, so raising them later leaves old hashes verifiable. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}
export const DEFAULT_SCRYPT: ScryptParams = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

/** A fresh device or service password: 32 random bytes, base64url (43 characters). */
export function newPassword(): string {
  return randomBytes(32).toString('base64url');
}

function options({ N, r, p }: ScryptParams): ScryptOptions {
  return { N, r, p, maxmem: 256 * N * r };
}

/** `scrypt$N$r$p$salt$hash` with base64url salt and hash. */
export function hashSecret(secret: string, params: ScryptParams = DEFAULT_SCRYPT): string {
  const salt = randomBytes(16);
  const hash = scryptSync(secret, salt, KEY_LENGTH, options(params));
  return [
    'scrypt',
    params.N,
    params.r,
    params.p,
    salt.toString('base64url'),
    hash.toString('base64url'),
  ].join('$');
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || rest.length > 0 || salt === undefined || hash === undefined) return null;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (![params.N, params.r, params.p].every((v) => Number.isInteger(v) && v > 0)) return null;
  return { params, salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') };
}

/** Off the event loop (libuv pool): a reconnect storm must not freeze the broker. */
export function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (parsed === null) return Promise.resolve(false);
  return new Promise((resolve, reject) => {
    scrypt(secret, parsed.salt, parsed.hash.length, options(parsed.params), (err, derived) => {
      if (err) reject(err);
      else resolve(derived.length === parsed.hash.length && timingSafeEqual(derived, parsed.hash));
    });
  });
}

export function verifySecretSync(secret: string, stored: string): boolean {
  const parsed = parseHash(stored);
  if (parsed === null) return false;
  const derived = scryptSync(secret, parsed.salt, parsed.hash.length, options(parsed.params));
  return timingSafeEqual(derived, parsed.hash);
}

/** Spent on unknown usernames so a wrong username costs as long as a wrong password. */
export const DECOY_HASH = hashSecret(newPassword());
