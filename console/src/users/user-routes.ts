import { createRoute, z } from '@hono/zod-openapi';
import { IdParamSchema, errorResponses, jsonBody, ok } from '../app/common-schemas.js';
import type { AreaDirectory, AuditLog, ConsoleContext } from '../app/env.js';
import { HttpError } from '../app/http-error.js';
import { createRouter } from '../app/router.js';
import { randomPassword } from '../auth/password-hash.js';
import type { SessionStore } from '../auth/session-store.js';
import { NewPasswordSchema, NewUserSchema, UserPatchSchema, UserViewSchema } from './user-schemas.js';
import type { UserStore } from './user-store.js';

export interface UserRouteDeps {
  users: UserStore;
  sessions: SessionStore;
  audit: AuditLog;
  areas: AreaDirectory;
  requireRole: ConsoleContext['requireRole'];
}

const CreatedSchema = z
  .object({ user: UserViewSchema, oneTimePassword: z.string().optional() })
  .openapi('CreatedUser');

const list = createRoute({
  method: 'get',
  path: '/users',
  tags: ['users'],
  summary: 'All console users (admin)',
  responses: { ...ok(z.object({ users: z.array(UserViewSchema) })), ...errorResponses },
});
const create = createRoute({
  method: 'post',
  path: '/users',
  tags: ['users'],
  summary: 'Create a user with roles and areas; without a password a one-time one is returned once (admin)',
  request: jsonBody(NewUserSchema),
  responses: {
    201: { content: { 'application/json': { schema: CreatedSchema } }, description: 'Created' },
    ...errorResponses,
  },
});
const patch = createRoute({
  method: 'patch',
  path: '/users/{id}',
  tags: ['users'],
  summary: 'Change roles, areas, name or disable/enable a user (admin)',
  request: { params: IdParamSchema, ...jsonBody(UserPatchSchema) },
  responses: { ...ok(UserViewSchema), ...errorResponses },
});
const reset = createRoute({
  method: 'post',
  path: '/users/{id}/reset-password',
  tags: ['users'],
  summary: 'Set a new one-time password (returned once) or a given one; ends the user’s sessions (admin)',
  request: {
    params: IdParamSchema,
    body: {
      content: { 'application/json': { schema: z.object({ password: NewPasswordSchema.optional() }) } },
      required: false,
    },
  },
  responses: { ...ok(z.object({ oneTimePassword: z.string().optional() })), ...errorResponses },
});

export function userRoutes(deps: UserRouteDeps) {
  const app = createRouter();
  app.use('/users', deps.requireRole());
  app.use('/users/*', deps.requireRole());

  const checkAreas = (areaIds: readonly string[]) => {
    areaIds.forEach((id, i) => {
      if (!deps.areas.get(id)) throw new HttpError(400, 'unknown-area', `no area ${id}`, `areaIds.${i}`);
    });
  };

  app.openapi(list, (c) => c.json({ users: deps.users.list() }, 200));

  app.openapi(create, async (c) => {
    const input = c.req.valid('json');
    checkAreas(input.areaIds);
    const created = await deps.users.create(input);
    deps.audit.record({
      actor: c.get('user').username,
      action: 'user.create',
      target: created.user.id,
      detail: { username: input.username, roles: input.roles, areaIds: input.areaIds },
    });
    return c.json(created, 201);
  });

  app.openapi(patch, (c) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const me = c.get('user');
    if (input.areaIds) checkAreas(input.areaIds);
    if (id === me.id && (input.disabled === true || (input.roles && !input.roles.includes('admin'))))
      throw new HttpError(
        409,
        'self-lockout',
        'you cannot disable yourself or drop your own admin role',
        'id',
      );
    const user = deps.users.update(id, input);
    if (input.disabled === true) deps.sessions.destroyAllOf(id);
    deps.audit.record({ actor: me.username, action: 'user.update', target: id, detail: input });
    return c.json(user, 200);
  });

  app.openapi(reset, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json') as { password?: string } | undefined;
    deps.users.require(id);
    const oneTime = body?.password === undefined ? randomPassword() : undefined;
    await deps.users.setPassword(id, body?.password ?? oneTime ?? '', true);
    deps.sessions.destroyAllOf(id);
    deps.audit.record({ actor: c.get('user').username, action: 'user.reset-password', target: id });
    return c.json(oneTime ? { oneTimePassword: oneTime } : {}, 200);
  });

  return app;
}
