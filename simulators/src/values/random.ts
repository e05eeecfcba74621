/**
 * Deterministic randomness: every value is a pure function of (seed, key, step), so `at(time)` gives the
 * same answer whenever it is asked, which lets tests and history back-fill reproduce a day exactly.
 */

/** 32-bit FNV-1a of a string, used to turn channel names into stream keys. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Uniform number in [0, 1) from integers; a SplitMix-style mix so neighbouring steps are unrelated. */
export function hashUnit(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h ^ Math.floor(part / 4294967296), 0xc2b2ae35);
    h ^= h >>> 16;
  }
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h ^ (h >>> 7), 0x297a2d39);
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

/** Approximately normal (mean 0, sd 1) from four uniforms; light tails keep noise plausible. */
export function hashGauss(...parts: number[]): number {
  let sum = 0;
  for (let k = 0; k < 4; k++) sum += hashUnit(...parts, k);
  return (sum - 2) * Math.sqrt(3);
}

/** Smooth noise (mean 0, sd ≈ 1): normal values at knots `stepMs` apart, cosine-interpolated between them. */
export function smoothNoise(seed: number, key: number, timeMs: number, stepMs: number): number {
  const pos = timeMs / stepMs;
  const k = Math.floor(pos);
  const f = pos - k;
  const w = (1 - Math.cos(Math.PI * f)) / 2;
  return hashGauss(seed, key, k) * (1 - w) + hashGauss(seed, key, k + 1) * w;
}

/** A seeded stream (mulberry32) for run-time decisions such as fault probabilities. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
