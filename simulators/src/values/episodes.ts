import { localMidnight } from './diurnal.js';
import { hashUnit } from './random.js';

export interface EpisodeShape {
  /** Stream key so air and water episodes are decided independently. */
  key: number;
  /** Chance that a given local day has an episode. */
  probability: number;
  /** Local hours in which an episode may start. */
  startHours: readonly [number, number];
  durationHours: readonly [number, number];
  /** Peak multiplier range, e.g. [3, 6] for "PM jumps several-fold". */
  factor: readonly [number, number];
}

/** Straw burning after the harvest: PM several-fold for one to two hours, usually late afternoon/evening. */
export const STRAW_BURNING: EpisodeShape = {
  key: 101,
  probability: 0.2,
  startHours: [16, 21],
  durationHours: [1, 2],
  factor: [3, 6],
};

/** A heavy shower: run-off lifts turbidity and suspended solids for a few hours. */
export const RAIN_RUNOFF: EpisodeShape = {
  key: 202,
  probability: 0.3,
  startHours: [13, 20],
  durationHours: [2, 5],
  factor: [3, 8],
};

const DAY_MS = 86_400_000;

/**
 * Extra intensity of an episode at `timeMs` (0 outside; peak `factor − 1`), smooth at both ends.
 * Looks at the previous day too, so an episode that crosses midnight is not cut off.
 */
export function episodeLevel(seed: number, shape: EpisodeShape, timeMs: number): number {
  let level = 0;
  for (const dayStart of [localMidnight(timeMs), localMidnight(timeMs) - DAY_MS]) {
    const day = Math.round(dayStart / DAY_MS);
    if (hashUnit(seed, shape.key, day, 0) >= shape.probability) continue;
    const start = dayStart + lerp(shape.startHours, hashUnit(seed, shape.key, day, 1)) * 3_600_000;
    const duration = lerp(shape.durationHours, hashUnit(seed, shape.key, day, 2)) * 3_600_000;
    const peak = lerp(shape.factor, hashUnit(seed, shape.key, day, 3)) - 1;
    const f = (timeMs - start) / duration;
    if (f <= 0 || f >= 1) continue;
    level = Math.max(level, peak * Math.sin(Math.PI * f) ** 0.5);
  }
  return level;
}

function lerp([lo, hi]: readonly [number, number], f: number): number {
  return lo + (hi - lo) * f;
}
