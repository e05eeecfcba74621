import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, ConsoleContext } from '../app/env.js';
import type { ConsoleConfig } from '../config/schema.js';
import { healthRoutes } from './health-routes.js';
import { LiveHub } from './live-hub.js';
import { liveRoutes } from './live-routes.js';
import { PlaybackBoard, broadcastTitles } from './playback-board.js';
import { tileRoutes } from './tile-proxy.js';

export { LiveHub } from './live-hub.js';
export { liveRoutes } from './live-routes.js';
export type { LiveDevice, LiveSnapshot, LiveUpdate, MapSettings } from './live-schemas.js';

/**
 * Mounts GET /api/live, GET /api/map/settings, the tile proxy and GET /api/devices/{id}/health; returns what stops the hub. Needs the core's fleet
 * view (presence and details); a context without it gets no live routes and a warning.
 */
export function mountLive(
  api: OpenAPIHono<AppEnv>,
  ctx: ConsoleContext,
  config: Pick<ConsoleConfig, 'map' | 'live'>,
): () => void {
  const fleet = ctx.fleet;
  if (!fleet) {
    ctx.log.warn('no fleet view on the console context: the live stream and map settings are not mounted');
    return () => undefined;
  }
  const playback = new PlaybackBoard(ctx.log.child({ module: 'live' }), broadcastTitles(ctx.db));
  playback.follow(ctx.uplink).catch((err: unknown) => {
    ctx.log.warn(
      { err: (err as Error).message },
      'playback events not followed: the map shows playing from statuses only',
    );
  });
  fleet.overview.playback = playback;
  const hub = new LiveHub({
    playback,
    registry: ctx.registry,
    fleet,
    log: ctx.log.child({ module: 'live' }),
    registryPollMs: config.live.registryPollMs,
  });
  api.route('/', liveRoutes(ctx, { hub, map: config.map, live: config.live }));
  api.route('/', healthRoutes(ctx));
  api.route('/', tileRoutes(ctx, config.map));
  return () => hub.close();
}
