import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { AppEnv, SessionUser } from '../../app/env.js';
import { BroadcastError, parseInput } from '../errors.js';

const CODES = {
  400: 'invalid-request',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  410: 'gone',
  422: 'unprocessable',
} as const;

export async function jsonBody<T>(c: Context<AppEnv>, schema: z.ZodType<T>): Promise<T> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new BroadcastError(400, 'body: not valid JSON', 'body');
  }
  return parseInput(schema, body);
}

/** Optional JSON body (e.g. a note on approve/reject); an empty body is an empty object. */
export async function optionalBody<T>(c: Context<AppEnv>, schema: z.ZodType<T>): Promise<T> {
  const text = await c.req.text();
  if (text.trim() === '') return parseInput(schema, {});
  try {
    return parseInput(schema, JSON.parse(text));
  } catch (err) {
    if (err instanceof BroadcastError) throw err;
    throw new BroadcastError(400, 'body: not valid JSON', 'body');
  }
}

export function userOf(c: Context<AppEnv>): SessionUser {
  return c.get('user');
}

/** Errors of this module as JSON naming the field; anything unexpected is logged and a plain 500. */
export function errorResponse(err: Error, c: Context<AppEnv>, log: Logger): Response {
  if (err instanceof BroadcastError) {
    const detail = typeof err.detail === 'object' && err.detail !== null ? err.detail : {};
    return c.json(
      { error: CODES[err.status], field: err.field, message: err.message, ...detail },
      err.status,
    );
  }
  if (err instanceof HTTPException) return err.getResponse();
  log.error({ err, path: c.req.path }, 'broadcast request failed');
  return c.json({ error: 'internal error' }, 500);
}
