import { createPublicKey } from 'node:crypto';
import { RegistryError } from './errors.js';
import type { SqliteDatabase } from './sqlite.js';

/** The console's Ed25519 public key, stored so gateways can be told it at enrollment. */
const SIGNING_KEY_SETTING = 'signing_public_key';

export function readSigningPublicKey(db: SqliteDatabase): string | undefined {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(SIGNING_KEY_SETTING) as
    | { value: string }
    | undefined;
  return row?.value;
}

/** Throws RegistryError unless `pem` is an Ed25519 public key. */
export function storeSigningPublicKey(db: SqliteDatabase, pem: string): void {
  let keyType: string | undefined;
  try {
    keyType = createPublicKey(pem).asymmetricKeyType;
  } catch {
    throw new RegistryError('the signing public key is not a valid PEM public key');
  }
  if (keyType !== 'ed25519')
    throw new RegistryError(`the signing public key must be Ed25519, got ${keyType}`);
  db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(SIGNING_KEY_SETTING, pem);
}
