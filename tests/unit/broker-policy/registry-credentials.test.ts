import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from '../../../broker/src/registry/registry.js';
import {
  hashSecret,
  newPassword,
  verifySecret,
  verifySecretSync,
} from '../../../broker/src/registry/secret-hash.js';
import { quietLogger, scratchDir } from './scratch.js';

const scratch = scratchDir('credentials');
let registry: Registry;

beforeAll(() => {
  registry = Registry.open(scratch.file('registry.sqlite'), { logger: quietLogger });
  registry.createDevice({ id: 'loa-01', role: 'speaker-cluster', groups: ['xa-an-binh'] });
  registry.createDevice({ id: 'tram-01', role: 'sensor-gateway' });
});
afterAll(() => {
  registry.close();
  scratch.remove();
});

describe('secret hashes', () => {
  it('are salted scrypt strings carrying their parameters, never the secret', () => {
    const a = hashSecret('mật khẩu', { N: 1024, r: 8, p: 1 });
    const b = hashSecret('mật khẩu', { N: 1024, r: 8, p: 1 });
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('mật khẩu');
    expect(verifySecretSync('mật khẩu', a)).toBe(true);
    expect(verifySecretSync('mật khau', a)).toBe(false);
  });

  it('verify asynchronously and treat a malformed stored hash as a mismatch', async () => {
    const h = hashSecret('abc');
    expect(await verifySecret('abc', h)).toBe(true);
    expect(await verifySecret('abd', h)).toBe(false);
    expect(await verifySecret('abc', 'md5$whatever')).toBe(false);
    expect(await verifySecret('abc', 'scrypt$0$8$1$aa$bb')).toBe(false);
  });

  it('new passwords are 32 random bytes in base64url', () => {
    const p = newPassword();
    expect(p).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newPassword()).not.toBe(p);
  });
});

describe('Registry.verify', () => {
  it('accepts the right password with the device principal, groups included', async () => {
    const { password } = registry.rotateSecret('loa-01');
    expect(await registry.verify('loa-01', password)).toEqual({
      kind: 'device',
      id: 'loa-01',
      role: 'speaker-cluster',
      groups: ['xa-an-binh'],
    });
  });

  it('refuses a wrong password, an unknown user and a device that never got a secret', async () => {
    registry.rotateSecret('loa-01');
    expect(await registry.verify('loa-01', 'wrong')).toBeNull();
    expect(await registry.verify('nobody', 'whatever')).toBeNull();
    expect(await registry.verify('tram-01', '')).toBeNull();
    expect(await registry.verify('', 'x')).toBeNull();
    expect(await registry.verify('loa-01', 'x'.repeat(5000))).toBeNull();
  });

  it('after a rotation the old password fails, even though it was cached', async () => {
    const { password: old } = registry.rotateSecret('loa-01');
    expect(await registry.verify('loa-01', old)).not.toBeNull();
    expect(await registry.verify('loa-01', old)).not.toBeNull();
    const { password: fresh } = registry.rotateSecret('loa-01');
    expect(await registry.verify('loa-01', old)).toBeNull();
    expect(await registry.verify('loa-01', fresh)).not.toBeNull();
  });

  it('a disabled device is refused at once, cached or not, and accepted again when enabled', async () => {
    const { password } = registry.rotateSecret('loa-01');
    expect(await registry.verify('loa-01', password)).not.toBeNull();
    registry.setDisabled('loa-01', true);
    expect(await registry.verify('loa-01', password)).toBeNull();
    registry.setDisabled('loa-01', false);
    expect(await registry.verify('loa-01', password)).not.toBeNull();
  });

  it('answers a reconnect storm from the cache instead of running scrypt each time', async () => {
    const { password } = registry.rotateSecret('tram-01');
    const before = registry.verificationStats();
    const results = await Promise.all(Array.from({ length: 5 }, () => registry.verify('tram-01', password)));
    expect(results.every((r) => r?.kind === 'device')).toBe(true);
    const mid = registry.verificationStats();
    for (let i = 0; i < 200; i++) expect(await registry.verify('tram-01', password)).not.toBeNull();
    const after = registry.verificationStats();
    expect(after.hashChecks - mid.hashChecks).toBe(0);
    expect(after.cacheHits - mid.cacheHits).toBe(200);
    expect(mid.hashChecks - before.hashChecks).toBeGreaterThan(0);
  });

  it('sees rotations and disables made by another process on the same file', async () => {
    const { password } = registry.rotateSecret('tram-01');
    expect(await registry.verify('tram-01', password)).not.toBeNull();
    const other = Registry.open(scratch.file('registry.sqlite'), { logger: quietLogger });
    other.rotateSecret('tram-01');
    expect(await registry.verify('tram-01', password)).toBeNull();
    const { password: second } = other.rotateSecret('tram-01');
    expect(await registry.verify('tram-01', second)).not.toBeNull();
    other.setDisabled('tram-01', true);
    expect(await registry.verify('tram-01', second)).toBeNull();
    other.setDisabled('tram-01', false);
    other.close();
  });

  it('picks up group changes without a new login', async () => {
    const { password } = registry.rotateSecret('loa-01');
    await registry.verify('loa-01', password);
    registry.setGroups('loa-01', ['xa-an-binh', 'huyen-tan-bien']);
    const p = await registry.verify('loa-01', password);
    expect(p?.kind === 'device' && p.groups).toEqual(['huyen-tan-bien', 'xa-an-binh']);
    expect(registry.principalOf('loa-01')).toEqual(p);
    registry.setGroups('loa-01', ['xa-an-binh']);
  });
});

describe('services', () => {
  it('issue credentials that verify as the service principal, reset on request', async () => {
    const first = registry.ensureService('collector');
    expect(first.username).toBe('_collector');
    expect(await registry.verify(first.username, first.password)).toEqual({
      kind: 'service',
      id: '_collector',
      role: 'collector',
    });
    const second = registry.ensureService('collector');
    expect(second.password).not.toBe(first.password);
    expect(await registry.verify(first.username, first.password)).toBeNull();
    expect(await registry.verify(second.username, second.password)).not.toBeNull();
  });

  it('keep a configured password idempotently and refuse short ones', async () => {
    const configured = 'console-secret-from-env-123456';
    expect(registry.ensureService('console', configured)).toEqual({
      username: '_console',
      password: configured,
    });
    expect(registry.ensureService('console', configured).password).toBe(configured);
    expect((await registry.verify('_console', configured))?.kind).toBe('service');
    expect(() => registry.ensureService('console', 'short')).toThrow(/16 characters/);
  });
});
