import type { FfmpegTools, LoudnessTarget, LoudnormReport } from './ffmpeg.js';
import type { AudioFacts } from './formats/facts.js';

/** How far the measured result may sit from the target and still be called normalised. */
export const LOUDNESS_TOLERANCE_LU = 1;
/** The limiter's ceiling sits this far under the true-peak target, leaving room for re-encoding. */
const LIMITER_MARGIN_DB = 0.5;
/** Gain-and-limit attempts; limiting lowers loudness a little, so the gain is corrected from each result. */
const GAIN_ATTEMPTS = 3;

export type LoudnessOutcome =
  | { status: 'normalised'; afterLufs: number }
  | { status: 'missed'; reason: string };

/**
 * Writes `output` at the target loudness, verified by an independent ebur128 measurement (that measurement
 * is what is reported). loudnorm's second pass comes first; when it misses (its dynamic mode on clips
 * shorter than its 3 s window), a measured gain with a true-peak limiter takes over.
 */
export async function normaliseLoudness(
  tools: FfmpegTools,
  input: { path: string; facts: AudioFacts; first: LoudnormReport; beforeLufs: number },
  output: string,
  target: LoudnessTarget,
): Promise<LoudnessOutcome> {
  const goal = target.integratedLufs;
  await tools.normalise(input.path, output, input.facts, target, input.first);
  let reached = (await tools.loudness(output)).integratedLufs;
  if (reached !== null && Math.abs(reached - goal) <= LOUDNESS_TOLERANCE_LU)
    return { status: 'normalised', afterLufs: reached };

  let gainDb = goal - input.beforeLufs;
  for (let attempt = 0; attempt < GAIN_ATTEMPTS; attempt++) {
    await tools.applyGain(input.path, output, input.facts, gainDb, target.truePeakDbtp - LIMITER_MARGIN_DB);
    reached = (await tools.loudness(output)).integratedLufs;
    if (reached === null) break;
    if (Math.abs(reached - goal) <= LOUDNESS_TOLERANCE_LU / 2) break;
    gainDb += goal - reached;
  }
  if (reached !== null && Math.abs(reached - goal) <= LOUDNESS_TOLERANCE_LU)
    return { status: 'normalised', afterLufs: reached };
  const measured = reached === null ? 'silence' : `${reached} LUFS`;
  return {
    status: 'missed',
    reason: `could not bring the audio to ${goal} LUFS ±${LOUDNESS_TOLERANCE_LU} LU within the ${target.truePeakDbtp} dBTP peak limit (measured ${measured} after processing)`,
  };
}
