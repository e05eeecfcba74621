import { join } from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { areaRoutes } from '../areas/area-routes.js';
import { auditRoutes } from '../audit/audit-routes.js';
import { AUTH_PASSWORD_CHANGE_PATHS, AUTH_PUBLIC_PATHS, authRoutes } from '../auth/auth-routes.js';
import { type CoreEnv, sessionGate } from '../auth/session-gate.js';
import { deviceRoutes } from '../devices/device-routes.js';
import { profileRoutes } from '../devices/profile-routes.js';
import { uiRoutes } from '../ui/ui-routes.js';
import { userRoutes } from '../users/user-routes.js';
import { clientAddress } from './client-address.js';
import type { ConsoleCore } from './core.js';
import type { AppEnv } from './env.js';
import { errorHandler, normaliseValidationErrors } from './error-handler.js';
import type { ConsoleMetrics } from './metrics.js';
import { type MountedModules, mountModules } from './modules.js';
import { requestScope } from './request-scope.js';

export const OPENAPI_PATH = '/api/openapi.json';
const ENROLLMENT_CODE_TTL_MS = 7 * 86_400_000;
const MAX_JSON_BYTES = 1024 * 1024;

function ownOrigins(core: ConsoleCore) {
  const fixed = new URL(core.ctx.publicUrl).origin;
  return (c: Context) => {
    const host = c.req.header('host');
    return host ? [fixed, `http://${host}`, `https://${host}`] : [fixed];
  };
}

/** The whole HTTP surface: core routes and every module's, one OpenAPI document, one error shape. */
export async function buildApp(
  core: ConsoleCore,
  metrics: ConsoleMetrics,
): Promise<{ app: OpenAPIHono<CoreEnv>; modules: MountedModules }> {
  const { ctx, config } = core;
  const address = (c: Context) => clientAddress(c, config.trustProxy);
  const app = new OpenAPIHono<CoreEnv>();

  app.use(requestId({ headerName: 'x-request-id' }));
  app.use(async (c, next) => {
    const started = performance.now();
    await requestScope.run({ requestId: c.get('requestId'), address: address(c) }, next);
    ctx.log.debug(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });
  app.use(metrics.middleware());
  // Uploaded audio and API bodies are served as what we say they are, never as what a browser guesses.
  app.use(async (c, next) => {
    await next();
    c.res.headers.set('x-content-type-options', 'nosniff');
  });
  app.use('/api/*', normaliseValidationErrors());
  const jsonLimit = bodyLimit({
    maxSize: MAX_JSON_BYTES,
    onError: (c) =>
      c.json(
        {
          error: 'too-large',
          field: 'body',
          message: `body: JSON bodies are limited to ${MAX_JSON_BYTES} bytes`,
        },
        413,
      ),
  });
  // Only JSON: the audio upload streams multipart itself and enforces its own limit.
  app.use('/api/*', (c, next) =>
    c.req.header('content-type')?.includes('application/json') ? jsonLimit(c, next) : next(),
  );
  app.use(
    '/api/*',
    sessionGate({
      users: core.users,
      sessions: core.sessions,
      allowedOrigins: ownOrigins(core),
      publicPaths: new Set([...AUTH_PUBLIC_PATHS, OPENAPI_PATH]),
      passwordChangePaths: new Set(AUTH_PASSWORD_CHANGE_PATHS),
    }),
  );
  app.onError(errorHandler(ctx.log));
  app.notFound((c) => c.json({ error: 'not-found', message: `no route ${c.req.method} ${c.req.path}` }, 404));

  app.get('/healthz', (c) =>
    c.json(
      { ok: true, mqtt: core.uplink.connected ? 'connected' : 'disconnected' },
      core.uplink.connected ? 200 : 503,
    ),
  );
  app.get('/metrics', async (c) => {
    c.header('content-type', metrics.registry.contentType);
    return c.body(await metrics.registry.metrics());
  });

  const api = new OpenAPIHono<AppEnv>();
  api.route(
    '/',
    authRoutes({
      users: core.users,
      sessions: core.sessions,
      throttle: core.throttle,
      audit: core.auditLog,
      secureCookies: new URL(ctx.publicUrl).protocol === 'https:',
      sessionTtlMs: config.sessionTtlMs,
      address,
    }),
  );
  api.route(
    '/',
    userRoutes({
      users: core.users,
      sessions: core.sessions,
      audit: core.auditLog,
      areas: core.areaDirectory,
      requireRole: ctx.requireRole,
    }),
  );
  api.route('/', auditRoutes(core.auditLog, ctx.requireRole));
  api.route(
    '/',
    areaRoutes({
      areas: core.areaDirectory,
      placement: core.placement,
      audit: core.auditLog,
      requireRole: ctx.requireRole,
    }),
  );
  api.route(
    '/',
    deviceRoutes({
      registry: ctx.registry,
      collector: core.collector,
      details: core.details,
      presence: core.presence,
      overview: core.overview,
      areas: core.areaDirectory,
      placement: core.placement,
      audit: core.auditLog,
      requireRole: ctx.requireRole,
      enrollmentTtlMs: ENROLLMENT_CODE_TTL_MS,
    }),
  );
  api.route('/', profileRoutes());
  const modules = await mountModules(api, ctx, config);
  app.route('/api', api);
  for (const router of modules.outside) app.route('/', router);
  app.route('/', uiRoutes({ cacheDir: join(ctx.dataDir, 'ui-cache'), log: ctx.log }));

  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'xs_session',
    description:
      'Session cookie from POST /api/auth/login; state-changing requests also need the x-csrf-token header',
  });
  app.doc31(OPENAPI_PATH, {
    openapi: '3.1.0',
    info: {
      title: 'Xã Số console API',
      version: '1',
      description:
        'Commune loudspeaker clusters and environmental monitoring. Errors: { error, message, field? }.',
    },
    security: [{ session: [] }],
  });
  return { app, modules };
}
