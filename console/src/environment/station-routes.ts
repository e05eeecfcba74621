import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { vietnamDate } from '@xaso/collector';
import { errorResponses, ok } from '../app/common-schemas.js';
import type { AppEnv, ConsoleContext } from '../app/env.js';
import { HttpError } from '../app/http-error.js';
import { createRouter } from '../app/router.js';
import { storeOf } from './availability.js';
import { CHANNELS, type StationKind, channelOf, limitsFor } from './channels.js';
import { seriesCsv } from './csv.js';
import { HOUR_MS, hourlyAqiSeries, hourlyWqiSeries, wireIndex } from './indices.js';
import { SeriesQuerySchema, StationDetailSchema, StationListSchema, StationSeriesSchema } from './schemas.js';
import { stationSeries } from './series.js';
import type { StationDirectory } from './stations.js';

const StationParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'tn-air-01' }),
});
const unavailable = {
  503: {
    description: 'No time-series store configured',
    content: { 'application/json': { schema: errorResponses[400].content['application/json'].schema } },
  },
};
const DAY_MS = 86_400_000;

function parseFields(kind: StationKind, raw: string | undefined): string[] {
  if (raw === undefined) return CHANNELS[kind].map((c) => c.field);
  const fields = [...new Set(raw.split(','))];
  const unknown = fields.find((f) => !channelOf(kind, f));
  if (unknown)
    throw new HttpError(
      400,
      'invalid-request',
      `fields: ${unknown} is not measured by ${kind} stations (${CHANNELS[kind].map((c) => c.field).join(', ')})`,
      'fields',
    );
  return fields;
}

/** Stations with their latest values and VN_AQI/WQI, station detail, and downsampled series (JSON and CSV). */
export function stationRoutes(
  ctx: ConsoleContext,
  stations: StationDirectory,
  now: () => number = Date.now,
): OpenAPIHono<AppEnv> {
  const app = createRouter();
  const readers = ctx.requireRole('environment', 'operator', 'approver', 'technician');

  const found = async (user: AppEnv['Variables']['user'], id: string) => {
    const s = await stations.get(storeOf(ctx), user, id);
    if (!s) throw new HttpError(404, 'not-found', `no station ${id} you may read`, 'id');
    return s;
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/environment/stations',
      tags: ['environment'],
      summary: 'Stations with their state and current VN_AQI (air) or VN_WQI (water) in the official colours',
      middleware: [readers],
      responses: { ...ok(StationListSchema), ...errorResponses, ...unavailable },
    }),
    async (c) => {
      const store = storeOf(ctx);
      const list = await stations.list(store, c.get('user'));
      const out = [];
      for (const { station } of list) {
        const index = await stations.index(store, station);
        out.push({ ...station, index: index ? wireIndex(index) : null });
      }
      return c.json({ stations: out }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/environment/stations/{id}',
      tags: ['environment'],
      summary: 'Station detail: channels with units, QCVN limits and latest values; index now and last 24 h',
      middleware: [readers],
      request: { params: StationParam },
      responses: { ...ok(StationDetailSchema), ...errorResponses, ...unavailable },
    }),
    async (c) => {
      const store = storeOf(ctx);
      const { station, latest } = await found(c.get('user'), c.req.valid('param').id);
      const to = Math.floor(now() / HOUR_MS) * HOUR_MS + HOUR_MS;
      const last24h =
        station.kind === 'air'
          ? await hourlyAqiSeries(store, station.id, to - 24 * HOUR_MS, to)
          : await hourlyWqiSeries(store, station.id, to - 24 * HOUR_MS, to);
      const date = vietnamDate(now());
      const index = last24h.at(-1) ?? null;
      return c.json(
        {
          station: { ...station, index: index ? wireIndex(index) : null },
          channels: CHANNELS[station.kind].map((ch) => ({
            ...ch,
            latest: latest[ch.field] ?? null,
            limits: limitsFor(station.kind, ch.field, date),
          })),
          last24h,
        },
        200,
      );
    },
  );

  const seriesOf = async (
    c: { get: (k: 'user') => AppEnv['Variables']['user'] },
    id: string,
    q: z.infer<typeof SeriesQuerySchema>,
  ) => {
    const store = storeOf(ctx);
    const { station } = await found(c.get('user'), id);
    const to = q.to ?? now();
    const from = q.from ?? to - DAY_MS;
    if (from >= to) throw new HttpError(400, 'invalid-request', 'from: must be before to', 'from');
    const fields = parseFields(station.kind, q.fields);
    const series = await stationSeries(store, {
      measurement: station.kind,
      stationId: station.id,
      fields,
      from,
      to,
      maxPoints: q.maxPoints,
    });
    return { station, series };
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/environment/stations/{id}/series',
      tags: ['environment'],
      summary: 'Mean/min/max per bucket, downsampled server-side to at most maxPoints buckets for any range',
      middleware: [readers],
      request: { params: StationParam, query: SeriesQuerySchema },
      responses: { ...ok(StationSeriesSchema), ...errorResponses, ...unavailable },
    }),
    async (c) => {
      const { station, series } = await seriesOf(c, c.req.valid('param').id, c.req.valid('query'));
      return c.json(
        {
          stationId: station.id,
          ...series,
          fields: series.fields.map((f) => ({ ...f, unit: channelOf(station.kind, f.field)?.unit ?? '' })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/environment/stations/{id}/series.csv',
      tags: ['environment'],
      summary: 'The same range as CSV (UTF-8 with BOM, dd/mm/yyyy HH:mm, Asia/Ho_Chi_Minh)',
      middleware: [readers],
      request: { params: StationParam, query: SeriesQuerySchema },
      responses: {
        200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } },
        ...errorResponses,
        ...unavailable,
      },
    }),
    async (c) => {
      const { station, series } = await seriesOf(c, c.req.valid('param').id, c.req.valid('query'));
      const name = `${station.id}-${vietnamDate(series.from)}-${vietnamDate(series.to - 1)}.csv`;
      return c.body(seriesCsv(station, series), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${name}"`,
      });
    },
  );

  return app;
}
