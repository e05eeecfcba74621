import { createRoute, z } from '@hono/zod-openapi';
import type { DeviceRecord, Registry } from '@xaso/broker';
import { getProfile } from '@xaso/device-profiles';
import { ErrorSchema, IdParamSchema, errorResponses, jsonBody, ok } from '../app/common-schemas.js';
import type { AreaDirectory, AuditLog, ConsoleContext, SessionUser } from '../app/env.js';
import { HttpError } from '../app/http-error.js';
import { createRouter } from '../app/router.js';
import type { Placement } from '../areas/placement.js';
import type { CollectorState } from './collector-state.js';
import type { DeviceDetailsTable } from './device-details.js';
import { deviceOverviewRoutes, toDeviceView } from './device-overview-routes.js';
import { DevicePatchSchema, DeviceViewSchema, NewDeviceSchema, PlacementSchema } from './device-schemas.js';
import type { DeviceView } from './device-schemas.js';
import type { FleetOverview } from './fleet-overview.js';
import type { PresenceBoard } from './presence-board.js';
import { deviceVisibleTo } from './visibility.js';

export interface DeviceRouteDeps {
  registry: Registry;
  collector: CollectorState;
  details: DeviceDetailsTable;
  presence: PresenceBoard;
  /** Whole-fleet reads for the paged list and the summary. */
  overview: FleetOverview;
  areas: AreaDirectory;
  placement: Placement;
  audit: AuditLog;
  requireRole: ConsoleContext['requireRole'];
  /** How long an enrollment code stays valid. */
  enrollmentTtlMs: number;
}

const EnrollmentCodeSchema = z
  .object({ deviceId: z.string(), code: z.string(), expiresAt: z.number().int() })
  .openapi('EnrollmentCode');

const route = <M extends 'get' | 'post' | 'patch' | 'put' | 'delete', P extends string>(
  method: M,
  path: P,
  summary: string,
) => ({ method, path, summary, tags: ['devices'] });

const getRoute = createRoute({
  ...route('get', '/devices/{id}', 'One device'),
  request: { params: IdParamSchema },
  responses: { ...ok(DeviceViewSchema), ...errorResponses },
});
const createDeviceRoute = createRoute({
  ...route('post', '/devices', 'Register a device with role, profile, area and position (admin, technician)'),
  request: jsonBody(NewDeviceSchema),
  responses: {
    201: { content: { 'application/json': { schema: DeviceViewSchema } }, description: 'Created' },
    ...errorResponses,
  },
});
const patchRoute = createRoute({
  ...route('patch', '/devices/{id}', 'Change profile or position (admin, technician)'),
  request: { params: IdParamSchema, ...jsonBody(DevicePatchSchema) },
  responses: { ...ok(DeviceViewSchema), ...errorResponses },
});
const placeRoute = createRoute({
  ...route(
    'put',
    '/devices/{id}/area',
    'Place a device in an area; clusters get the new groups pushed (admin, technician)',
  ),
  request: { params: IdParamSchema, ...jsonBody(PlacementSchema) },
  responses: {
    ...ok(z.object({ groups: z.array(z.string()), configVersion: z.number().int().optional() })),
    ...errorResponses,
  },
});
const codeRoute = createRoute({
  ...route('post', '/devices/{id}/enrollment-code', 'Issue a one-time enrollment code (admin, technician)'),
  request: { params: IdParamSchema },
  responses: { ...ok(EnrollmentCodeSchema), ...errorResponses },
});
const disableRoute = createRoute({
  ...route(
    'post',
    '/devices/{id}/disable',
    'Disable a device: the broker disconnects and refuses it (admin, technician)',
  ),
  request: { params: IdParamSchema },
  responses: { ...ok(DeviceViewSchema), ...errorResponses },
});
const enableRoute = createRoute({
  ...route('post', '/devices/{id}/enable', 'Enable a disabled device (admin, technician)'),
  request: { params: IdParamSchema },
  responses: { ...ok(DeviceViewSchema), ...errorResponses },
});
const rotateRoute = createRoute({
  ...route('post', '/devices/{id}/rotate-secret', 'New MQTT password, shown once (admin)'),
  request: { params: IdParamSchema },
  responses: { ...ok(z.object({ deviceId: z.string(), password: z.string() })), ...errorResponses },
});
const deleteRoute = createRoute({
  ...route('delete', '/devices/{id}', 'Delete a device from the registry (admin)'),
  request: { params: IdParamSchema },
  responses: { ...ok(z.object({ ok: z.literal(true) })), ...errorResponses },
});

const eventsRoute = createRoute({
  ...route(
    'get',
    '/devices/{id}/events',
    'Last events (faults, playback, lifecycle) as the collector stored them',
  ),
  request: {
    params: IdParamSchema,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      beforeSeq: z.coerce.number().int().positive().optional().openapi({ description: 'Page further back' }),
    }),
  },
  responses: {
    ...ok(
      z.object({
        events: z.array(
          z.object({
            seq: z.number().int(),
            ts: z.number().int(),
            kind: z.string(),
            body: z.unknown(),
            receivedAt: z.number().int(),
          }),
        ),
      }),
    ),
    ...errorResponses,
    503: {
      content: { 'application/json': { schema: ErrorSchema } },
      description: 'The collector state DB is not configured or not there yet',
    },
  },
});

