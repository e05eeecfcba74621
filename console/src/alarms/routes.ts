import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { errorResponses, ok } from '../app/common-schemas.js';
import type { AppEnv, ConsoleContext } from '../app/env.js';
import { createRouter } from '../app/router.js';
import type { WarningStore } from './warning-store.js';

const WarningSchema = z
  .object({
    alarmId: z.string(),
    stationId: z.string(),
    ruleId: z.string(),
    communeId: z.string().nullable(),
    outcome: z.enum(['sending', 'sent', 'failed', 'cooldown', 'no-commune', 'stale', 'disabled']),
    reason: z.string().nullable(),
    broadcastId: z.string().nullable(),
    text: z.string().nullable().openapi({ description: 'What the loudspeakers said' }),
    alarmTs: z.number().int(),
    receivedAt: z.number().int(),
  })
  .openapi('AlarmWarning');

const QuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ example: 50 }),
});

const listRoute = createRoute({
  method: 'get',
  path: '/alarm-warnings',
  tags: ['alarms'],
  summary: 'Recent automatic warning broadcasts and why other raised alarms stayed silent',
  request: { query: QuerySchema },
  responses: { ...ok(z.object({ warnings: z.array(WarningSchema) })), ...errorResponses },
});

export function alarmWarningRoutes(ctx: ConsoleContext, store: WarningStore): OpenAPIHono<AppEnv> {
  const app = createRouter();
  app.use('/alarm-warnings', ctx.requireRole('environment', 'operator', 'approver'));
  app.openapi(listRoute, (c) => c.json({ warnings: store.recent(c.req.valid('query').limit) }, 200));
  return app;
}
