import type { ConsoleContext } from '../app/env.js';
import type { AudioLibrary } from '../audio/library.js';
import { type PlaybackEventSource, lazyPlaybackSource } from '../reports/playback-source.js';
import { audioLibraryIntake } from './audio-intake.js';
import { broadcastScheduleSummaries } from './broadcast-schedules.js';
import type { InformationSourceConfig } from './config.js';
import { InformationSourceExchange } from './exchange.js';

export { informationSourceRoutes } from './routes.js';
export { InformationSourceExchange, type ExchangeStatus } from './exchange.js';
export {
  InformationSourceConfigSchema,
  type InformationSourceConfig,
  informationSourceConfigFromEnv,
  parseInformationSourceConfig,
} from './config.js';
export type { BulletinAudioIntake } from './audio-intake.js';
export type { Bulletin } from './bulletin-store.js';
export { BulletinsOnAir } from './on-air.js';
export type { ScheduleSummarySource } from './sources.js';

/**
 * Builds the exchange from the console's context: stations from the area tree, clusters from the
 * registry, schedules from the broadcast module, proof of broadcast from the collector, bulletins into
 * the audio library. Call `start()` on the result; null config means the feature is off.
 */
export function createInformationSource(
  ctx: ConsoleContext,
  deps: {
    config: InformationSourceConfig | null;
    /** The collector's state DB (proof of broadcast, presence), opened read-only when it exists. */
    collectorStateDb?: string | undefined;
    collector?: PlaybackEventSource;
    library: AudioLibrary | null;
    onBulletinReceived?: (bulletinId: string) => void;
  },
): InformationSourceExchange | null {
  if (!deps.config) return null;
  return new InformationSourceExchange({
    config: deps.config,
    db: ctx.db,
    sources: {
      areas: ctx.areas,
      registry: ctx.registry,
      db: ctx.db,
      collector: deps.collector ?? (deps.collectorStateDb ? lazyPlaybackSource(deps.collectorStateDb) : null),
      schedules: broadcastScheduleSummaries(ctx),
    },
    audio: deps.library ? audioLibraryIntake(deps.library) : null,
    log: ctx.log,
    ...(deps.onBulletinReceived ? { onBulletinReceived: deps.onBulletinReceived } : {}),
  });
}
