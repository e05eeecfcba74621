import type { OpenAPIHono } from '@hono/zod-openapi';
import { createAlarmWarnings } from '../alarms/index.js';
import { AudioLibrary, audioRoutes, mediaRoutes, openAudioLibrary } from '../audio/index.js';
import { createBroadcasting } from '../broadcast/index.js';
import type { ConsoleConfig } from '../config/schema.js';
import { createEnvironment } from '../environment/index.js';
import {
  BulletinsOnAir,
  createInformationSource,
  informationSourceRoutes,
} from '../information-source/index.js';
import { mountLive } from '../live/index.js';
import { reportRoutes } from '../reports/routes.js';
import type { AppEnv, AudioCatalog, ConsoleContext } from './env.js';

/** The audio library module backs ctx.audio unless a test hands in its own catalog. */
export function audioCatalogFor(
  config: ConsoleConfig,
): (base: Omit<ConsoleContext, 'audio'>) => Promise<AudioCatalog> {
  return (base) =>
    openAudioLibrary({
      db: base.db,
      dataDir: base.dataDir,
      log: base.log.child({ module: 'audio' }),
      areas: base.areas,
      ...(config.audio ? { config: config.audio } : {}),
    });
}

export interface MountedModules {
  /** Routers that live outside /api: gateway media downloads authenticate with device credentials. */
  outside: OpenAPIHono<AppEnv>[];
  close(): Promise<void>;
}

/**
 * The feature modules mounted under /api. Order matters: the broadcast module migrates its tables before
 * the reports module reads them. The information source exchange runs only when it is configured.
 */
export async function mountModules(
  api: OpenAPIHono<AppEnv>,
  ctx: ConsoleContext,
  config: ConsoleConfig,
): Promise<MountedModules> {
  const outside: OpenAPIHono<AppEnv>[] = [];
  const closers: (() => void | Promise<void>)[] = [];
  if (ctx.audio instanceof AudioLibrary) {
    api.route('/', audioRoutes(ctx));
    outside.push(mediaRoutes(ctx));
  } else {
    ctx.log.warn('ctx.audio is not the audio library: audio and media routes are not mounted');
  }
  const broadcasting = createBroadcasting(ctx);
  closers.push(() => broadcasting.close());
  api.route('/', broadcasting.routes);
  await broadcasting.ready.catch(() => undefined);
  const alarms = createAlarmWarnings(ctx, broadcasting.broadcasts, config.alarmWarnings);
  api.route('/', alarms.routes);
  await alarms.ready.catch(() => undefined);
  api.route(
    '/',
    reportRoutes(ctx, config.collectorStateDb ? { collectorStateDb: config.collectorStateDb } : {}),
  );
  api.route('/', createEnvironment(ctx, { collectorStateDb: config.collectorStateDb, closers }));
  let onAir: BulletinsOnAir | undefined;
  const exchange = createInformationSource(ctx, {
    config: config.informationSource ?? null,
    collectorStateDb: config.collectorStateDb,
    library: ctx.audio instanceof AudioLibrary ? ctx.audio : null,
    onBulletinReceived: (id) => void onAir?.received(id),
  });
  if (exchange) {
    onAir = new BulletinsOnAir({
      exchange,
      broadcasting,
      log: ctx.log.child({ module: 'information-source' }),
      emergencyAtOnce: config.informationSource?.emergencyAtOnce ?? true,
    });
    await onAir.catchUp();
    exchange.start();
    closers.push(() => exchange.stop());
  }
  api.route(
    '/',
    informationSourceRoutes(ctx, exchange, { onApproved: (b, user) => void onAir?.approved(b, user) }),
  );
  closers.push(mountLive(api, ctx, config));
  return {
    outside,
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
}
