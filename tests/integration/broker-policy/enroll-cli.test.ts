import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Registry } from '../../../broker/src/registry/registry.js';
import { quietLogger, scratchDir } from '../../unit/broker-policy/scratch.js';
import { runTs } from './child.js';

const scratch = scratchDir('enroll-cli');
afterAll(() => scratch.remove());
const data = scratch.file('data');
const enroll = (...args: string[]) => runTs('broker/src/cli/enroll.ts', [...args, '--data', data]);
const openRegistry = () => Registry.open(join(data, 'registry.sqlite'), { logger: quietLogger });

describe('npm run enroll', () => {
  it('creates the device, a signing key pair and a code that enrolls once', async () => {
    const r = await enroll('--device', 'loa-01', '--groups', 'xa-an-binh,huyen-tan-bien', '--ttl', '2h');
    expect(r.code).toBe(0);
    const code = /Enrollment code for loa-01: ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})/.exec(r.stdout)?.[1];
    expect(code).toBeDefined();
    expect(r.stdout).toMatch(/until \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} \(Asia\/Ho_Chi_Minh\)/);
    expect(statSync(join(data, 'console-signing-key.pem')).mode & 0o777).toBe(0o600);
    const registry = openRegistry();
    expect(registry.getDevice('loa-01')).toMatchObject({
      role: 'speaker-cluster',
      groups: ['huyen-tan-bien', 'xa-an-binh'],
    });
    expect(registry.signingPublicKey()).toMatch(/BEGIN PUBLIC KEY/);
    const { password } = registry.redeemEnrollmentCode('loa-01', code ?? '');
    expect(await registry.verify('loa-01', password)).not.toBeNull();
    registry.close();
  });

  it('keeps the existing signing key on later runs', async () => {
    const before = statSync(join(data, 'console-signing-key.pem')).mtimeMs;
    const r = await enroll('--device', 'tram-01', '--role', 'sensor-gateway');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/signing key/);
    expect(statSync(join(data, 'console-signing-key.pem')).mtimeMs).toBe(before);
  });

  it('disables, enables, rotates, lists and issues service credentials', async () => {
    expect((await enroll('--disable', 'loa-01')).code).toBe(0);
    const refused = await enroll('--device', 'loa-01');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/disabled/);
    expect((await enroll('--enable', 'loa-01')).code).toBe(0);
    const rotated = await enroll('--rotate', 'loa-01');
    const password = /shown once\): (\S+)/.exec(rotated.stdout)?.[1] ?? '';
    const service = await enroll('--service', 'collector');
    const [, username, servicePassword] = /username (\S+) password (\S+)/.exec(service.stdout) ?? [];
    const list = await enroll('--list');
    expect(list.stdout).toMatch(/loa-01\tspeaker-cluster\tenrolled\tgroups=huyen-tan-bien,xa-an-binh/);
    expect(list.stdout).toMatch(/tram-01\tsensor-gateway\tnot enrolled/);
    const registry = openRegistry();
    expect(await registry.verify('loa-01', password)).not.toBeNull();
    expect(await registry.verify(username ?? '', servicePassword ?? '')).toMatchObject({
      kind: 'service',
      role: 'collector',
    });
    registry.close();
  });

  it('exits 2 with usage for bad arguments and 1 for unknown devices', async () => {
    const [bad, badRole, badTtl, twoCommands, none, unknown] = await Promise.all([
      enroll('--device', 'Bad Id'),
      enroll('--device', 'x', '--role', 'toaster'),
      enroll('--device', 'x', '--ttl', 'forever'),
      enroll('--list', '--rotate', 'x'),
      runTs('broker/src/cli/enroll.ts', []),
      enroll('--rotate', 'ghost'),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--device: .*lower-case/);
    expect(badRole.code).toBe(2);
    expect(badTtl.stderr).toMatch(/--ttl: use a number/);
    expect(twoCommands.code).toBe(2);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no command given/);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown device "ghost"/);
  });
});
