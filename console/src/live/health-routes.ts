import { createRoute, z } from '@hono/zod-openapi';
import { ErrorSchema, IdParamSchema, errorResponses, ok } from '../app/common-schemas.js';
import type { ConsoleContext } from '../app/env.js';
import { HttpError } from '../app/http-error.js';
import { createRouter } from '../app/router.js';
import { deviceVisibleTo } from '../devices/visibility.js';
import { LIVE_ROLES } from './live-schemas.js';

/** What the collector writes from each status (collector/src/schema/status-points.ts). */
export const HEALTH_FIELDS = {
  device_status: ['online', 'queue_depth', 'free_disk_bytes', 'uptime_s', 'poll_success_rate', 'source_ok'],
  speaker_health: ['mains_voltage', 'battery_voltage', 'signal_dbm', 'amplifier_fault', 'playing', 'volume'],
} as const;
const MAX_POINTS = 240;

export const HealthHistorySchema = z
  .object({
    source: z.literal('time-series'),
    from: z.number().int(),
    to: z.number().int(),
    intervalMs: z.number().int(),
    series: z.array(
      z.object({
        measurement: z.string(),
        field: z.string(),
        /** Per-source series carry `source` (an instrument name); device-wide ones do not. */
        source: z.string().nullable(),
        points: z.array(z.tuple([z.number(), z.number()])),
      }),
    ),
  })
  .openapi('HealthHistory');

const healthRoute = createRoute({
  method: 'get',
  path: '/devices/{id}/health',
  tags: ['devices'],
  summary: "A device's health over time (status series the collector stores), downsampled for a chart",
  request: {
    params: IdParamSchema,
    query: z.object({
      hours: z.coerce
        .number()
        .int()
        .min(1)
        .max(24 * 90)
        .default(24),
    }),
  },
  responses: {
    ...ok(HealthHistorySchema),
    ...errorResponses,
    503: {
      content: { 'application/json': { schema: ErrorSchema } },
      description: 'No time-series store configured or reachable: use GET /devices/{id}/events instead',
    },
  },
});

export function healthRoutes(ctx: ConsoleContext) {
  const app = createRouter();
  app.use('/devices/:id/health', ctx.requireRole(...LIVE_ROLES));
  app.openapi(healthRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { hours } = c.req.valid('query');
    const device = ctx.registry.getDevice(id);
    if (!device || !deviceVisibleTo(ctx.areas, c.get('user'), device))
      throw new HttpError(404, 'not-found', `no device ${id}`, 'id');
    const store = ctx.timeSeries;
    if (!store) throw new HttpError(503, 'no-time-series', 'no time-series store configured', 'timeSeries');
    const to = Date.now();
    const from = to - hours * 3_600_000;
    let intervalMs = 0;
    const series: z.infer<typeof HealthHistorySchema>['series'] = [];
    try {
      for (const [measurement, fields] of Object.entries(HEALTH_FIELDS)) {
        const result = await store.query({
          measurement,
          fields: [...fields],
          where: { device: id },
          from,
          to,
          maxPoints: MAX_POINTS,
        });
        intervalMs = Math.max(intervalMs, result.intervalMs);
        for (const s of result.series)
          if (s.points.length > 0)
            series.push({ measurement, field: s.field, source: s.tags.source ?? null, points: s.points });
      }
    } catch (err) {
      throw new HttpError(
        503,
        'no-time-series',
        `time-series store: ${(err as Error).message}`,
        'timeSeries',
      );
    }
    return c.json({ source: 'time-series' as const, from, to, intervalMs, series }, 200);
  });
  return app;
}
