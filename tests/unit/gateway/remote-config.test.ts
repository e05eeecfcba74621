import { randomUUID } from 'node:crypto';
import { generateSigningKeys, signMessage } from '@xaso/device-profiles/signing';
import { judgeRemoteConfig } from '@xaso/gateway-firmware-ts';
import { describe, expect, it } from 'vitest';

const keys = generateSigningKeys();
const other = generateSigningKeys();
const now = Date.now();

function config(overrides: Record<string, unknown> = {}, key = keys.privateKeyPem) {
  return signMessage(
    {
      v: 1,
      id: randomUUID(),
      issuedAt: now - 1000,
      expiresAt: now + 60_000,
      issuer: 'test',
      deviceId: 'gw-1',
      version: 5,
      groups: [],
      devices: [
        {
          name: 'pm',
          profile: 'pm-sensor-rs485',
          link: { type: 'tcp', host: '127.0.0.1', port: 1502 },
          unitId: 1,
        },
      ],
      ...overrides,
    },
    key,
  );
}

const judge = (message: unknown, currentVersion = 3) =>
  judgeRemoteConfig(Buffer.from(typeof message === 'string' ? message : JSON.stringify(message)), {
    deviceId: 'gw-1',
    signingKeyPem: keys.publicKeyPem,
    currentVersion,
    now,
  });

describe('remote config judgement', () => {
  it('accepts a valid, signed, newer config', () => {
    expect(judge(config()).kind).toBe('accept');
  });
  it('ignores the version already applied (retained redelivery on reconnect)', () => {
    expect(judge(config(), 5)).toEqual({ kind: 'same', version: 5 });
  });
  it('ignores the applied version even after it expired, but still refuses a forged copy of it', () => {
    expect(judge(config({ expiresAt: now - 1 }), 5)).toEqual({ kind: 'same', version: 5 });
    expect(judge(config({}, other.privateKeyPem), 5)).toMatchObject({
      kind: 'refuse',
      reason: 'bad-signature',
    });
  });
  it.each([
    ['forged', () => config({}, other.privateKeyPem), 'bad-signature'],
    ['tampered', () => ({ ...config(), version: 9 }), 'bad-signature'],
    ['expired', () => config({ expiresAt: now - 1 }), 'expired'],
    ['stale', () => config({ version: 2 }), 'stale-version'],
    ['for another device', () => config({ deviceId: 'gw-2' }), 'wrong-device'],
    ['not JSON', () => '{nope', 'malformed'],
  ])('refuses a %s config', (_what, make, reason) => {
    expect(judge(make())).toMatchObject({ kind: 'refuse', reason });
  });
  it('rejects an invalid config naming the field, with its version', () => {
    const verdict = judge(
      config({ devices: [{ name: 'pm', profile: 'pm-sensor-rs485', link: { type: 'tcp' }, unitId: 1 }] }),
    );
    expect(verdict).toMatchObject({ kind: 'invalid', version: 5 });
    expect(verdict.kind === 'invalid' && verdict.reason).toMatch(/devices\.0\.link\.host/);
  });
  it('rejects a config that names an unknown profile', () => {
    const verdict = judge(
      config({
        devices: [{ name: 'x', profile: 'no-such-thing', link: { type: 'tcp', host: 'h' }, unitId: 1 }],
      }),
    );
    expect(verdict).toMatchObject({ kind: 'invalid', version: 5 });
  });
});
