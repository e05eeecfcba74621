import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { ErrorSchema, errorResponses, jsonBody, ok } from '../app/common-schemas.js';
import type { AuditLog, SessionUser } from '../app/env.js';
import { HttpError } from '../app/http-error.js';
import { createRouter } from '../app/router.js';
import { NewPasswordSchema, UserViewSchema } from '../users/user-schemas.js';
import type { UserStore } from '../users/user-store.js';
import type { LoginThrottle } from './login-throttle.js';
import { SESSION_COOKIE, currentSession } from './session-gate.js';
import type { SessionStore } from './session-store.js';

export interface AuthDeps {
  users: UserStore;
  sessions: SessionStore;
  throttle: LoginThrottle;
  audit: AuditLog;
  secureCookies: boolean;
  sessionTtlMs: number;
  address: (c: Context) => string;
}

const SignedInSchema = z
  .object({ user: UserViewSchema, csrfToken: z.string(), expiresAt: z.number().int() })
  .openapi('SignedIn');

const loginRoute = createRoute({
  method: 'post',
  path: '/auth/login',
  tags: ['auth'],
  summary: 'Sign in; sets the session cookie and returns the CSRF token for state-changing requests',
  request: jsonBody(
    z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).openapi('Login'),
  ),
  responses: {
    ...ok(SignedInSchema),
    ...errorResponses,
    429: { content: { 'application/json': { schema: ErrorSchema } }, description: 'Too many failed logins' },
  },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/auth/logout',
  tags: ['auth'],
  summary: 'Sign out (ends the session server-side)',
  responses: { ...ok(z.object({ ok: z.literal(true) })), ...errorResponses },
});

const meRoute = createRoute({
  method: 'get',
  path: '/auth/me',
  tags: ['auth'],
  summary: 'The signed-in user and the session CSRF token',
  responses: { ...ok(SignedInSchema), ...errorResponses },
});

const passwordRoute = createRoute({
  method: 'post',
  path: '/auth/password',
  tags: ['auth'],
  summary: 'Change your own password (required after a one-time password)',
  request: jsonBody(
    z
      .object({ currentPassword: z.string().min(1).max(256), newPassword: NewPasswordSchema })
      .openapi('PasswordChange'),
  ),
  responses: { ...ok(z.object({ ok: z.literal(true) })), ...errorResponses },
});

/** Paths the gate lets through without a session, and those open while a password change is pending. */
export const AUTH_PUBLIC_PATHS = ['/api/auth/login'];
export const AUTH_PASSWORD_CHANGE_PATHS = ['/api/auth/me', '/api/auth/logout', '/api/auth/password'];

export function authRoutes(deps: AuthDeps) {
  const app = createRouter();

  app.openapi(loginRoute, async (c) => {
    const { username, password } = c.req.valid('json');
    const address = deps.address(c);
    const wait = deps.throttle.retryAfterMs(username, address);
    if (wait > 0) {
      deps.audit.record({ actor: username, action: 'auth.login-throttled', detail: { address } });
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      throw new HttpError(
        429,
        'rate-limited',
        `too many failed sign-ins; try again in ${Math.ceil(wait / 1000)} s`,
      );
    }
    const user = await deps.users.checkPassword(username, password);
    if (!user) {
      deps.throttle.fail(username, address);
      deps.audit.record({ actor: username, action: 'auth.login-failed', detail: { address } });
      throw new HttpError(401, 'bad-credentials', 'wrong username or password');
    }
    deps.throttle.succeed(username);
    const session = deps.sessions.create(user.id, address);
    setCookie(c, SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: deps.secureCookies,
      path: '/',
      maxAge: Math.floor(deps.sessionTtlMs / 1000),
    });
    deps.audit.record({ actor: user.username, action: 'auth.login', target: user.id });
    return c.json({ user, csrfToken: session.csrfToken, expiresAt: session.expiresAt }, 200);
  });

  app.openapi(logoutRoute, (c) => {
    const session = currentSession(c);
    const user = c.get('user') as SessionUser;
    if (session) deps.sessions.destroy(session.token);
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: deps.secureCookies });
    deps.audit.record({ actor: user.username, action: 'auth.logout', target: user.id });
    return c.json({ ok: true as const }, 200);
  });

  app.openapi(meRoute, (c) => {
    const session = currentSession(c);
    const user = deps.users.get(c.get('user').id);
    if (!session || !user) throw new HttpError(401, 'unauthenticated', 'sign in first');
    return c.json({ user, csrfToken: session.csrfToken, expiresAt: session.expiresAt }, 200);
  });

  app.openapi(passwordRoute, async (c) => {
    const { currentPassword, newPassword } = c.req.valid('json');
    const me = c.get('user');
    const session = currentSession(c);
    const checked = await deps.users.checkPassword(me.username, currentPassword);
    if (!checked) {
      deps.audit.record({ actor: me.username, action: 'auth.password-change-failed', target: me.id });
      throw new HttpError(400, 'bad-credentials', 'the current password is wrong', 'currentPassword');
    }
    if (currentPassword === newPassword)
      throw new HttpError(400, 'invalid-request', 'the new password must differ', 'newPassword');
    await deps.users.setPassword(me.id, newPassword, false);
    deps.sessions.destroyAllOf(me.id, session?.token);
    deps.audit.record({ actor: me.username, action: 'auth.password-changed', target: me.id });
    return c.json({ ok: true as const }, 200);
  });

  return app;
}