export function deviceRoutes(deps: DeviceRouteDeps) {
  const app = createRouter();
  app.route(
    '/',
    deviceOverviewRoutes(deps.overview, (id) => deps.presence.get(id)),
  );
  const provisioning = deps.requireRole('technician');
  const admin = deps.requireRole();
  app.on(['POST'], '/devices', provisioning);
  app.on(['PATCH'], '/devices/:id', provisioning);
  app.on(['PUT'], '/devices/:id/area', provisioning);
  app.on(
    ['POST'],
    ['/devices/:id/enrollment-code', '/devices/:id/disable', '/devices/:id/enable'],
    provisioning,
  );
  app.on(['POST'], '/devices/:id/rotate-secret', admin);
  app.on(['DELETE'], '/devices/:id', admin);

  const visible = (user: SessionUser, d: DeviceRecord): boolean => deviceVisibleTo(deps.areas, user, d);

  const view = (d: DeviceRecord): DeviceView =>
    toDeviceView({ record: d, details: deps.details.get(d.id) }, deps.presence.get(d.id));

  /** Unknown and invisible look the same, so operators cannot probe other communes' devices. */
  const find = (user: SessionUser, id: string): DeviceRecord => {
    const device = deps.registry.getDevice(id);
    if (!device || !visible(user, device)) throw new HttpError(404, 'not-found', `no device ${id}`, 'id');
    return device;
  };

  const checkProfile = (profile: string | null | undefined) => {
    if (profile === null || profile === undefined) return;
    try {
      getProfile(profile);
    } catch (err) {
      throw new HttpError(400, 'unknown-profile', (err as Error).message, 'profile');
    }
  };

  app.openapi(getRoute, (c) => c.json(view(find(c.get('user'), c.req.valid('param').id)), 200));

  app.openapi(eventsRoute, (c) => {
    const { id } = c.req.valid('param');
    const { limit, beforeSeq } = c.req.valid('query');
    find(c.get('user'), id);
    const events = deps.collector.events(id, limit, beforeSeq);
    if (events === undefined)
      throw new HttpError(
        503,
        'no-collector-state',
        deps.collector.configured ? 'the collector state DB is not available yet' : 'not configured',
        'collectorStateDb',
      );
    return c.json({ events }, 200);
  });

  app.openapi(createDeviceRoute, async (c) => {
    const input = c.req.valid('json');
    const actor = c.get('user').username;
    checkProfile(input.profile);
    if (input.areaId !== undefined && !deps.areas.get(input.areaId))
      throw new HttpError(400, 'unknown-area', `no area ${input.areaId}`, 'areaId');
    deps.registry.createDevice({
      id: input.id,
      role: input.role,
      ...(input.name ? { name: input.name } : {}),
    });
    deps.details.set(input.id, { profile: input.profile ?? null, position: input.position ?? null });
    deps.audit.record({ actor, action: 'device.create', target: input.id, detail: input });
    if (input.areaId !== undefined) await deps.placement.place(input.id, input.areaId, actor);
    return c.json(view(find(c.get('user'), input.id)), 201);
  });

  app.openapi(patchRoute, (c) => {
    const { id } = c.req.valid('param');
    const patch = c.req.valid('json');
    const device = find(c.get('user'), id);
    checkProfile(patch.profile);
    const current = deps.details.get(id);
    deps.details.set(id, {
      profile: patch.profile === undefined ? current.profile : patch.profile,
      position: patch.position === undefined ? current.position : patch.position,
    });
    deps.audit.record({ actor: c.get('user').username, action: 'device.update', target: id, detail: patch });
    return c.json(view(device), 200);
  });

  app.openapi(placeRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { areaId } = c.req.valid('json');
    find(c.get('user'), id);
    return c.json(await deps.placement.place(id, areaId, c.get('user').username), 200);
  });

  app.openapi(codeRoute, (c) => {
    const { id } = c.req.valid('param');
    find(c.get('user'), id);
    const issued = deps.registry.issueEnrollmentCode(id, deps.enrollmentTtlMs);
    deps.audit.record({
      actor: c.get('user').username,
      action: 'device.enrollment-code',
      target: id,
      detail: { expiresAt: issued.expiresAt },
    });
    return c.json({ deviceId: id, ...issued }, 200);
  });

  for (const [r, disabled] of [
    [disableRoute, true],
    [enableRoute, false],
  ] as const) {
    app.openapi(r, (c) => {
      const { id } = c.req.valid('param');
      find(c.get('user'), id);
      deps.registry.setDisabled(id, disabled);
      deps.audit.record({
        actor: c.get('user').username,
        action: disabled ? 'device.disable' : 'device.enable',
        target: id,
      });
      return c.json(view(find(c.get('user'), id)), 200);
    });
  }

  app.openapi(rotateRoute, (c) => {
    const { id } = c.req.valid('param');
    find(c.get('user'), id);
    const { password } = deps.registry.rotateSecret(id);
    deps.audit.record({ actor: c.get('user').username, action: 'device.rotate-secret', target: id });
    return c.json({ deviceId: id, password }, 200);
  });

  app.openapi(deleteRoute, (c) => {
    const { id } = c.req.valid('param');
    find(c.get('user'), id);
    deps.registry.deleteDevice(id);
    deps.details.delete(id);
    deps.audit.record({ actor: c.get('user').username, action: 'device.delete', target: id });
    return c.json({ ok: true as const }, 200);
  });

  return app;
}
