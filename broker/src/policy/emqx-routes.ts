import { Hono } from 'hono';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Registry } from '../registry/registry.js';
import { canPublish, canSubscribe } from './acl.js';
import { bearerMatches } from './shared-secret.js';

export interface EmqxDeps {
  registry: Registry;
  logger?: Logger;
  /** When set, EMQX must send `Authorization: Bearer <secret>` (configure it under the source's headers). */
  sharedSecret?: string;
}

const AuthenticateSchema = z.object({
  username: z.string().max(256),
  password: z.string().max(1024),
  clientid: z.string().max(256).optional(),
});

const AuthorizeSchema = z.object({
  username: z.string().max(256),
  topic: z.string().max(65535),
  action: z.enum(['publish', 'subscribe']),
  clientid: z.string().max(256).optional(),
});

type Decision = 'allow' | 'deny';

/**
 * EMQX 5 HTTP authentication and authorization. Every answer is 200 with an explicit result:
 * EMQX reads any other status as "ignore" and would fall through to its next source.
 */
export function emqxRoutes(deps: EmqxDeps): Hono {
  const log = deps.logger ?? pino({ name: 'emqx-hooks', level: process.env.LOG_LEVEL ?? 'info' });
  const app = new Hono();
  const limit = bodyLimit({ maxSize: 70_000, onError: (c) => c.json({ result: 'deny' }, 200) });

  async function readBody<T>(c: Context, schema: z.ZodType<T>, what: string): Promise<T | null> {
    if (!bearerMatches(c.req.header('authorization'), deps.sharedSecret)) {
      log.warn({ what }, 'EMQX hook called without the shared secret');
      return null;
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      log.warn({ what }, 'EMQX hook body is not JSON');
      return null;
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      log.warn({ what, field: parsed.error.issues[0]?.path.join('.') }, 'EMQX hook body does not match');
      return null;
    }
    return parsed.data;
  }

  app.post('/authenticate', limit, async (c) => {
    const body = await readBody(c, AuthenticateSchema, 'authenticate');
    if (body === null) return c.json({ result: 'deny', is_superuser: false }, 200);
    const principal = await deps.registry.verify(body.username, body.password);
    const result: Decision = principal ? 'allow' : 'deny';
    log.info({ username: body.username, clientid: body.clientid, result }, 'EMQX authentication');
    return c.json({ result, is_superuser: false }, 200);
  });

  app.post('/authorize', limit, async (c) => {
    const body = await readBody(c, AuthorizeSchema, 'authorize');
    if (body === null) return c.json({ result: 'deny' }, 200);
    const principal = deps.registry.principalOf(body.username);
    const allowed =
      principal !== null &&
      (body.action === 'publish' ? canPublish(principal, body.topic) : canSubscribe(principal, body.topic));
    const result: Decision = allowed ? 'allow' : 'deny';
    if (!allowed)
      log.info(
        { username: body.username, action: body.action, topic: body.topic },
        'EMQX authorization denied',
      );
    return c.json({ result }, 200);
  });

  return app;
}
