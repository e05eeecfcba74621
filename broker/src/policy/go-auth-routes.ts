import { Hono } from 'hono';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Registry } from '../registry/registry.js';
import { canPublish, canSubscribe } from './acl.js';
import type { Principal } from './principal.js';

export interface GoAuthDeps {
  registry: Registry;
  logger?: Logger;
}

/** Mosquitto's access bits as mosquitto-go-auth forwards them. */
const ACC_READ = 1;
const ACC_WRITE = 2;
const ACC_SUBSCRIBE = 4;

const UserSchema = z.object({
  username: z.string().max(256),
  password: z.string().max(1024),
  clientid: z.string().max(256).optional(),
});
const SuperuserSchema = z.object({ username: z.string().max(256) });
const AclSchema = z.object({
  username: z.string().max(256),
  topic: z.string().max(65535),
  acc: z.number().int().min(1).max(7),
  clientid: z.string().max(256).optional(),
});

/** Delivery of one message counts as reading it; receivable means it could have been subscribed to. */
function allowedAccess(p: Principal, topic: string, acc: number): boolean {
  if (acc & ACC_WRITE && !canPublish(p, topic)) return false;
  if (acc & (ACC_READ | ACC_SUBSCRIBE) && !canSubscribe(p, topic)) return false;
  return true;
}

/**
 * mosquitto-go-auth's HTTP backend (`http_params_mode json`). Allowed answers are 200 with
 * `{"ok":true}`, refusals 403 with `{"ok":false}`, so both its "status" and "json" response
 * modes read them correctly.
 */
export function goAuthRoutes(deps: GoAuthDeps): Hono {
  const log = deps.logger ?? pino({ name: 'go-auth-hooks', level: process.env.LOG_LEVEL ?? 'info' });
  const app = new Hono();
  const limit = bodyLimit({
    maxSize: 70_000,
    onError: (c) => c.json({ ok: false, error: 'too large' }, 413),
  });
  const answer = (c: Context, ok: boolean, error = 'denied') =>
    ok ? c.json({ ok: true, error: '' }, 200) : c.json({ ok: false, error }, 403);

  async function readBody<T>(c: Context, schema: z.ZodType<T>): Promise<T | null> {
    const parsed = schema.safeParse(await c.req.json().catch(() => undefined));
    return parsed.success ? parsed.data : null;
  }

  app.post('/user', limit, async (c) => {
    const body = await readBody(c, UserSchema);
    if (body === null) return answer(c, false, 'malformed request');
    const principal = await deps.registry.verify(body.username, body.password);
    log.info(
      { username: body.username, clientid: body.clientid, ok: principal !== null },
      'go-auth user check',
    );
    return answer(c, principal !== null);
  });

  app.post('/superuser', limit, async (c) => {
    const body = await readBody(c, SuperuserSchema);
    return answer(c, false, body === null ? 'malformed request' : 'no superusers');
  });

  app.post('/acl', limit, async (c) => {
    const body = await readBody(c, AclSchema);
    if (body === null) return answer(c, false, 'malformed request');
    const principal = deps.registry.principalOf(body.username);
    const ok = principal !== null && allowedAccess(principal, body.topic, body.acc);
    if (!ok) log.info({ username: body.username, topic: body.topic, acc: body.acc }, 'go-auth ACL denied');
    return answer(c, ok);
  });

  return app;
}
