import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleStack, TEST_PASSWORD, startConsoleStack } from './fixture.js';

const TTL_MS = 3000;

describe('session lifetime', () => {
  let stack: ConsoleStack;
  beforeAll(async () => {
    stack = await startConsoleStack({
      config: { sessionTtlMs: TTL_MS, publicUrl: 'https://loa.xa-tan-bien.example' },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('expires sessions server-side, whatever the browser does with the cookie', async () => {
    const tech = stack.client();
    await stack.createUser('ky.thuat', ['technician']);
    const login = await tech.signIn('ky.thuat', TEST_PASSWORD);
    const signedInAt = Date.now();
    // Behind https the cookie is Secure, and the public origin is the one allowed to change state.
    expect(login.headers.get('set-cookie')).toMatch(/; Secure/);
    expect(login.headers.get('set-cookie')).toMatch(new RegExp(`Max-Age=${TTL_MS / 1000}`));
    expect((await tech.get('/api/devices')).status).toBe(200);
    expect(Date.now() - signedInAt).toBeLessThan(TTL_MS);
    await new Promise((r) => setTimeout(r, TTL_MS + 500));
    const expired = await tech.get('/api/devices');
    expect(expired.status).toBe(401);
    expect(expired.body.error).toBe('unauthenticated');
  });
});
