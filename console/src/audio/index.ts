import type { SqliteDatabase } from '@xaso/broker';
import type { Logger } from 'pino';
import type { AreaDirectory } from '../app/env.js';
import type { AudioConfigInput } from './config.js';
import { AudioLibrary } from './library.js';
import type { SpeechEngine } from './speech/index.js';

export { AudioConfigSchema, HttpSpeechConfigSchema, SpeechConfigSchema } from './config.js';
export type { AudioConfig, AudioConfigInput, SpeechConfig } from './config.js';
export { AudioInUse, AudioLibrary, mediaPath } from './library.js';
export type { AudioLibraryDeps, IngestMeta, SpeakRequest } from './library.js';
export type { AudioRecord } from './item-schema.js';
export { AudioRejected } from './formats/facts.js';
export type { AudioFacts, AudioFormat } from './formats/facts.js';
export { inspectAudio, inspectAudioFile } from './formats/inspect.js';
export { audioRoutes } from './routes.js';
export { mediaRoutes } from './media-routes.js';
export { AudioScope, isProvinceLevel } from './scope.js';
export type { AudioOwnership, AudioVisibility } from './scope.js';
export { createSpeechEngine, EspeakEngine, HttpSpeechEngine, SpeechFailed } from './speech/index.js';
export type { SpeechEngine, SpeechRequest } from './speech/index.js';

/** Opens the library the console puts in ctx.audio (runs the 'audio' migrations, finds ffmpeg). */
export function openAudioLibrary(deps: {
  db: SqliteDatabase;
  dataDir: string;
  log: Logger;
  areas?: AreaDirectory;
  config?: AudioConfigInput;
  speech?: SpeechEngine;
}): Promise<AudioLibrary> {
  return AudioLibrary.open(deps);
}
