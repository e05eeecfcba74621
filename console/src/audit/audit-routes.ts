import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, ok } from '../app/common-schemas.js';
import type { ConsoleContext } from '../app/env.js';
import { createRouter } from '../app/router.js';
import type { SqliteAuditLog } from './audit-log.js';

const EntrySchema = z
  .object({
    id: z.number().int(),
    ts: z.number().int(),
    actor: z.string(),
    action: z.string(),
    target: z.string().nullable(),
    detail: z.unknown(),
    address: z.string().nullable(),
    requestId: z.string().nullable(),
  })
  .openapi('AuditEntry');

const QuerySchema = z.object({
  actor: z.string().min(1).max(64).optional(),
  action: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ description: 'Prefix, e.g. "auth." or "user.create"' }),
  target: z.string().min(1).max(128).optional(),
  from: z.coerce.number().int().nonnegative().optional().openapi({ description: 'Epoch ms, inclusive' }),
  to: z.coerce.number().int().nonnegative().optional().openapi({ description: 'Epoch ms, exclusive' }),
  beforeId: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .openapi({ description: 'For paging: entries older than this id' }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const route = createRoute({
  method: 'get',
  path: '/audit',
  tags: ['audit'],
  summary: 'The audit log, newest first, with filters (admin)',
  request: { query: QuerySchema },
  responses: { ...ok(z.object({ entries: z.array(EntrySchema) })), ...errorResponses },
});

export function auditRoutes(audit: SqliteAuditLog, requireRole: ConsoleContext['requireRole']) {
  const app = createRouter();
  app.use('/audit', requireRole());
  app.openapi(route, (c) => c.json({ entries: audit.query(c.req.valid('query')) }, 200));
  return app;
}
