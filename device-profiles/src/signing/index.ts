import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { canonicalJson } from '../contract/canonical-json.js';

/** Ed25519 key pair as PEM strings, the form kept in the registry and handed out at enrollment. */
export function generateSigningKeys(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

function asPrivate(key: string | KeyObject): KeyObject {
  return typeof key === 'string' ? createPrivateKey(key) : key;
}
// Parsing a PEM costs more than the Ed25519 check itself (~0.4 ms on a small board): a gateway verifies every
// command with the one key it got at enrollment, so keep the parsed keys of the last few PEMs.
const parsedPublicKeys = new Map<string, KeyObject>();
const PARSED_KEYS_KEPT = 16;

function asPublic(key: string | KeyObject): KeyObject {
  if (typeof key !== 'string') return key;
  const known = parsedPublicKeys.get(key);
  if (known) return known;
  const parsed = createPublicKey(key);
  if (parsedPublicKeys.size >= PARSED_KEYS_KEPT) parsedPublicKeys.clear();
  parsedPublicKeys.set(key, parsed);
  return parsed;
}

/** Adds `sig` over the canonical JSON of every other field. */
export function signMessage<T extends object>(
  unsigned: T,
  privateKey: string | KeyObject,
): T & { sig: string } {
  const { sig: _drop, ...rest } = unsigned as T & { sig?: string };
  const signature = sign(null, Buffer.from(canonicalJson(rest)), asPrivate(privateKey));
  return { ...(rest as T), sig: signature.toString('base64') };
}

/** True only when `sig` is present and is a valid signature of the rest by that key. */
export function verifyMessage(message: unknown, publicKey: string | KeyObject): boolean {
  if (typeof message !== 'object' || message === null) return false;
  const { sig, ...rest } = message as { sig?: unknown };
  if (typeof sig !== 'string' || sig.length === 0) return false;
  try {
    return verify(null, Buffer.from(canonicalJson(rest)), asPublic(publicKey), Buffer.from(sig, 'base64'));
  } catch {
    return false;
  }
}
