import { canonicalJson, signedPart } from '@xaso/device-profiles/contract';
import { generateSigningKeys, signMessage, verifyMessage } from '@xaso/device-profiles/signing';
import { beforeAll, describe, expect, it } from 'vitest';

describe('canonicalJson', () => {
  it('does not depend on key order, at any depth', () => {
    const a = { b: 1, a: { d: [1, { y: 2, x: 1 }], c: 'é' } };
    const b = { a: { c: 'é', d: [1, { x: 1, y: 2 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"c":"é","d":[1,{"x":1,"y":2}]},"b":1}');
  });

  it('keeps array order and nests arrays', () => {
    expect(canonicalJson([[2, 1], [], [{ b: null, a: true }]])).toBe('[[2,1],[],[{"a":true,"b":null}]]');
    expect(canonicalJson([3, 1, 2])).not.toBe(canonicalJson([1, 2, 3]));
  });

  it('leaves out undefined members like JSON.stringify, and escapes like it', () => {
    expect(canonicalJson({ a: undefined, b: 'quote " and \n' })).toBe('{"b":"quote \\" and \\n"}');
    expect(canonicalJson({ z: 1, Z: 2, _: 3 })).toBe('{"Z":2,"_":3,"z":1}');
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])('refuses %s anywhere', (bad) => {
    expect(() => canonicalJson(bad)).toThrow(/non-finite/);
    expect(() => canonicalJson({ a: [1, { b: bad }] })).toThrow(/non-finite/);
  });
});

describe('signMessage / verifyMessage (Ed25519)', () => {
  let keys: { publicKeyPem: string; privateKeyPem: string };
  let other: { publicKeyPem: string; privateKeyPem: string };
  const unsigned = {
    v: 1,
    id: '3f6c2a9e-8b1d-4c7a-9e2f-5a1b0c3d4e5f',
    issuedAt: 1_767_249_000_000,
    expiresAt: 1_767_252_600_000,
    issuer: 'operator:a',
    target: { kind: 'device', deviceId: 'spk-1' },
    body: { type: 'set-volume', volume: 60 },
  };

  beforeAll(() => {
    keys = generateSigningKeys();
    other = generateSigningKeys();
  });

  it('verifies what it signed, with the key pair as PEM', () => {
    const signed = signMessage(unsigned, keys.privateKeyPem);
    expect(signed.sig).toMatch(/^[A-Za-z0-9+/]{86}==$/);
    expect(verifyMessage(signed, keys.publicKeyPem)).toBe(true);
    expect(signedPart(signed)).toEqual(unsigned);
  });

  it('verifies after a JSON round trip that reorders keys', () => {
    const signed = signMessage(unsigned, keys.privateKeyPem);
    const { sig, ...rest } = signed;
    const reordered = JSON.parse(
      JSON.stringify({ sig, ...Object.fromEntries(Object.entries(rest).reverse()) }),
    );
    expect(Object.keys(reordered)[0]).toBe('sig');
    expect(verifyMessage(reordered, keys.publicKeyPem)).toBe(true);
  });

  it('replaces an old sig instead of signing over it', () => {
    const resigned = signMessage({ ...unsigned, sig: 'AAAA' }, keys.privateKeyPem);
    expect(verifyMessage(resigned, keys.publicKeyPem)).toBe(true);
  });

  it('refuses a tampered field, top-level or nested', () => {
    const signed = signMessage(unsigned, keys.privateKeyPem);
    expect(verifyMessage({ ...signed, expiresAt: signed.expiresAt + 1 }, keys.publicKeyPem)).toBe(false);
    expect(verifyMessage({ ...signed, body: { ...signed.body, volume: 100 } }, keys.publicKeyPem)).toBe(
      false,
    );
    expect(verifyMessage({ ...signed, extra: true }, keys.publicKeyPem)).toBe(false);
  });

  it('refuses the wrong key', () => {
    const signed = signMessage(unsigned, keys.privateKeyPem);
    expect(verifyMessage(signed, other.publicKeyPem)).toBe(false);
  });

  it('refuses a missing, empty, non-string or garbage sig, and non-objects', () => {
    const signed = signMessage(unsigned, keys.privateKeyPem);
    expect(verifyMessage(unsigned, keys.publicKeyPem)).toBe(false);
    expect(verifyMessage({ ...signed, sig: '' }, keys.publicKeyPem)).toBe(false);
    expect(verifyMessage({ ...signed, sig: 42 }, keys.publicKeyPem)).toBe(false);
    expect(verifyMessage({ ...signed, sig: 'not base64 at all!' }, keys.publicKeyPem)).toBe(false);
    expect(verifyMessage({ ...signed, sig: Buffer.alloc(64).toString('base64') }, keys.publicKeyPem)).toBe(
      false,
    );
    expect(verifyMessage({ ...signed, sig: signed.sig.slice(0, 40) }, keys.publicKeyPem)).toBe(false);
    expect(verifyMessage(null, keys.publicKeyPem)).toBe(false);
    expect(verifyMessage('text', keys.publicKeyPem)).toBe(false);
  });

  it('refuses a message it cannot canonicalise instead of throwing', () => {
    const signed = signMessage(unsigned, keys.privateKeyPem);
    expect(
      verifyMessage({ ...signed, body: { type: 'set-volume', volume: Number.NaN } }, keys.publicKeyPem),
    ).toBe(false);
  });

  it('keeps each PEM to its own key when it remembers parsed keys, and refuses a malformed PEM', () => {
    const others = Array.from({ length: 20 }, () => generateSigningKeys());
    for (const round of [0, 1])
      for (const [i, other] of others.entries()) {
        const signed = signMessage({ ...unsigned, n: i, round }, other.privateKeyPem);
        expect(verifyMessage(signed, other.publicKeyPem)).toBe(true);
        expect(verifyMessage(signed, keys.publicKeyPem)).toBe(false);
        expect(verifyMessage(signMessage(signed, keys.privateKeyPem), other.publicKeyPem)).toBe(false);
      }
    expect(verifyMessage(signMessage(unsigned, keys.privateKeyPem), 'not a pem')).toBe(false);
  });
});
