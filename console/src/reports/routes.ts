import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ErrorSchema } from '../app/common-schemas.js';
import type { AppEnv, ConsoleContext } from '../app/env.js';
import { createRouter } from '../app/router.js';
import { type BroadcastRecordSource, sqlBroadcastRecords } from './broadcast-records.js';
import { broadcastLogCsv } from './csv.js';
import { broadcastLogHtml } from './html.js';
import { ReportPeriodQuerySchema } from './period-query.js';
import { type PlaybackEventSource, lazyPlaybackSource } from './playback-source.js';
import { broadcastLogFor } from './report-service.js';
import { BroadcastLogSchema } from './schemas.js';

export interface ReportRouteOptions {
  /** Proof of broadcast; or the collector state DB path, opened read-only on first use. */
  playback?: PlaybackEventSource;
  collectorStateDb?: string;
  /** Who scheduled and approved each broadcast (the broadcast module's records). */
  broadcasts?: BroadcastRecordSource;
}

const errors = {
  400: {
    description: 'Bad query; `field` names it',
    content: { 'application/json': { schema: ErrorSchema } },
  },
  401: { description: 'Not signed in', content: { 'application/json': { schema: ErrorSchema } } },
  403: { description: 'Area not yours', content: { 'application/json': { schema: ErrorSchema } } },
  404: { description: 'Unknown area', content: { 'application/json': { schema: ErrorSchema } } },
  503: { description: 'No playback data', content: { 'application/json': { schema: ErrorSchema } } },
} as const;

function logRoute(path: string, mediaType: string, description: string, ctx: ConsoleContext) {
  const schema = mediaType === 'application/json' ? BroadcastLogSchema : z.string();
  return createRoute({
    method: 'get',
    path,
    tags: ['reports'],
    summary: description,
    middleware: [ctx.requireRole('operator', 'approver')],
    request: { query: ReportPeriodQuerySchema },
    responses: { 200: { description, content: { [mediaType]: { schema } } }, ...errors },
  });
}

/** Broadcast log per area and period as JSON, CSV (Excel-ready) and a printable Vietnamese page. */
export function reportRoutes(ctx: ConsoleContext, options: ReportRouteOptions = {}): OpenAPIHono<AppEnv> {
  const app = createRouter();
  const broadcasts = options.broadcasts ?? sqlBroadcastRecords(ctx.db);
  const lazy = options.collectorStateDb ? lazyPlaybackSource(options.collectorStateDb) : null;
  const playbackSource = (): PlaybackEventSource | null => {
    if (options.playback) return options.playback;
    return lazy?.available() ? lazy : null;
  };

  const build = (c: Context<AppEnv>, q: z.infer<typeof ReportPeriodQuerySchema>) => {
    if (!ctx.areas.get(q.areaId)) {
      return { error: c.json({ error: 'not-found', field: 'areaId', message: 'unknown area' }, 404) };
    }
    if (!ctx.areas.userMayAct(c.get('user'), q.areaId)) {
      return {
        error: c.json({ error: 'forbidden', field: 'areaId', message: 'not one of your areas' }, 403),
      };
    }
    const source = playbackSource();
    if (!source) {
      const message = 'the collector state DB (proof of broadcast) is not configured or not readable';
      return { error: c.json({ error: 'unavailable', field: 'collectorStateDb', message }, 503) };
    }
    const log = broadcastLogFor(
      {
        areas: ctx.areas,
        audio: ctx.audio,
        cluster: (id) => ctx.registry.getDevice(id),
        playback: source,
        broadcasts,
      },
      q,
    );
    return { log };
  };
  const fileName = (q: z.infer<typeof ReportPeriodQuerySchema>, ext: string) =>
    `nhat-ky-phat-thanh_${q.areaId.replace(/[^A-Za-z0-9_-]/g, '_')}_${q.from}_${q.to}.${ext}`;

  app.openapi(logRoute('/reports/broadcast-log', 'application/json', 'Broadcast log', ctx), (c) => {
    const q = c.req.valid('query');
    const r = build(c, q);
    return r.error ?? c.json(r.log, 200);
  });

  app.openapi(logRoute('/reports/broadcast-log/csv', 'text/csv', 'Broadcast log as CSV', ctx), (c) => {
    const q = c.req.valid('query');
    const r = build(c, q);
    if (r.error) return r.error;
    return c.body(broadcastLogCsv(r.log), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${fileName(q, 'csv')}"`,
    });
  });

  app.openapi(logRoute('/reports/broadcast-log/print', 'text/html', 'Printable broadcast log', ctx), (c) => {
    const q = c.req.valid('query');
    const r = build(c, q);
    return r.error ?? c.html(broadcastLogHtml(r.log), 200);
  });

  return app;
}
