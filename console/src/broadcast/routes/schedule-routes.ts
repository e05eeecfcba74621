import { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import type { AppEnv, ConsoleContext } from '../../app/env.js';
import { parseInput } from '../errors.js';
import type { Programme } from '../schedule/programme.js';
import { ScheduleInputSchema } from '../schedule/schedule-record.js';
import type { Schedules } from '../schedule/schedules.js';
import { jsonBody, optionalBody, userOf } from './http.js';

const DecisionSchema = z.object({ note: z.string().max(500).optional() });
const StatusQuery = z.enum(['active', 'pending-approval', 'rejected']).optional();

/** /schedules: CRUD with conflict detection, approval, and each cluster's sync state. */
export function scheduleRoutes(ctx: ConsoleContext, schedules: Schedules, programme: Programme) {
  const app = new OpenAPIHono<AppEnv>();
  const write = ctx.requireRole('operator', 'approver');
  const read = ctx.requireRole('operator', 'approver', 'technician');

  app.get('/schedules', read, (c) => {
    const status = parseInput(StatusQuery, c.req.query('status') || undefined, 'status');
    return c.json({ schedules: schedules.list(status) });
  });
  app.get('/schedules/sync', read, (c) => c.json({ clusters: programme.syncAll() }));
  app.get('/schedules/sync/:clusterId', read, (c) => {
    const sync = programme.sync(c.req.param('clusterId'));
    if (!sync)
      return c.json(
        { error: 'clusterId: no schedule was published to this cluster', field: 'clusterId' },
        404,
      );
    return c.json(sync);
  });
  app.post('/schedules', write, async (c) => {
    const input = await jsonBody(c, ScheduleInputSchema);
    const result = await schedules.save(userOf(c), input);
    return c.json(result, 201);
  });
  app.get('/schedules/:id', read, (c) => c.json(schedules.get(c.req.param('id'))));
  app.put('/schedules/:id', write, async (c) => {
    const existing = schedules.get(c.req.param('id'));
    schedules.authorize(userOf(c), existing);
    const input = await jsonBody(c, ScheduleInputSchema);
    return c.json(await schedules.save(userOf(c), input, existing));
  });
  app.delete('/schedules/:id', write, async (c) => {
    const published = await schedules.remove(userOf(c), c.req.param('id'));
    return c.json({ deleted: true, published });
  });
  for (const [path, approve] of [
    ['approve', true],
    ['reject', false],
  ] as const) {
    app.post(`/schedules/:id/${path}`, ctx.requireRole('approver'), async (c) => {
      const { note } = await optionalBody(c, DecisionSchema);
      return c.json(await schedules.decide(userOf(c), c.req.param('id'), approve, note));
    });
  }
  return app;
}
