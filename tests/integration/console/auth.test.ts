import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleStack, TEST_PASSWORD, startConsoleStack } from './fixture.js';

interface SignedIn {
  csrfToken: string;
  user: { id: string; username: string; mustChangePassword: boolean; roles: string[] };
}
interface AuditList {
  entries: { actor: string; action: string; target: string | null; address: string | null }[];
}

describe('console sign-in', () => {
  let stack: ConsoleStack;
  beforeAll(async () => {
    stack = await startConsoleStack({
      config: { login: { maxFailuresPerUser: 3, maxFailuresPerAddress: 50, windowMs: 60_000 } },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('first start: admin signs in with the one-time password and must change it before anything else', async () => {
    const once = stack.initialAdminPassword;
    expect(once).toMatch(/^[A-Za-z0-9]{16}$/);
    const admin = stack.client();
    const login = await admin.signIn('admin', once ?? '');
    expect((login.body as unknown as SignedIn).user.mustChangePassword).toBe(true);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);

    const blocked = await admin.get('/api/users');
    expect(blocked.status).toBe(403);
    expect(blocked.body.error).toBe('password-change-required');

    const short = await admin.post('/api/auth/password', { currentPassword: once, newPassword: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.field).toBe('newPassword');

    const changed = await admin.post('/api/auth/password', {
      currentPassword: once,
      newPassword: TEST_PASSWORD,
    });
    expect(changed.status).toBe(200);
    expect((await admin.get('/api/users')).status).toBe(200);

    const again = stack.client();
    const old = await again.post('/api/auth/login', { username: 'admin', password: once });
    expect(old.status).toBe(401);
    await again.signIn('admin', TEST_PASSWORD);
    const me = await again.get<SignedIn>('/api/auth/me');
    expect(me.body.user.mustChangePassword).toBe(false);
  });

  it('no session → 401; logout ends the session server-side', async () => {
    expect((await stack.client().get('/api/devices')).status).toBe(401);
    const tech = await stack.login('technician');
    expect((await tech.get('/api/devices')).status).toBe(200);
    const stolen = tech.cookie;
    expect((await tech.post('/api/auth/logout')).status).toBe(200);
    const replay = stack.client();
    replay.cookie = stolen;
    expect((await replay.get('/api/devices')).status).toBe(401);
  });

  it('refuses state-changing requests without the CSRF token or from another origin', async () => {
    const admin = await stack.login('admin');
    const area = { id: 'ap-csrf', parentId: 'xa-tan-bien', name: 'Ấp CSRF', kind: 'village' };
    const noToken = await admin.request('POST', '/api/areas', area, { 'x-csrf-token': 'wrong' });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error).toBe('csrf');
    const foreign = await admin.request('POST', '/api/areas', area, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const ok = await admin.post('/api/areas', area);
    expect(ok.status).toBe(201);
  });

  it('rate-limits wrong passwords per user and records every attempt in the audit log', async () => {
    await stack.createUser('nguyen.van.a', ['operator'], ['xa-tan-bien']);
    const client = stack.client();
    for (let i = 0; i < 3; i++) {
      const res = await client.post('/api/auth/login', {
        username: 'nguyen.van.a',
        password: 'wrong password!',
      });
      expect(res.status).toBe(401);
    }
    const limited = await client.post('/api/auth/login', {
      username: 'nguyen.van.a',
      password: TEST_PASSWORD,
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const admin = await stack.login('admin');
    const audit = await admin.get<AuditList>('/api/audit?actor=nguyen.van.a');
    const actions = audit.body.entries.map((e) => e.action);
    expect(actions.filter((a) => a === 'auth.login-failed')).toHaveLength(3);
    expect(actions).toContain('auth.login-throttled');
    expect(audit.body.entries[0]?.address).toBeTruthy();
  });
});
