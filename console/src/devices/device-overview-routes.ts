import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, ok } from '../app/common-schemas.js';
import type { SessionUser } from '../app/env.js';
import { HttpError } from '../app/http-error.js';
import { createRouter } from '../app/router.js';
import { conditionOf } from '../live/live-device.js';
import {
  DeviceListQuerySchema,
  type DeviceState,
  decodeCursor,
  matchesText,
  pageOf,
} from './device-query.js';
import { DEVICE_ROLES, DeviceViewSchema } from './device-schemas.js';
import type { DeviceView } from './device-schemas.js';
import { DeviceSummarySchema, summarize } from './device-summary.js';
import type { CatalogueEntry } from './fleet-catalogue.js';
import type { FleetOverview, FleetRead } from './fleet-overview.js';
import { foldText } from './fold-text.js';
import type { Presence } from './presence-board.js';

export const DevicePageSchema = z
  .object({
    items: z.array(DeviceViewSchema),
    /** Pass as `cursor` for the next page; null on the last one. */
    nextCursor: z.string().nullable(),
    /** Devices matching the filters, on every page. */
    total: z.number().int(),
  })
  .openapi('DevicePage');

const listRoute = createRoute({
  method: 'get',
  path: '/devices',
  tags: ['devices'],
  summary: 'Devices you may see, with presence and last status, a page at a time',
  request: { query: DeviceListQuerySchema },
  responses: { ...ok(DevicePageSchema), ...errorResponses },
});

const summaryRoute = createRoute({
  method: 'get',
  path: '/devices/summary',
  tags: ['devices'],
  summary: 'Device counts per area (rolled up) by kind and state: online, offline, playing, fault, disabled',
  request: {
    query: z.object({
      area: z
        .string()
        .min(1)
        .max(64)
        .optional()
        .openapi({ description: 'This area and everything under it' }),
      kind: z.enum(DEVICE_ROLES).optional(),
    }),
  },
  responses: { ...ok(DeviceSummarySchema), ...errorResponses },
});

export function toDeviceView(
  { record, details }: Pick<CatalogueEntry, 'record' | 'details'>,
  presence: Presence | undefined,
): DeviceView {
  return {
    id: record.id,
    role: record.role,
    name: record.name,
    areaId: record.areaId,
    groups: record.groups,
    disabled: record.disabled,
    enrolled: record.hasSecret,
    profile: details.profile,
    position: details.position,
    presence: presence
      ? {
          state: presence.state,
          ts: presence.ts,
          receivedAt: presence.receivedAt,
          source: presence.source,
          status: presence.status,
        }
      : null,
    createdAt: record.createdAt,
    enrolledAt: record.enrolledAt,
    rotatedAt: record.rotatedAt,
  };
}

function requireArea(read: FleetRead, area: string | undefined): Set<string> | undefined {
  if (area === undefined) return undefined;
  if (!read.areas.get(area)) throw new HttpError(400, 'unknown-area', `area: no area ${area}`, 'area');
  return read.areas.subtree(area);
}

function stateMatcher(read: FleetRead, state: DeviceState): (entry: CatalogueEntry) => boolean {
  const presence = read.presence();
  return ({ record }) => {
    const c = conditionOf(record, presence.get(record.id), read.playback(record.id));
    if (state === 'offline') return !c.online;
    return c[state];
  };
}

/** GET /devices (paged, filtered) and GET /devices/summary; mounted before /devices/{id} so "summary" is no id. */
export function deviceOverviewRoutes(
  overview: FleetOverview,
  presenceOf: (id: string) => Presence | undefined,
) {
  const app = createRouter();

  app.openapi(listRoute, (c) => {
    const user: SessionUser = c.get('user');
    const query = c.req.valid('query');
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const read = overview.read();
    const inArea = requireArea(read, query.area);
    const visible = read.visibleTo(user);
    const words = foldText(query.q ?? '');
    const inState = query.state === undefined ? undefined : stateMatcher(read, query.state);
    const page = pageOf(
      read.entries,
      (entry) => entry.record.id,
      (entry) =>
        (query.kind === undefined || entry.record.role === query.kind) &&
        (inArea === undefined || (entry.record.areaId !== null && inArea.has(entry.record.areaId))) &&
        matchesText(words, entry.search) &&
        visible(entry.record) &&
        (inState === undefined || inState(entry)),
      after,
      query.limit,
    );
    const presence = query.state === undefined ? presenceOf : (id: string) => read.presence().get(id);
    return c.json(
      {
        items: page.items.map((entry) => toDeviceView(entry, presence(entry.record.id))),
        nextCursor: page.nextCursor,
        total: page.total,
      },
      200,
    );
  });

  app.openapi(summaryRoute, (c) => {
    const { area, kind } = c.req.valid('query');
    const read = overview.read();
    requireArea(read, area);
    return c.json(summarize(read, { user: c.get('user'), area, kind }, Date.now()), 200);
  });

  return app;
}
