import { type EpisodeShape, episodeLevel } from './episodes.js';
import { hashString, smoothNoise } from './random.js';

/** What a channel model may depend on: time, the station's seed, and what the master last wrote. */
export interface ModelContext {
  timeMs: number;
  /** Local hour in Asia/Ho_Chi_Minh. */
  hour: number;
  seed: number;
  /** Per-station level (0.7–1.3): a roadside station reads higher than a rural one. */
  site: number;
  /** Values of writable registers (relay, volume…) by register name. */
  held: ReadonlyMap<string, number>;
}

/** Smooth noise of sd ≈ 1 for a named stream; `stepMs` sets how fast it wanders. */
export function noise(ctx: ModelContext, stream: string, stepMs: number): number {
  return smoothNoise(ctx.seed, hashString(stream), ctx.timeMs, stepMs);
}

export function episode(ctx: ModelContext, shape: EpisodeShape): number {
  return episodeLevel(ctx.seed, shape, ctx.timeMs);
}

/** Engineering values by channel name, plus starting values for writable registers. */
export interface KindModel {
  values(ctx: ModelContext): Record<string, number>;
  initial?: Record<string, number>;
}

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
