import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { errorResponses, jsonBody, ok } from '../app/common-schemas.js';
import type { AppEnv, ConsoleContext, SessionUser } from '../app/env.js';
import { HttpError } from '../app/http-error.js';
import { createRouter } from '../app/router.js';
import type { AlarmDesk, AlarmStatus, AlarmView } from './alarm-desk.js';
import { channelOf } from './channels.js';
import { AcknowledgeSchema, AlarmListQuerySchema, AlarmListSchema, AlarmSchema } from './schemas.js';
import type { StationDirectory } from './stations.js';

const AlarmParam = z.object({
  id: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

/** Which stations' alarms the user may see: registry sensor gateways in their areas (all for the department). */
function visibleStations(ctx: ConsoleContext, stations: StationDirectory, user: SessionUser) {
  const out = new Map<string, { name: string; areaId: string | null }>();
  for (const d of ctx.registry.listDevices()) {
    if (d.role !== 'sensor-gateway') continue;
    if (stations.mayRead(user, { areaId: d.areaId }))
      out.set(d.id, { name: d.name ?? d.id, areaId: d.areaId });
  }
  return out;
}

/** The collector's alarms (open, acknowledged, closed) filtered by station/area/period; acknowledge with a note. */
export function alarmRoutes(
  ctx: ConsoleContext,
  desk: AlarmDesk,
  stations: StationDirectory,
): OpenAPIHono<AppEnv> {
  const app = createRouter();

  const decorate = (a: AlarmView, seen: Map<string, { name: string; areaId: string | null }>) => {
    const s = seen.get(a.stationId);
    const channel = a.channel ? (channelOf('air', a.channel) ?? channelOf('water', a.channel)) : undefined;
    return {
      ...a,
      stationName: s?.name ?? a.stationId,
      areaId: s?.areaId ?? null,
      ...(channel ? { channelNameVi: channel.nameVi, channelNameEn: channel.nameEn } : {}),
    };
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/environment/alarms',
      tags: ['environment'],
      summary: 'Alarms of the stations you may read, newest first',
      middleware: [ctx.requireRole('environment', 'operator', 'approver')],
      request: { query: AlarmListQuerySchema },
      responses: { ...ok(AlarmListSchema), ...errorResponses },
    }),
    (c) => {
      const q = c.req.valid('query');
      const user = c.get('user');
      const seen = visibleStations(ctx, stations, user);
      let ids = [...seen.keys()];
      if (q.stationId) {
        if (!seen.has(q.stationId))
          throw new HttpError(404, 'not-found', `no station ${q.stationId} you may read`, 'stationId');
        ids = [q.stationId];
      }
      if (q.areaId) {
        if (!ctx.areas.get(q.areaId)) throw new HttpError(404, 'not-found', `no area ${q.areaId}`, 'areaId');
        const under = new Set(ctx.areas.subtree(q.areaId).map((a) => a.id));
        ids = ids.filter((id) => {
          const areaId = seen.get(id)?.areaId;
          return areaId !== null && areaId !== undefined && under.has(areaId);
        });
      }
      const statuses = [...new Set(q.status.split(','))] as AlarmStatus[];
      const alarms = desk.list(statuses, {
        stationIds: ids,
        limit: q.limit,
        ...(q.from !== undefined ? { from: q.from } : {}),
        ...(q.to !== undefined ? { to: q.to } : {}),
      });
      return c.json(
        {
          alarms: (alarms ?? []).map((a) => decorate(a, seen)),
          available: alarms !== undefined,
          canAcknowledge: ctx.alarmLifecycle !== undefined,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/environment/alarms/{id}/acknowledge',
      tags: ['environment'],
      summary:
        'Acknowledge an alarm with a note (audited: who and when); it stays until its condition clears',
      middleware: [ctx.requireRole('environment')],
      request: { params: AlarmParam, ...jsonBody(AcknowledgeSchema) },
      responses: {
        ...ok(AlarmSchema),
        ...errorResponses,
        503: {
          description: 'The collector is not in this process',
          content: { 'application/json': { schema: errorResponses[400].content['application/json'].schema } },
        },
      },
    }),
    (c) => {
      const { id } = c.req.valid('param');
      const user = c.get('user');
      const seen = visibleStations(ctx, stations, user);
      const alarm = desk.get(id);
      if (!alarm || !seen.has(alarm.stationId)) throw new HttpError(404, 'not-found', `no alarm ${id}`, 'id');
      const done = desk.acknowledge(id, user.username, c.req.valid('json').note);
      return c.json(decorate(done, seen), 200);
    },
  );

  return app;
}
