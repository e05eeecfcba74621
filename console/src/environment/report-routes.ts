import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { errorResponses } from '../app/common-schemas.js';
import type { AppEnv, ConsoleContext } from '../app/env.js';
import { HttpError } from '../app/http-error.js';
import { createRouter } from '../app/router.js';
import { DAY_MS, localDayStart } from '../reports/local-time.js';
import { ReportPeriodQuerySchema } from '../reports/period-query.js';
import { storeOf } from './availability.js';
import { summaryCsv } from './csv.js';
import { SummarySchema } from './schemas.js';
import type { StationDirectory } from './stations.js';
import { summaryHtml } from './summary-html.js';
import { environmentSummary } from './summary-report.js';

function summaryRoute(path: string, mediaType: string, description: string, ctx: ConsoleContext) {
  return createRoute({
    method: 'get',
    path,
    tags: ['environment', 'reports'],
    summary: description,
    middleware: [ctx.requireRole('environment', 'operator', 'approver')],
    request: { query: ReportPeriodQuerySchema },
    responses: {
      200: {
        description,
        content: { [mediaType]: { schema: mediaType === 'application/json' ? SummarySchema : z.string() } },
      },
      ...errorResponses,
    },
  });
}

/** Per area and period: daily index per station, hours over QCVN limits, completeness; JSON, CSV, print. */
export function environmentReportRoutes(
  ctx: ConsoleContext,
  stations: StationDirectory,
  now: () => number = Date.now,
): OpenAPIHono<AppEnv> {
  const app = createRouter();

  const build = async (c: Context<AppEnv>, q: z.infer<typeof ReportPeriodQuerySchema>) => {
    const area = ctx.areas.get(q.areaId);
    if (!area) throw new HttpError(404, 'not-found', `no area ${q.areaId}`, 'areaId');
    const user = c.get('user');
    const provinceWide = user.roles.includes('admin') || user.roles.includes('environment');
    if (!provinceWide && !ctx.areas.userMayAct(user, q.areaId))
      throw new HttpError(403, 'forbidden', `area ${q.areaId} is not yours`, 'areaId');
    const store = storeOf(ctx);
    const under = new Set(ctx.areas.subtree(q.areaId).map((a) => a.id));
    const inArea = (await stations.list(store, user))
      .map((s) => s.station)
      .filter((s) => s.areaId !== null && under.has(s.areaId));
    return environmentSummary(
      store,
      area,
      inArea,
      localDayStart(q.from),
      localDayStart(q.to) + DAY_MS,
      now(),
    );
  };
  const fileName = (q: z.infer<typeof ReportPeriodQuerySchema>) => `moi-truong-${q.areaId}-${q.from}-${q.to}`;

  app.openapi(
    summaryRoute('/environment/reports/summary', 'application/json', 'Environmental summary', ctx),
    async (c) => c.json(await build(c, c.req.valid('query')), 200),
  );
  app.openapi(
    summaryRoute('/environment/reports/summary/csv', 'text/csv', 'Environmental summary as CSV', ctx),
    async (c) => {
      const q = c.req.valid('query');
      return c.body(summaryCsv(await build(c, q)), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${fileName(q)}.csv"`,
      });
    },
  );
  app.openapi(
    summaryRoute('/environment/reports/summary/print', 'text/html', 'Printable environmental summary', ctx),
    async (c) => c.html(summaryHtml(await build(c, c.req.valid('query'))), 200),
  );
  return app;
}
