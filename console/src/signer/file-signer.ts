import { randomUUID } from 'node:crypto';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKeys, signMessage } from '@xaso/device-profiles/signing';
import type { Signer } from '../app/env.js';

export const SIGNING_KEY_FILE = 'console-signing-key.pem';

/** The Ed25519 key kept in the data dir (mode 0600); created on first start. */
export class FileSigner implements Signer {
  readonly publicKeyPem: string;
  private readonly privateKey: ReturnType<typeof createPrivateKey>;

  private constructor(
    privateKeyPem: string,
    private readonly now: () => number,
  ) {
    this.privateKey = createPrivateKey(privateKeyPem);
    if (this.privateKey.asymmetricKeyType !== 'ed25519')
      throw new Error(`the console signing key must be Ed25519, got ${this.privateKey.asymmetricKeyType}`);
    this.publicKeyPem = createPublicKey(this.privateKey).export({ type: 'spki', format: 'pem' }).toString();
  }

  static open(dataDir: string, now: () => number = Date.now): { signer: FileSigner; created: boolean } {
    const file = join(dataDir, SIGNING_KEY_FILE);
    if (existsSync(file)) {
      chmodSync(file, 0o600);
      return { signer: new FileSigner(readFileSync(file, 'utf8'), now), created: false };
    }
    const { privateKeyPem } = generateSigningKeys();
    // 'wx' refuses to overwrite a key another process wrote meanwhile.
    writeFileSync(file, privateKeyPem, { mode: 0o600, flag: 'wx' });
    return { signer: new FileSigner(privateKeyPem, now), created: true };
  }

  sign<T extends Record<string, unknown>>(
    unsigned: T,
    issuer: string,
    ttlMs: number,
  ): T & { id: string; issuedAt: number; expiresAt: number; issuer: string; sig: string } {
    const issuedAt = this.now();
    const body = { ...unsigned, id: randomUUID(), issuedAt, expiresAt: issuedAt + ttlMs, issuer };
    return signMessage(body, this.privateKey);
  }
}
