import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv, SessionUser, UserRole } from '../app/env.js';
import type { UserStore } from '../users/user-store.js';
import { toSessionUser } from '../users/user-store.js';
import type { Session, SessionStore } from './session-store.js';

export const SESSION_COOKIE = 'xs_session';
export const CSRF_HEADER = 'x-csrf-token';

/** What the gate adds to the request besides the user modules see. */
export type CoreEnv = {
  Variables: AppEnv['Variables'] & { session?: Session & { token: string; mustChangePassword: boolean } };
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface GateOptions {
  users: UserStore;
  sessions: SessionStore;
  /** Origins allowed to send state-changing requests (the console's own). */
  allowedOrigins: (c: Context) => string[];
  /** Paths under /api reachable without a session (login, the OpenAPI document). */
  publicPaths: Set<string>;
  /** Reachable while the user still has to replace a one-time password. */
  passwordChangePaths: Set<string>;
}

function refuse(c: Context, status: 401 | 403, error: string, message: string): Response {
  return c.json({ error, message, requestId: c.get('requestId') }, status);
}

/**
 * Default deny for /api: a valid session is needed except on public paths; state-changing requests must come
 * from our own origin and carry the session's CSRF token in a header (a cross-site form cannot set headers).
 */
export function sessionGate(options: GateOptions): MiddlewareHandler<CoreEnv> {
  return async (c, next) => {
    const unsafe = !SAFE_METHODS.has(c.req.method);
    const origin = c.req.header('origin');
    if (unsafe && origin !== undefined && !options.allowedOrigins(c).includes(origin))
      return refuse(c, 403, 'csrf', `requests from origin ${origin} are not accepted`);
    const token = getCookie(c, SESSION_COOKIE);
    const session = token ? options.sessions.find(token) : undefined;
    const user = session ? options.users.get(session.userId) : undefined;
    if (token && session && user && !user.disabled) {
      c.set('user', toSessionUser(user));
      c.set('session', { ...session, token, mustChangePassword: user.mustChangePassword });
    }
    const path = c.req.path;
    if (options.publicPaths.has(path)) return next();
    const current = c.get('session');
    if (!current) return refuse(c, 401, 'unauthenticated', 'sign in first (or the session expired)');
    if (unsafe && c.req.header(CSRF_HEADER) !== current.csrfToken)
      return refuse(c, 403, 'csrf', `missing or wrong ${CSRF_HEADER} header`);
    if (current.mustChangePassword && !options.passwordChangePaths.has(path))
      return refuse(c, 403, 'password-change-required', 'change the one-time password first');
    return next();
  };
}

export function hasRole(user: SessionUser, roles: readonly UserRole[]): boolean {
  return user.roles.includes('admin') || user.roles.some((r) => roles.includes(r));
}

/** Admins always pass; everyone else needs one of the roles. */
export function requireRole(...roles: UserRole[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = c.get('user') as SessionUser | undefined;
    if (!user) return refuse(c, 401, 'unauthenticated', 'sign in first');
    if (!hasRole(user, roles))
      return refuse(c, 403, 'forbidden', `this needs one of the roles: ${['admin', ...roles].join(', ')}`);
    return next();
  };
}

/** The session behind the request (set by the gate), for the auth routes. */
export function currentSession(c: Context): NonNullable<CoreEnv['Variables']['session']> | undefined {
  return (c as Context<CoreEnv>).get('session');
}
