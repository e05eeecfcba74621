import type { SpeechConfig } from '../config.js';
import type { SpeechEngine } from './engine.js';
import { EspeakEngine } from './espeak.js';
import { HttpSpeechEngine } from './http-engine.js';

export { SpeechFailed } from './engine.js';
export type { SpeechEngine, SpeechRequest } from './engine.js';
export { EspeakEngine } from './espeak.js';
export { fillTemplate, HttpSpeechEngine } from './http-engine.js';

export function createSpeechEngine(config: SpeechConfig): SpeechEngine {
  return config.kind === 'http' ? new HttpSpeechEngine(config) : new EspeakEngine(config);
}
