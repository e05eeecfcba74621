import { createRoute, z } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import { streamSSE } from 'hono/streaming';
import { errorResponses, ok } from '../app/common-schemas.js';
import type { ConsoleContext } from '../app/env.js';
import { HttpError } from '../app/http-error.js';
import { createRouter } from '../app/router.js';
import { SESSION_COOKIE } from '../auth/session-gate.js';
import { deviceVisibleTo } from '../devices/visibility.js';
import type { LiveConfig, MapConfig } from './live-config.js';
import type { LiveHub } from './live-hub.js';
import { LIVE_ROLES, LiveSnapshotSchema, MapSettingsSchema } from './live-schemas.js';
import type { LiveDevice, LiveUpdate } from './live-schemas.js';
import { TILE_PATH_TEMPLATE } from './tile-proxy.js';

/** The browser's EventSource waits this long before reconnecting after a dropped stream. */
const RETRY_MS = 3000;
/** setTimeout's ceiling; a longer session is still checked at every heartbeat. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const liveRoute = createRoute({
  method: 'get',
  path: '/live',
  tags: ['live'],
  summary: 'Live device states (server-sent events)',
  request: {
    query: z.object({
      area: z
        .string()
        .min(1)
        .max(64)
        .optional()
        .openapi({ description: 'Only this area and everything under it (a commune the map zoomed into)' }),
      kind: z.enum(['sensor-gateway', 'speaker-cluster']).optional(),
    }),
  },
  description: [
    'A text/event-stream. First `event: snapshot` with `LiveSnapshot` (every device you may see, in the',
    '`area` and of the `kind` when asked), then',
    '`event: device` with one `LiveDevice` whenever its status or registry entry changes, and',
    '`event: removed` with `{ id }` when it is deleted. Comment lines are heartbeats. The stream ends',
    'with `event: end` and `{ reason: "session-expired" }` when the session does; operators see their areas only.',
  ].join(' '),
  responses: {
    200: {
      content: { 'text/event-stream': { schema: z.string().openapi({ example: 'event: snapshot' }) } },
      description: 'The event stream',
    },
    ...errorResponses,
  },
});

const settingsRoute = createRoute({
  method: 'get',
  path: '/map/settings',
  tags: ['live'],
  summary: 'The overview map background: tile URL template and attribution',
  responses: { ...ok(MapSettingsSchema), ...errorResponses },
});

export interface LiveRouteOptions {
  hub: LiveHub;
  map: MapConfig;
  live: LiveConfig;
}

export function liveRoutes(ctx: ConsoleContext, options: LiveRouteOptions) {
  const app = createRouter();
  const { hub } = options;
  app.use('/live', ctx.requireRole(...LIVE_ROLES));
  app.use('/map/settings', ctx.requireRole(...LIVE_ROLES));
  app.openAPIRegistry.register('LiveSnapshot', LiveSnapshotSchema);

  app.openapi(settingsRoute, (c) =>
    c.json(
      {
        // The browser loads tiles through the console: the CSP allows images from our own origin only.
        tileUrl: options.map.tileUrl === '' ? '' : TILE_PATH_TEMPLATE,
        attribution: options.map.attribution,
        tileTimeoutMs: options.map.tileTimeoutMs,
      },
      200,
    ),
  );

  app.openapi(liveRoute, (c) => {
    const user = c.get('user');
    const token = getCookie(c, SESSION_COOKIE) ?? '';
    // Without a session lookup (a test context) the stream lives until the client leaves.
    const sessionEnd = () => (ctx.sessionOf ? ctx.sessionOf(token)?.expiresAt : Number.MAX_SAFE_INTEGER);
    const { area, kind } = c.req.valid('query');
    if (area !== undefined && !ctx.areas.get(area))
      throw new HttpError(400, 'unknown-area', `area: no area ${area}`, 'area');
    const areaIds = area === undefined ? undefined : new Set(ctx.areas.subtree(area).map((a) => a.id));
    // A change is judged on the device as it now is: role and area travel with every LiveDevice.
    const sees = (device: LiveDevice) =>
      (kind === undefined || device.role === kind) &&
      (areaIds === undefined || (device.areaId !== null && areaIds.has(device.areaId))) &&
      deviceVisibleTo(ctx.areas, user, device);
    return streamSSE(c, async (stream) => {
      let finish: () => void = () => undefined;
      const done = new Promise<void>((resolve) => {
        finish = resolve;
      });
      // Writes are chained so events keep their order even when several changes arrive at once.
      let writing = Promise.resolve();
      const send = (write: () => Promise<void>) => {
        writing = writing.then(write).catch(() => finish());
      };
      const end = (reason: string) => {
        send(() => stream.writeSSE({ event: 'end', data: JSON.stringify({ reason }) }));
        send(async () => finish());
      };
      const visibleIds = new Set<string>();
      const onUpdate = (update: LiveUpdate) => {
        if (update.kind === 'removed') {
          if (!visibleIds.delete(update.id)) return;
          send(() => stream.writeSSE({ event: 'removed', data: JSON.stringify({ id: update.id }) }));
          return;
        }
        const { device } = update;
        if (!sees(device)) {
          // Moved out of the user's areas: from their point of view it is gone.
          if (visibleIds.delete(device.id))
            send(() => stream.writeSSE({ event: 'removed', data: JSON.stringify({ id: device.id }) }));
          return;
        }
        visibleIds.add(device.id);
        send(() => stream.writeSSE({ event: 'device', data: JSON.stringify(device) }));
      };
      const unsubscribe = hub.subscribe(onUpdate);
      const devices = hub.snapshot({ user, areaIds, kind });
      for (const d of devices) visibleIds.add(d.id);
      send(() =>
        stream.writeSSE({
          event: 'snapshot',
          data: JSON.stringify({ at: Date.now(), devices }),
          retry: RETRY_MS,
        }),
      );
      const sessionOver = () => {
        const expiresAt = sessionEnd();
        return expiresAt === undefined || expiresAt <= Date.now();
      };
      const heartbeat = setInterval(() => {
        if (sessionOver()) end('session-expired');
        else send(() => stream.write(': heartbeat\n\n').then(() => undefined));
      }, options.live.heartbeatMs);
      const untilExpiry = (sessionEnd() ?? Date.now()) - Date.now();
      const expiry = setTimeout(
        () => {
          if (sessionOver()) end('session-expired');
        },
        Math.min(Math.max(untilExpiry, 0) + 50, MAX_TIMER_MS),
      );
      stream.onAbort(() => finish());
      await done;
      clearInterval(heartbeat);
      clearTimeout(expiry);
      unsubscribe();
      ctx.log.debug({ user: user.username }, 'live stream closed');
    });
  });
  return app;
}
