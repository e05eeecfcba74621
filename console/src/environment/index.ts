import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, ConsoleContext } from '../app/env.js';
import { createRouter } from '../app/router.js';
import { AlarmDesk } from './alarm-desk.js';
import { alarmRoutes } from './alarm-routes.js';
import { CollectorDb } from './collector-db.js';
import { environmentReportRoutes } from './report-routes.js';
import { stationRoutes } from './station-routes.js';
import { StationDirectory } from './stations.js';

export interface EnvironmentOptions {
  collectorStateDb?: string | undefined;
  now?: () => number;
  /** Where the module registers the closing of its read-only connection. */
  closers?: (() => void | Promise<void>)[];
}

/** Stations, series, alarms and summaries: reads the collector's store (ctx.timeSeries) and state DB. */
export function createEnvironment(
  ctx: ConsoleContext,
  options: EnvironmentOptions = {},
): OpenAPIHono<AppEnv> {
  const now = options.now ?? Date.now;
  const collector = new CollectorDb(options.collectorStateDb);
  const stations = new StationDirectory(ctx, collector, now);
  const desk = new AlarmDesk(ctx, collector);
  const routes = createRouter();
  routes.route('/', stationRoutes(ctx, stations, now));
  routes.route('/', alarmRoutes(ctx, desk, stations));
  routes.route('/', environmentReportRoutes(ctx, stations, now));
  options.closers?.push(() => collector.close());
  return routes;
}
