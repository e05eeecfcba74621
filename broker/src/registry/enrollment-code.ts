import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 symbols without I, O, 0 and 1, so a code read aloud or off a screen survives retyping. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const LENGTH = 12;
const GROUP = 4;

/** `XXXX-XXXX-XXXX`: 60 random bits. */
export function newEnrollmentCode(): string {
  const bytes = randomBytes(LENGTH);
  let plain = '';
  for (const b of bytes) plain += ALPHABET[b & 31];
  return plain.match(new RegExp(`.{${GROUP}}`, 'g'))?.join('-') ?? plain;
}

/** What is hashed and compared: case, spaces and dashes are forgiven. */
export function normalizeEnrollmentCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

function digest(salt: Buffer, code: string): Buffer {
  return createHash('sha256').update(salt).update(normalizeEnrollmentCode(code)).digest();
}

/**
 * Salted SHA-256, not scrypt: a code has 60 random bits and lives a day at most, so a slow hash adds
 * nothing offline, while on the broker's event loop it would let failed attempts stall MQTT traffic.
 */
export function hashEnrollmentCode(code: string): string {
  const salt = randomBytes(16);
  return ['sha256', salt.toString('base64url'), digest(salt, code).toString('base64url')].join('$');
}

export function enrollmentCodeMatches(code: string, stored: string): boolean {
  const [scheme, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'sha256' || salt === undefined || hash === undefined || rest.length > 0) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = digest(Buffer.from(salt, 'base64url'), code);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
