import { pbkdf2Sync, randomBytes } from 'node:crypto';

/** Mosquitto's default is 101; our device secrets are 256 random bits, so stretching only guards service passwords. */
export const MOSQUITTO_PBKDF2_ITERATIONS = 1000;
const SALT_BYTES = 12;
const HASH_BYTES = 64;

/** A `password_file` hash in Mosquitto 2's PBKDF2-SHA512 format: `$7$<iterations>$<salt>$<hash>` (base64). */
export function mosquittoPasswordHash(
  password: string,
  iterations = MOSQUITTO_PBKDF2_ITERATIONS,
  salt: Buffer = randomBytes(SALT_BYTES),
): string {
  const hash = pbkdf2Sync(password, salt, iterations, HASH_BYTES, 'sha512');
  return `$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Whether `stored` (one `$7$` hash, e.g. written by mosquitto_passwd) is the hash of `password`. */
export function matchesMosquittoHash(password: string, stored: string): boolean {
  const [empty, scheme, iterations, salt, hash, ...rest] = stored.split('$');
  if (empty !== '' || scheme !== '7' || rest.length > 0 || salt === undefined || hash === undefined)
    return false;
  const n = Number(iterations);
  if (!Number.isInteger(n) || n <= 0) return false;
  return mosquittoPasswordHash(password, n, Buffer.from(salt, 'base64')) === stored;
}
