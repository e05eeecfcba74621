export { ClockPlayer, type ClockPlayerOptions, type PlayRecord } from './clock-player.js';
export { ProcessPlayer, ProcessPlayerConfigSchema, type ProcessPlayerConfig } from './process-player.js';
export { LiveRelay, RelaySettingsSchema, type RelaySettings } from './live-relay.js';
export { PlayerProgramSchema, type PlayerProgram } from './player-programs.js';
export {
  HttpAudioCache,
  AudioCacheConfigSchema,
  type AudioCacheConfig,
  type DeviceCredentials,
} from './audio-cache.js';
export { AudioFetchError, type AudioFailureKind } from './audio-download.js';
export { ModbusAmplifier, NullAmplifier, type ModbusAmplifierOptions } from './modbus-amplifier.js';
