import { OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { AppEnv, ConsoleContext } from '../../app/env.js';
import type { DeliveryTracker } from '../delivery/tracker.js';
import { BroadcastError } from '../errors.js';
import { parseInput } from '../errors.js';
import type { Broadcasts } from '../live/broadcasts.js';
import { BroadcastRequestSchema, EmergencyRequestSchema } from '../live/request.js';
import { actorName } from '../roles.js';
import type { Schedules } from '../schedule/schedules.js';
import { jsonBody, optionalBody, userOf } from './http.js';

const DecisionSchema = z.object({ note: z.string().max(500).optional() });
const StatusQuery = z.enum(['pending-approval', 'sent', 'rejected', 'stopped']).optional();
/** An SSE stream ends by itself after this long; the UI reconnects if it still cares. */
const STREAM_MAX_MS = 15 * 60_000;
/** Progress events are coalesced to at most one per this many ms. */
const STREAM_COALESCE_MS = 50;

/** /broadcasts: play now, live relays, emergencies, approval, stop, and live delivery tracking. */
export function broadcastLiveRoutes(
  ctx: ConsoleContext,
  broadcasts: Broadcasts,
  tracker: DeliveryTracker,
  schedules: Schedules,
) {
  const app = new OpenAPIHono<AppEnv>();
  const send = ctx.requireRole('operator', 'approver');
  const read = ctx.requireRole('operator', 'approver', 'technician');

  app.get('/broadcasts', read, (c) => {
    const status = parseInput(StatusQuery, c.req.query('status') || undefined, 'status');
    return c.json({ broadcasts: broadcasts.list(status) });
  });
  app.post('/broadcasts', send, async (c) => {
    const request = await jsonBody(c, BroadcastRequestSchema);
    if (request.priority === 'emergency')
      throw new BroadcastError(400, 'priority: use POST /broadcasts/emergency for emergencies', 'priority');
    const b = await broadcasts.submit(userOf(c), request);
    return c.json(b, b.status === 'sent' ? 201 : 202);
  });
  app.post('/broadcasts/emergency', send, async (c) => {
    const request = await jsonBody(c, EmergencyRequestSchema);
    const b = await broadcasts.emergency(userOf(c), request);
    return c.json(b, b.status === 'sent' ? 201 : 202);
  });
  app.get('/broadcasts/:id', read, (c) => c.json(broadcasts.get(c.req.param('id'))));
  for (const [path, approve] of [
    ['approve', true],
    ['reject', false],
  ] as const) {
    app.post(`/broadcasts/:id/${path}`, ctx.requireRole('approver'), async (c) => {
      const { note } = await optionalBody(c, DecisionSchema);
      return c.json(await broadcasts.decide(userOf(c), c.req.param('id'), approve, note));
    });
  }
  app.post('/broadcasts/:id/stop', send, async (c) => {
    const { note } = await optionalBody(c, DecisionSchema);
    const user = userOf(c);
    return c.json(await broadcasts.stop(user, c.req.param('id'), actorName(user), note));
  });

  app.get('/broadcasts/:id/delivery', read, (c) => {
    const id = c.req.param('id');
    broadcasts.get(id);
    const progress = tracker.progress(id);
    if (!progress) throw new BroadcastError(409, `id: broadcast "${id}" has not been sent`, 'id');
    return c.json(progress);
  });
  app.get('/broadcasts/:id/delivery/stream', read, (c) => {
    const id = c.req.param('id');
    broadcasts.get(id);
    if (!tracker.progress(id, false))
      throw new BroadcastError(409, `id: broadcast "${id}" has not been sent`, 'id');
    return streamSSE(c, async (stream) => {
      let eventId = 0;
      let timer: NodeJS.Timeout | null = null;
      let finish: () => void = () => undefined;
      const ended = new Promise<void>((resolve) => {
        finish = resolve;
      });
      const push = async () => {
        timer = null;
        const progress = tracker.progress(id, false);
        if (!progress) return;
        await stream.writeSSE({ event: 'progress', id: String(eventId++), data: JSON.stringify(progress) });
        if (progress.finished) {
          await stream.writeSSE({ event: 'finished', id: String(eventId++), data: JSON.stringify(progress) });
          finish();
        }
      };
      const unwatch = tracker.watch(id, () => {
        timer ??= setTimeout(() => void push(), STREAM_COALESCE_MS);
      });
      const limit = setTimeout(finish, STREAM_MAX_MS);
      stream.onAbort(finish);
      await push();
      await ended;
      unwatch();
      clearTimeout(limit);
      if (timer) clearTimeout(timer);
    });
  });

  app.get('/approvals', ctx.requireRole('approver', 'operator'), (c) =>
    c.json({
      broadcasts: broadcasts
        .list('pending-approval')
        .sort((a, b) => Number(b.priority === 'emergency') - Number(a.priority === 'emergency')),
      schedules: schedules.list('pending-approval'),
    }),
  );
  return app;
}
