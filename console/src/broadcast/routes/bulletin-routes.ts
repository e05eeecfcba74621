import { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import type { AppEnv, ConsoleContext } from '../../app/env.js';
import { BulletinInputSchema, OrderSchema } from '../bulletin/bulletins.js';
import type { Bulletins } from '../bulletin/bulletins.js';
import { actorName } from '../roles.js';
import { jsonBody, optionalBody, userOf } from './http.js';

const AcceptSchema = z.object({ allowConflicts: z.boolean().default(false) });

/** /bulletins: bulletins from the information source, accepted, rejected or ordered by the commune. */
export function bulletinRoutes(ctx: ConsoleContext, bulletins: Bulletins) {
  const app = new OpenAPIHono<AppEnv>();
  const commune = ctx.requireRole('operator', 'approver');
  app.get('/bulletins', commune, (c) => c.json({ bulletins: bulletins.list() }));
  app.post('/bulletins', ctx.requireRole('approver'), async (c) => {
    const input = await jsonBody(c, BulletinInputSchema);
    return c.json(await bulletins.receive(input, actorName(userOf(c))), 201);
  });
  app.get('/bulletins/:id', commune, (c) => c.json(bulletins.get(c.req.param('id'))));
  app.post('/bulletins/:id/accept', commune, async (c) => {
    const { allowConflicts } = await optionalBody(c, AcceptSchema);
    return c.json(await bulletins.accept(userOf(c), c.req.param('id'), allowConflicts));
  });
  app.post('/bulletins/:id/reject', commune, (c) => c.json(bulletins.reject(userOf(c), c.req.param('id'))));
  app.post('/bulletins/:id/order', commune, async (c) => {
    const { order } = await jsonBody(c, OrderSchema);
    return c.json(await bulletins.order(userOf(c), c.req.param('id'), order));
  });
  return app;
}
