import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { ErrorSchema } from '../app/common-schemas.js';
import type { AppEnv, ConsoleContext, SessionUser } from '../app/env.js';
import { createRouter } from '../app/router.js';
import type { Bulletin } from './bulletin-store.js';
import type { InformationSourceExchange } from './exchange.js';

const ErrorBody = { 'application/json': { schema: ErrorSchema } };

const BulletinSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    level: z.enum(['emergency', 'priority', 'normal']),
    kind: z.enum(['audio', 'text']),
    audioId: z.string().nullable(),
    text: z.string().nullable(),
    language: z.string(),
    validFrom: z.number().int(),
    validTo: z.number().int(),
    areaIds: z.array(z.string()),
    issuer: z.string(),
    status: z.enum(['pending-approval', 'approved', 'rejected', 'refused', 'expired']),
    reason: z.string().nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: z.number().int().nullable(),
    receivedAt: z.number().int(),
  })
  .openapi('InformationSourceBulletin');

const StatusSchema = z
  .object({
    configured: z.boolean(),
    connected: z.boolean(),
    lastSyncAt: z.number().int().nullable(),
    lastSuccessAt: z.number().int().nullable(),
    lastError: z.string().nullable(),
    consecutiveFailures: z.number().int(),
    nextAttemptAt: z.number().int().nullable(),
    outbox: z.object({
      messages: z.number().int(),
      oldestAt: z.number().int().nullable(),
      lastError: z.string().nullable(),
    }),
    bulletinsPending: z.number().int(),
  })
  .openapi('InformationSourceStatus');

const DecisionSchema = z.object({
  decision: z.enum(['approve', 'reject']),
  note: z.string().trim().max(500).optional(),
});

/**
 * Status of the exchange with the provincial information source system, a manual sync, and the
 * commune's decision on bulletins it sent (Circular 39: the commune chooses what to air).
 */
export function informationSourceRoutes(
  ctx: ConsoleContext,
  exchange: InformationSourceExchange | null,
  hooks: { onApproved?: (bulletin: Bulletin, approvedBy: SessionUser) => void } = {},
): OpenAPIHono<AppEnv> {
  const app = createRouter();
  const notConfigured = {
    error: 'not-configured',
    field: 'informationSource.url',
    message: 'the provincial information source system is not configured',
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/information-source/status',
      tags: ['information-source'],
      summary: 'State of the exchange with the provincial system',
      middleware: [ctx.requireRole('operator', 'approver', 'technician')],
      responses: {
        200: { description: 'Status', content: { 'application/json': { schema: StatusSchema } } },
      },
    }),
    (c) => {
      if (!exchange) {
        return c.json(
          {
            configured: false,
            connected: false,
            lastSyncAt: null,
            lastSuccessAt: null,
            lastError: null,
            consecutiveFailures: 0,
            nextAttemptAt: null,
            outbox: { messages: 0, oldestAt: null, lastError: null },
            bulletinsPending: 0,
          },
          200,
        );
      }
      return c.json({ configured: true, ...exchange.status() }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/information-source/sync',
      tags: ['information-source'],
      summary: 'Sync now (with `republish`, send every station, cluster and schedule again)',
      middleware: [ctx.requireRole('admin')],
      request: { query: z.object({ republish: z.enum(['true', 'false']).default('false') }) },
      responses: {
        200: {
          description: 'Status after the sync',
          content: { 'application/json': { schema: StatusSchema } },
        },
        503: { description: 'Not configured', content: ErrorBody },
      },
    }),
    async (c) => {
      if (!exchange) return c.json(notConfigured, 503);
      const republish = c.req.valid('query').republish === 'true';
      if (republish) exchange.republishAll();
      await exchange.syncNow();
      ctx.audit.record({
        actor: c.get('user').username,
        action: 'information-source.sync',
        detail: { republish },
      });
      return c.json({ configured: true, ...exchange.status() }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/information-source/bulletins',
      tags: ['information-source'],
      summary: 'Bulletins from the province (emergency first)',
      middleware: [ctx.requireRole('operator', 'approver')],
      request: {
        query: z.object({
          status: z.enum(['pending-approval', 'approved', 'rejected', 'refused', 'expired']).optional(),
        }),
      },
      responses: {
        200: {
          description: 'Bulletins in the user’s areas',
          content: { 'application/json': { schema: z.object({ bulletins: z.array(BulletinSchema) }) } },
        },
        503: { description: 'Not configured', content: ErrorBody },
      },
    }),
    (c) => {
      if (!exchange) return c.json(notConfigured, 503);
      const user = c.get('user');
      const all = exchange.bulletins.list(Date.now(), c.req.valid('query').status);
      const mine = all.filter((b) => b.areaIds.some((a) => ctx.areas.userMayAct(user, a)));
      return c.json({ bulletins: mine }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/information-source/bulletins/{id}/decision',
      tags: ['information-source'],
      summary: 'Approve or reject a bulletin for airing',
      middleware: [ctx.requireRole('operator', 'approver')],
      request: {
        params: z.object({ id: z.string().min(1).max(128) }),
        body: { content: { 'application/json': { schema: DecisionSchema } }, required: true },
      },
      responses: {
        200: { description: 'Decided', content: { 'application/json': { schema: BulletinSchema } } },
        403: { description: 'Not your area', content: ErrorBody },
        404: { description: 'Unknown bulletin', content: ErrorBody },
        409: { description: 'Already decided', content: ErrorBody },
        410: { description: 'Expired', content: ErrorBody },
        503: { description: 'Not configured', content: ErrorBody },
      },
    }),
    (c) => {
      if (!exchange) return c.json(notConfigured, 503);
      const { id } = c.req.valid('param');
      const { decision, note } = c.req.valid('json');
      const user = c.get('user');
      const now = Date.now();
      const bulletin = exchange.bulletins.get(id, now);
      if (!bulletin) return c.json({ error: 'not-found', field: 'id', message: `no bulletin "${id}"` }, 404);
      if (!bulletin.areaIds.some((a) => ctx.areas.userMayAct(user, a))) {
        return c.json(
          { error: 'forbidden', field: 'id', message: 'the bulletin is not for your areas' },
          403,
        );
      }
      if (bulletin.status === 'expired') {
        return c.json({ error: 'expired', field: 'id', message: 'the bulletin’s validity has ended' }, 410);
      }
      if (bulletin.status !== 'pending-approval') {
        return c.json({ error: 'conflict', field: 'id', message: `already ${bulletin.status}` }, 409);
      }
      const status = decision === 'approve' ? 'approved' : 'rejected';
      exchange.decide(bulletin, status, user.username, note ?? null);
      ctx.audit.record({
        actor: user.username,
        action: `information-source.bulletin.${status}`,
        target: id,
        detail: { note: note ?? null, audioId: bulletin.audioId, level: bulletin.level },
      });
      const decided = exchange.bulletins.get(id, now) ?? bulletin;
      if (status === 'approved') hooks.onApproved?.(decided, user);
      return c.json(decided, 200);
    },
  );

  return app;
}
