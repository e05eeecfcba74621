import { createRoute } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { errorResponses, jsonBody, ok } from '../app/common-schemas.js';
import type { AppEnv, ConsoleContext, SessionUser } from '../app/env.js';
import { HttpError } from '../app/http-error.js';
import { AudioIdParamSchema, AudioInUseSchema, AudioPatchSchema, AudioViewSchema } from './api-schemas.js';
import type { AudioPatch } from './api-schemas.js';
import type { AudioRecord } from './item-schema.js';
import { AudioInUse } from './library.js';
import type { AudioLibrary } from './library.js';
import type { ScopedItems } from './scoped-items.js';

const patch = createRoute({
  method: 'patch',
  path: '/audio/{id}',
  tags: ['audio'],
  summary:
    'Change title, language or tags (the owner area’s staff; province staff for province-level items); ' +
    'share province-wide (admins) or move to another owner area (province staff)',
  request: { params: AudioIdParamSchema, ...jsonBody(AudioPatchSchema) },
  responses: { ...ok(AudioViewSchema), ...errorResponses },
});
const remove = createRoute({
  method: 'delete',
  path: '/audio/{id}',
  tags: ['audio'],
  summary: 'Delete an item and its file; refused (409, with the uses) while schedules or broadcasts use it',
  request: { params: AudioIdParamSchema },
  responses: {
    204: { description: 'Deleted' },
    ...errorResponses,
    409: { content: { 'application/json': { schema: AudioInUseSchema } }, description: 'Still in use' },
  },
});

/** PATCH and DELETE of one item, each checked against the item's owner area and audited. */
export function mountItemChanges(
  app: OpenAPIHono<AppEnv>,
  ctx: ConsoleContext,
  library: AudioLibrary,
  items: ScopedItems,
): void {
  app.openapi(patch, (c) => {
    const { id } = c.req.valid('param');
    const changes = c.req.valid('json');
    const user = c.get('user');
    const before = items.managed(user, id);
    checkOwnershipChange(ctx, library, user, changes);
    const { shared, areaId, ...text } = changes;
    const actor = user.username;
    if (Object.values(text).some((v) => v !== undefined)) {
      library.update(id, text);
      ctx.audit.record({ actor, action: 'audio.update', target: id, detail: text });
    }
    if (shared !== undefined && shared !== before.shared) {
      library.setOwnership(id, { ownerAreaId: before.ownerAreaId, shared });
      ctx.audit.record({
        actor,
        action: shared ? 'audio.share' : 'audio.unshare',
        target: id,
        detail: { shared },
      });
    }
    if (areaId !== undefined && areaId !== before.ownerAreaId) {
      library.setOwnership(id, { ownerAreaId: areaId, shared: shared ?? before.shared });
      const detail = { from: before.ownerAreaId, to: areaId };
      ctx.audit.record({ actor, action: 'audio.move', target: id, detail });
    }
    return c.json(items.view(user, current(library, id)), 200);
  });

  app.openapi(remove, async (c) => {
    const { id } = c.req.valid('param');
    const user = c.get('user');
    const item = items.managed(user, id);
    try {
      if (!(await library.delete(id))) throw new HttpError(404, 'not-found', `no audio item ${id}`, 'id');
    } catch (err) {
      if (!(err instanceof AudioInUse)) throw err;
      return c.json(
        { error: 'in-use' as const, field: 'id' as const, message: err.message, uses: err.uses },
        409,
      );
    }
    ctx.audit.record({
      actor: user.username,
      action: 'audio.delete',
      target: id,
      detail: { title: item.title, ownerAreaId: item.ownerAreaId, shared: item.shared },
    });
    return c.body(null, 204);
  });
}

/** Sharing is an admin's decision; moving between owners is province staff's. */
function checkOwnershipChange(
  ctx: ConsoleContext,
  library: AudioLibrary,
  user: SessionUser,
  changes: AudioPatch,
): void {
  if (changes.shared !== undefined && !user.roles.includes('admin'))
    throw new HttpError(
      403,
      'forbidden',
      'shared: only an administrator shares audio province-wide',
      'shared',
    );
  if (changes.areaId === undefined) return;
  if (!library.scope.isProvinceStaff(user))
    throw new HttpError(403, 'forbidden', 'areaId: only province staff move audio between areas', 'areaId');
  if (changes.areaId !== null && ctx.areas.get(changes.areaId) === undefined)
    throw new HttpError(400, 'unknown-area', `areaId: no area ${changes.areaId}`, 'areaId');
}

function current(library: AudioLibrary, id: string): AudioRecord {
  const item = library.record(id);
  if (item === undefined) throw new HttpError(404, 'not-found', `no audio item ${id}`, 'id');
  return item;
}
