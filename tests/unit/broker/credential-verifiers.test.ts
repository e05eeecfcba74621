import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CredentialVerifiers,
  VERIFIER_DB_FILE,
  VERIFIER_KEY_FILE,
} from '../../../broker/src/registry/credential-verifiers.js';
import { HashGate } from '../../../broker/src/registry/hash-gate.js';
import type { CredentialCheck } from '../../../broker/src/registry/registry.js';
import { Registry } from '../../../broker/src/registry/registry.js';
import { hashSecret, newPassword } from '../../../broker/src/registry/secret-hash.js';

const dir = mkdtempSync(join(tmpdir(), 'xaso-verifiers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CHEAP = { N: 1024, r: 8, p: 1 };
const quiet = pino({ level: 'silent' });

describe('CredentialVerifiers', () => {
  it('keeps its key private (0600) and its verifiers across a reopen, tied to the stored hash', () => {
    const where = join(dir, 'reopen');
    const secret = newPassword();
    const stored = hashSecret(secret, CHEAP);
    const first = CredentialVerifiers.inDirectory(where);
    expect(first.matches('loa-01', secret, stored)).toBe(false);
    first.remember('loa-01', secret, stored);
    expect(first.matches('loa-01', secret, stored)).toBe(true);
    first.close();

    expect(statSync(join(where, VERIFIER_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(where, VERIFIER_DB_FILE)).includes(Buffer.from(secret))).toBe(false);

    const again = CredentialVerifiers.inDirectory(where);
    expect(again.matches('loa-01', secret, stored)).toBe(true);
    expect(again.matches('loa-01', `${secret}x`, stored)).toBe(false);
    expect(again.matches('loa-02', secret, stored)).toBe(false);
    expect(again.matches('loa-01', secret, hashSecret(secret, CHEAP))).toBe(false);
    again.forget('loa-01');
    expect(again.matches('loa-01', secret, stored)).toBe(false);
    again.close();
  });

  it('a verifier made under another key never matches, and a damaged key file is refused by name', () => {
    const a = join(dir, 'key-a');
    const secret = newPassword();
    const stored = hashSecret(secret, CHEAP);
    const first = CredentialVerifiers.inDirectory(a);
    first.remember('loa-01', secret, stored);
    first.close();
    writeFileSync(join(a, VERIFIER_KEY_FILE), Buffer.alloc(32, 7));
    const rekeyed = CredentialVerifiers.inDirectory(a);
    expect(rekeyed.matches('loa-01', secret, stored)).toBe(false);
    rekeyed.close();
    writeFileSync(join(a, VERIFIER_KEY_FILE), 'short');
    expect(() => CredentialVerifiers.inDirectory(a)).toThrow(/credential-verifier\.key must hold 32 bytes/);
  });
});

describe('HashGate', () => {
  it('never runs more than its limit at once and runs everything queued', async () => {
    const gate = new HashGate(2);
    let running = 0;
    let peak = 0;
    const task = async (i: number) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return i;
    };
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => gate.run(() => task(i))));
    expect(results).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(peak).toBe(2);
    expect(gate.queued).toBe(0);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 'still works')).toBe('still works');
  });
});

describe('Registry with remembered verifiers', () => {
  it('answers a restarted registry from the verifier, but a wrong password, a rotation and a disable run scrypt or refuse', async () => {
    const where = join(dir, 'registry');
    const checks: CredentialCheck[] = [];
    const open = () =>
      Registry.open(join(where, 'registry.sqlite'), {
        logger: quiet,
        verifiers: CredentialVerifiers.inDirectory(where),
        onCheck: (c) => checks.push(c),
      });
    const first = open();
    first.createDevice({ id: 'loa-01', role: 'speaker-cluster' });
    const secret = newPassword();
    first.db
      .prepare('UPDATE devices SET secret_hash = ? WHERE id = ?')
      .run(hashSecret(secret, CHEAP), 'loa-01');
    expect(await first.verify('loa-01', secret)).not.toBeNull();
    first.close();
    expect(checks).toEqual(['scrypt']);

    const second = open();
    checks.length = 0;
    expect(await second.verify('loa-01', secret)).not.toBeNull();
    expect(checks).toEqual(['verifier']);
    expect(await second.verify('loa-01', 'sai mật khẩu')).toBeNull();
    expect(checks).toEqual(['verifier', 'scrypt']);
    second.setDisabled('loa-01', true);
    expect(await second.verify('loa-01', secret)).toBeNull();
    second.setDisabled('loa-01', false);
    const { password: rotated } = second.rotateSecret('loa-01');
    checks.length = 0;
    expect(await second.verify('loa-01', secret)).toBeNull();
    expect(await second.verify('loa-01', rotated)).not.toBeNull();
    expect(await second.verify('loa-01', rotated)).not.toBeNull();
    expect(checks).toEqual(['scrypt', 'scrypt', 'verifier']);
    expect(await second.verify('loa-01', rotated, { abandoned: () => true })).not.toBeNull();
    expect(await second.verify('loa-01', 'wrong', { abandoned: () => true })).toBeNull();
    expect(checks.at(-1)).toBe('abandoned');

    // Identical logins arriving together (a fleet of service connections) share one scrypt.
    const { password: fresh } = second.rotateSecret('loa-01');
    checks.length = 0;
    const together = await Promise.all(Array.from({ length: 10 }, () => second.verify('loa-01', fresh)));
    expect(together.every((p) => p?.id === 'loa-01')).toBe(true);
    expect(checks.filter((c) => c === 'scrypt')).toHaveLength(1);
    expect(checks.filter((c) => c === 'shared')).toHaveLength(9);
    second.close();
  });
});
