import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKeys } from '@xaso/device-profiles/signing';
import type { Registry } from '../registry/registry.js';

export const SIGNING_KEY_FILE = 'console-signing-key.pem';

/**
 * Makes sure the registry holds the console's command-signing public key. An existing private key
 * file wins (the registry may have been rebuilt); otherwise a new Ed25519 pair is made and the
 * private half written next to the registry, readable by its owner only.
 */
export function ensureSigningKey(
  registry: Registry,
  dataDir: string,
): { created: boolean; privateKeyPath: string } {
  const privateKeyPath = join(dataDir, SIGNING_KEY_FILE);
  if (registry.signingPublicKey() !== undefined) return { created: false, privateKeyPath };
  if (existsSync(privateKeyPath)) {
    const publicKey = createPublicKey(createPrivateKey(readFileSync(privateKeyPath, 'utf8')));
    registry.setSigningPublicKey(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    return { created: false, privateKeyPath };
  }
  const { publicKeyPem, privateKeyPem } = generateSigningKeys();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(privateKeyPath, privateKeyPem, { mode: 0o600, flag: 'wx' });
  registry.setSigningPublicKey(publicKeyPem);
  return { created: true, privateKeyPath };
}
