import { DeviceExistsError, EnrollmentError, RegistryError, UnknownDeviceError } from '@xaso/broker';
import type { Context, ErrorHandler, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import type { AppEnv } from './env.js';
import { HttpError } from './http-error.js';
import { invalidInputBody } from './router.js';

/** Maps what handlers throw to JSON: known refusals keep their status, anything else is a logged 500. */
export function errorHandler(log: Logger): ErrorHandler<AppEnv> {
  return (err, c) => {
    const requestId = c.get('requestId');
    if (err instanceof HttpError) {
      const message = err.field ? `${err.field}: ${err.message}` : err.message;
      return c.json({ error: err.code, field: err.field, message, requestId }, err.status);
    }
    if (err instanceof ZodError) return c.json(invalidInputBody('body', err.issues, requestId), 400);
    if (err instanceof UnknownDeviceError)
      return c.json({ error: 'not-found', field: 'id', message: err.message, requestId }, 404);
    if (err instanceof DeviceExistsError)
      return c.json({ error: 'exists', field: 'id', message: err.message, requestId }, 409);
    if (err instanceof EnrollmentError)
      return c.json({ error: err.reason, message: err.message, requestId }, 409);
    if (err instanceof RegistryError)
      return c.json({ error: 'invalid-request', message: err.message, requestId }, 400);
    if (err instanceof HTTPException) {
      const status = err.status;
      const body = status === 400 ? { field: 'body' } : {};
      return c.json({ error: 'http', ...body, message: err.message, requestId }, status);
    }
    log.error({ err, requestId, path: c.req.path }, 'request failed');
    return c.json({ error: 'internal', message: 'internal error; see the server log', requestId }, 500);
  };
}

/**
 * Routers built without createRouter() answer bad input with zod-openapi's raw `{ success: false, error }`;
 * this rewrites that one shape so clients see the same error body everywhere.
 */
export function normaliseValidationErrors(): MiddlewareHandler<AppEnv> {
  return async (c: Context<AppEnv>, next) => {
    await next();
    if (c.res.status !== 400 || !c.res.headers.get('content-type')?.includes('application/json')) return;
    const body = (await c.res.clone().json()) as {
      success?: unknown;
      error?: { issues?: { path: PropertyKey[]; message: string }[] };
    };
    if (body.success !== false || !Array.isArray(body.error?.issues)) return;
    c.res = c.json(invalidInputBody('request', body.error.issues, c.get('requestId')), 400);
  };
}
