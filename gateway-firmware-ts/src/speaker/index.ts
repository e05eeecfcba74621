import pino, { type Logger } from 'pino';
import type { z } from 'zod';
import type { LocalConfig } from '../config/local-config.js';
import { Gateway, type GatewayOptions, type RoleFactory } from '../core/gateway.js';
import { type SpeakerTiming, SpeakerTimingSchema } from './settings.js';
import { type SpeakerParts, SpeakerRole } from './speaker-role.js';

export { SpeakerRole, type SpeakerParts, type SpeakerSettingsInput } from './speaker-role.js';
export {
  SpeakerSettingsSchema,
  SpeakerTimingSchema,
  type SpeakerSettings,
  type SpeakerTiming,
} from './settings.js';
export { judgeCommand, judgeSchedule } from './console-messages.js';
export { SpeakerStore } from './speaker-store.js';
export { slotsBetween } from './slot-times.js';
export type {
  Amplifier,
  AmplifierHealth,
  AudioCache,
  Playback,
  PlaybackOutcome,
  Player,
  StreamFault,
} from './ports.js';

/** Builds the loudspeaker role from the gateway's effective settings and the given I/O parts. */
export function speakerRoleFactory(parts: SpeakerParts, timing: SpeakerTiming): RoleFactory {
  return (context, settings) => new SpeakerRole(context, settings, parts, timing);
}

export interface SpeakerGatewayOptions extends GatewayOptions {
  log?: Logger;
  /** Overrides `config.speaker`'s timing (e.g. no amplifier warm-up in a simulated fleet). */
  timing?: z.input<typeof SpeakerTimingSchema>;
}

/**
 * A gateway that runs only the loudspeaker role with the given parts (e.g. a ClockPlayer): what the
 * simulated fleet builds hundreds of in one process. Costs per instance: two SQLite files, one MQTT
 * connection, one timer per schedule entry.
 */
export function createSpeakerGateway(
  config: LocalConfig,
  parts: SpeakerParts,
  options: SpeakerGatewayOptions = {},
): Gateway {
  const timing = SpeakerTimingSchema.parse(options.timing ?? pickTiming(config));
  const log = options.log ?? pino({ level: 'silent' });
  return new Gateway(config, [speakerRoleFactory(parts, timing)], log, options);
}

function pickTiming(config: LocalConfig): z.input<typeof SpeakerTimingSchema> {
  const s = config.speaker;
  if (!s) return {};
  return {
    defaultVolume: s.defaultVolume,
    volumeControl: s.volumeControl,
    amplifierWarmupMs: s.amplifierWarmupMs,
    amplifierIdleOffMs: s.amplifierIdleOffMs,
    graceMs: s.graceMs,
    lookBackHours: s.lookBackHours,
    aliveEveryS: s.aliveEveryS,
  };
}
