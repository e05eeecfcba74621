import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, ConsoleContext } from '../../app/env.js';
import type { CapIntake } from '../cap/cap-intake.js';
import { BroadcastError } from '../errors.js';
import { userOf } from './http.js';

/** A CAP document larger than this is not an alert. */
const MAX_CAP_BYTES = 256 * 1024;

/** POST /cap: a CAP 1.2 XML alert (Content-Type application/cap+xml or an XML type). */
export function capRoutes(ctx: ConsoleContext, intake: CapIntake) {
  const app = new OpenAPIHono<AppEnv>();
  app.post('/cap', ctx.requireRole('approver'), async (c) => {
    const type = c.req.header('content-type') ?? '';
    if (!/\bxml\b/.test(type))
      throw new BroadcastError(
        400,
        'content-type: send the alert as application/cap+xml or application/xml',
        'content-type',
      );
    const xml = await c.req.text();
    if (Buffer.byteLength(xml) > MAX_CAP_BYTES)
      throw new BroadcastError(400, `body: a CAP alert is at most ${MAX_CAP_BYTES} bytes`, 'body');
    const outcome = await intake.receive(userOf(c), xml);
    return c.json(outcome, outcome.action === 'broadcast' ? 201 : 202);
  });
  app.get('/cap/:identifier', ctx.requireRole('approver', 'operator'), (c) =>
    c.json(intake.state(c.req.param('identifier'))),
  );
  return app;
}
