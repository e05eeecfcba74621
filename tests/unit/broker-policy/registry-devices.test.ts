import { generateKeyPairSync } from 'node:crypto';
import { generateSigningKeys } from '@xaso/device-profiles/signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceExistsError, RegistryError, UnknownDeviceError } from '../../../broker/src/registry/errors.js';
import { Registry } from '../../../broker/src/registry/registry.js';
import { quietLogger, scratchDir } from './scratch.js';

const scratch = scratchDir('devices');
let registry: Registry;
const clock = { t: 1_790_000_000_000 };

beforeAll(() => {
  registry = Registry.open(scratch.file('registry.sqlite'), { logger: quietLogger, now: () => clock.t });
});
afterAll(() => {
  registry.close();
  scratch.remove();
});

describe('devices', () => {
  it('are created, read back without any secret, and listed in id order', () => {
    registry.createDevice({
      id: 'loa-02',
      role: 'speaker-cluster',
      groups: ['b', 'a', 'a'],
      areaId: 'xa-an-binh',
      name: 'Cụm loa ấp 2',
    });
    registry.createDevice({ id: 'loa-01', role: 'speaker-cluster' });
    const d = registry.getDevice('loa-02');
    expect(d).toEqual({
      id: 'loa-02',
      role: 'speaker-cluster',
      name: 'Cụm loa ấp 2',
      areaId: 'xa-an-binh',
      groups: ['a', 'b'],
      disabled: false,
      hasSecret: false,
      createdAt: clock.t,
      enrolledAt: null,
      rotatedAt: null,
    });
    expect(JSON.stringify(registry.listDevices())).not.toMatch(/scrypt|hash/);
    expect(registry.listDevices().map((x) => x.id)).toEqual(['loa-01', 'loa-02']);
    expect(registry.getDevice('nope')).toBeUndefined();
  });

  it('refuse duplicates, bad ids, bad roles and unknown targets with clear errors', () => {
    expect(() => registry.createDevice({ id: 'loa-01', role: 'speaker-cluster' })).toThrow(DeviceExistsError);
    expect(() => registry.createDevice({ id: 'Loa/01', role: 'speaker-cluster' })).toThrow(
      /invalid device: id:/,
    );
    expect(() => registry.createDevice({ id: 'x', role: 'toaster' as 'speaker-cluster' })).toThrow(/role/);
    expect(() => registry.setGroups('loa-01', ['bad group'])).toThrow(/invalid groups: 0: use lower-case/);
    expect(() => registry.setDisabled('ghost', true)).toThrow(UnknownDeviceError);
    expect(() => registry.rotateSecret('ghost')).toThrow(UnknownDeviceError);
    expect(() => registry.issueEnrollmentCode('ghost')).toThrow(UnknownDeviceError);
    expect(() => registry.issueEnrollmentCode('loa-01', 0)).toThrow(RegistryError);
  });
});

describe('changesSince', () => {
  it('reports disables, enables, rotations, group changes and deletions in order, from a cursor', () => {
    const start = registry.changeCursor();
    registry.setDisabled('loa-01', true);
    registry.setDisabled('loa-01', false);
    registry.rotateSecret('loa-02');
    registry.setGroups('loa-02', ['c']);
    const mid = registry.changesSince(start);
    expect(mid.changes).toEqual([
      { deviceId: 'loa-01', kind: 'disabled' },
      { deviceId: 'loa-01', kind: 'enabled' },
      { deviceId: 'loa-02', kind: 'rotated' },
      { deviceId: 'loa-02', kind: 'groups' },
    ]);
    registry.deleteDevice('loa-01');
    const next = registry.changesSince(mid.cursor);
    expect(next.changes).toEqual([{ deviceId: 'loa-01', kind: 'deleted' }]);
    expect(registry.changesSince(next.cursor)).toEqual({ cursor: next.cursor, changes: [] });
    expect(registry.getDevice('loa-01')).toBeUndefined();
  });
});

describe('signing public key', () => {
  it('is absent at first, then stored; only Ed25519 PEM is accepted', () => {
    expect(registry.signingPublicKey()).toBeUndefined();
    const { publicKeyPem } = generateSigningKeys();
    registry.setSigningPublicKey(publicKeyPem);
    expect(registry.signingPublicKey()).toBe(publicKeyPem);
    expect(() => registry.setSigningPublicKey('not a key')).toThrow(/PEM/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(() => registry.setSigningPublicKey(rsa)).toThrow(/Ed25519/);
    expect(registry.signingPublicKey()).toBe(publicKeyPem);
  });
});
