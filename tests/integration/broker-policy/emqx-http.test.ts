import { filters, topics } from '@xaso/device-profiles/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emqxRoutes } from '../../../broker/src/policy/emqx-routes.js';
import { Registry } from '../../../broker/src/registry/registry.js';
import { quietLogger, scratchDir } from '../../unit/broker-policy/scratch.js';
import { postJson, serveOnLoopback } from './http-server.js';

const scratch = scratchDir('emqx-http');
let registry: Registry;
let open: Awaited<ReturnType<typeof serveOnLoopback>>;
let guarded: Awaited<ReturnType<typeof serveOnLoopback>>;
let devicePassword: string;
let collector: { username: string; password: string };
const SHARED = 'emqx-hook-secret-0123456789';

beforeAll(async () => {
  registry = Registry.open(scratch.file('registry.sqlite'), { logger: quietLogger });
  registry.createDevice({ id: 'loa-01', role: 'speaker-cluster', groups: ['xa-an-binh'] });
  devicePassword = registry.rotateSecret('loa-01').password;
  collector = registry.ensureService('collector');
  open = await serveOnLoopback(emqxRoutes({ registry, logger: quietLogger }));
  guarded = await serveOnLoopback(emqxRoutes({ registry, logger: quietLogger, sharedSecret: SHARED }));
});
afterAll(async () => {
  await open.close();
  await guarded.close();
  registry.close();
  scratch.remove();
});

async function call(base: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await postJson(`${base}${path}`, body, headers);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  return res.json();
}

describe('EMQX HTTP authentication', () => {
  it('allows the right credentials and never grants superuser', async () => {
    expect(
      await call(open.base, '/authenticate', {
        username: 'loa-01',
        password: devicePassword,
        clientid: 'loa-01',
      }),
    ).toEqual({
      result: 'allow',
      is_superuser: false,
    });
    expect(await call(open.base, '/authenticate', { ...collector, clientid: 'collector-1' })).toEqual({
      result: 'allow',
      is_superuser: false,
    });
  });

  it('denies wrong passwords, unknown users, disabled devices and malformed bodies with 200', async () => {
    const deny = { result: 'deny', is_superuser: false };
    expect(
      await call(open.base, '/authenticate', { username: 'loa-01', password: 'nope', clientid: 'x' }),
    ).toEqual(deny);
    expect(
      await call(open.base, '/authenticate', { username: 'ghost', password: 'nope', clientid: 'x' }),
    ).toEqual(deny);
    expect(await call(open.base, '/authenticate', { username: 'loa-01' })).toEqual(deny);
    expect(await call(open.base, '/authenticate', 'not json')).toEqual(deny);
    registry.setDisabled('loa-01', true);
    expect(await call(open.base, '/authenticate', { username: 'loa-01', password: devicePassword })).toEqual(
      deny,
    );
    registry.setDisabled('loa-01', false);
  });

  it('requires the shared secret when one is configured', async () => {
    const body = { username: 'loa-01', password: devicePassword, clientid: 'loa-01' };
    expect(await call(guarded.base, '/authenticate', body)).toMatchObject({ result: 'deny' });
    expect(await call(guarded.base, '/authenticate', body, { authorization: 'Bearer wrong' })).toMatchObject({
      result: 'deny',
    });
    expect(
      await call(guarded.base, '/authenticate', body, { authorization: `Bearer ${SHARED}` }),
    ).toMatchObject({ result: 'allow' });
  });
});

describe('EMQX HTTP authorization', () => {
  const cases: [string, string, 'publish' | 'subscribe', 'allow' | 'deny'][] = [
    ['loa-01', topics.status('loa-01'), 'publish', 'allow'],
    ['loa-01', topics.status('loa-02'), 'publish', 'deny'],
    ['loa-01', topics.command('loa-01'), 'subscribe', 'allow'],
    ['loa-01', topics.command('loa-02'), 'subscribe', 'deny'],
    ['loa-01', topics.groupCommand('xa-an-binh'), 'subscribe', 'allow'],
    ['loa-01', topics.groupCommand('xa-khac'), 'subscribe', 'deny'],
    ['loa-01', filters.allTelemetry, 'subscribe', 'deny'],
    ['loa-01', '$SYS/#', 'subscribe', 'deny'],
    ['_collector', filters.allTelemetry, 'subscribe', 'allow'],
    ['_collector', topics.alarm('tram-01'), 'publish', 'allow'],
    ['_collector', topics.command('loa-01'), 'publish', 'deny'],
    ['ghost', topics.status('ghost'), 'publish', 'deny'],
  ];
  for (const [username, topic, action, result] of cases) {
    it(`${result}s ${username} to ${action} ${topic}`, async () => {
      expect(await call(open.base, '/authorize', { username, topic, action, clientid: username })).toEqual({
        result,
      });
    });
  }

  it('denies disabled devices, unknown actions and malformed bodies', async () => {
    registry.setDisabled('loa-01', true);
    expect(
      await call(open.base, '/authorize', {
        username: 'loa-01',
        topic: topics.status('loa-01'),
        action: 'publish',
      }),
    ).toEqual({
      result: 'deny',
    });
    registry.setDisabled('loa-01', false);
    expect(
      await call(open.base, '/authorize', {
        username: 'loa-01',
        topic: topics.status('loa-01'),
        action: 'all',
      }),
    ).toEqual({
      result: 'deny',
    });
    expect(await call(open.base, '/authorize', '{')).toEqual({ result: 'deny' });
  });
});
