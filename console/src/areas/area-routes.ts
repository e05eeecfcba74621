import { createRoute, z } from '@hono/zod-openapi';
import { IdParamSchema, errorResponses, jsonBody, ok } from '../app/common-schemas.js';
import type { AuditLog, ConsoleContext } from '../app/env.js';
import { createRouter } from '../app/router.js';
import type { SqliteAreaDirectory } from './area-directory.js';
import { AreaPatchSchema, AreaSchema, NewAreaSchema } from './area-schemas.js';
import type { Placement } from './placement.js';

export interface AreaRouteDeps {
  areas: SqliteAreaDirectory;
  placement: Placement;
  audit: AuditLog;
  requireRole: ConsoleContext['requireRole'];
}

const AreaDetailSchema = AreaSchema.extend({
  ancestry: z.array(z.string()).openapi({ description: 'This area and the ones above it, root last' }),
  children: z.array(z.string()),
  clusters: z.array(z.string()).openapi({ description: 'Loudspeaker clusters placed here or below' }),
}).openapi('AreaDetail');

const listRoute = createRoute({
  method: 'get',
  path: '/areas',
  tags: ['areas'],
  summary: 'The whole area tree as a flat list (parentId links)',
  responses: { ...ok(z.object({ areas: z.array(AreaSchema) })), ...errorResponses },
});
const getRoute = createRoute({
  method: 'get',
  path: '/areas/{id}',
  tags: ['areas'],
  summary: 'One area with its ancestry, children and clusters',
  request: { params: IdParamSchema },
  responses: { ...ok(AreaDetailSchema), ...errorResponses },
});
const createAreaRoute = createRoute({
  method: 'post',
  path: '/areas',
  tags: ['areas'],
  summary: 'Add an area (admin)',
  request: jsonBody(NewAreaSchema),
  responses: {
    201: { content: { 'application/json': { schema: AreaSchema } }, description: 'Created' },
    ...errorResponses,
  },
});
const patchRoute = createRoute({
  method: 'patch',
  path: '/areas/{id}',
  tags: ['areas'],
  summary: 'Rename, move or change an area (admin); moving re-groups its clusters',
  request: { params: IdParamSchema, ...jsonBody(AreaPatchSchema) },
  responses: { ...ok(AreaSchema), ...errorResponses },
});
const deleteRoute = createRoute({
  method: 'delete',
  path: '/areas/{id}',
  tags: ['areas'],
  summary: 'Remove an empty leaf area (admin)',
  request: { params: IdParamSchema },
  responses: { ...ok(z.object({ ok: z.literal(true) })), ...errorResponses },
});

export function areaRoutes(deps: AreaRouteDeps) {
  const app = createRouter();
  const admin = deps.requireRole();
  app.on(['POST'], '/areas', admin);
  app.on(['PATCH', 'DELETE'], '/areas/*', admin);

  app.openapi(listRoute, (c) => c.json({ areas: deps.areas.list() }, 200));

  app.openapi(getRoute, (c) => {
    const { id } = c.req.valid('param');
    const area = deps.areas.require(id);
    const children = deps.areas
      .list()
      .filter((a) => a.parentId === id)
      .map((a) => a.id);
    const ancestry = deps.areas.ancestry(id).map((a) => a.id);
    return c.json({ ...area, ancestry, children, clusters: deps.areas.clustersIn(id) }, 200);
  });

  app.openapi(createAreaRoute, (c) => {
    const input = c.req.valid('json');
    const area = deps.areas.create(input);
    deps.audit.record({
      actor: c.get('user').username,
      action: 'area.create',
      target: area.id,
      detail: input,
    });
    return c.json(area, 201);
  });

  app.openapi(patchRoute, async (c) => {
    const { id } = c.req.valid('param');
    const patch = c.req.valid('json');
    const before = deps.areas.require(id);
    const area = deps.areas.update(id, patch);
    const actor = c.get('user').username;
    const regrouped = area.parentId !== before.parentId ? await deps.placement.replaceUnder(id, actor) : 0;
    deps.audit.record({ actor, action: 'area.update', target: id, detail: { ...patch, regrouped } });
    return c.json(area, 200);
  });

  app.openapi(deleteRoute, (c) => {
    const { id } = c.req.valid('param');
    deps.areas.delete(id);
    deps.audit.record({ actor: c.get('user').username, action: 'area.delete', target: id });
    return c.json({ ok: true as const }, 200);
  });

  return app;
}
