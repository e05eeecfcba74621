import { filters, topics } from '@xaso/device-profiles/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goAuthRoutes } from '../../../broker/src/policy/go-auth-routes.js';
import { Registry } from '../../../broker/src/registry/registry.js';
import { quietLogger, scratchDir } from '../../unit/broker-policy/scratch.js';
import { postJson, serveOnLoopback } from './http-server.js';

const scratch = scratchDir('go-auth-http');
let registry: Registry;
let http: Awaited<ReturnType<typeof serveOnLoopback>>;
let password: string;

beforeAll(async () => {
  registry = Registry.open(scratch.file('registry.sqlite'), { logger: quietLogger });
  registry.createDevice({ id: 'loa-01', role: 'speaker-cluster', groups: ['xa-an-binh'] });
  password = registry.rotateSecret('loa-01').password;
  registry.ensureService('console', 'console-password-0123456789');
  http = await serveOnLoopback(goAuthRoutes({ registry, logger: quietLogger }));
});
afterAll(async () => {
  await http.close();
  registry.close();
  scratch.remove();
});

async function check(path: string, body: unknown): Promise<boolean> {
  const res = await postJson(`${http.base}${path}`, body);
  const json = (await res.json()) as { ok: boolean };
  expect(res.status === 200).toBe(json.ok);
  return json.ok;
}

describe('mosquitto-go-auth HTTP backend', () => {
  it('checks users by password and never grants superuser', async () => {
    expect(await check('/user', { username: 'loa-01', password, clientid: 'loa-01' })).toBe(true);
    expect(await check('/user', { username: 'loa-01', password: 'bad', clientid: 'loa-01' })).toBe(false);
    expect(await check('/user', { username: 'loa-01' })).toBe(false);
    expect(await check('/superuser', { username: '_console' })).toBe(false);
  });

  const READ = 1;
  const WRITE = 2;
  const SUBSCRIBE = 4;
  const cases: [string, string, number, boolean][] = [
    ['loa-01', topics.telemetry('loa-01'), WRITE, true],
    ['loa-01', topics.telemetry('loa-02'), WRITE, false],
    ['loa-01', topics.command('loa-01'), SUBSCRIBE, true],
    ['loa-01', topics.command('loa-01'), READ, true],
    ['loa-01', topics.command('loa-01'), READ | WRITE, false],
    ['loa-01', topics.groupCommand('xa-an-binh'), READ, true],
    ['loa-01', topics.groupCommand('xa-khac'), SUBSCRIBE, false],
    ['_console', filters.allStatus, SUBSCRIBE, true],
    ['_console', topics.status('loa-01'), READ, true],
    ['_console', topics.command('loa-01'), WRITE, true],
    ['_console', topics.command('loa-01'), READ, false],
    ['ghost', topics.telemetry('ghost'), WRITE, false],
  ];
  for (const [username, topic, acc, expected] of cases) {
    it(`${expected ? 'allows' : 'denies'} ${username} acc=${acc} on ${topic}`, async () => {
      expect(await check('/acl', { username, clientid: username, topic, acc })).toBe(expected);
    });
  }

  it('denies malformed ACL requests', async () => {
    expect(await check('/acl', { username: 'loa-01', topic: topics.telemetry('loa-01'), acc: 'write' })).toBe(
      false,
    );
  });
});
