import type { Logger } from 'pino';
import type { AudioBlobStore } from './blob-store.js';
import { hashFile } from './blob-store.js';
import type { AudioConfig } from './config.js';
import { finite } from './ffmpeg.js';
import type { FfmpegTools } from './ffmpeg.js';
import { AudioRejected } from './formats/facts.js';
import type { AudioFacts } from './formats/facts.js';
import { inspectAudioFile } from './formats/inspect.js';
import type { AudioRecord } from './item-schema.js';
import { normaliseLoudness } from './loudness.js';

export interface PreparedAudio {
  /** The file to store as the playable item (the normalised copy, or the original). */
  path: string;
  sha256: string;
  bytes: number;
  facts: AudioFacts;
  loudness: AudioRecord['loudness'];
}

/**
 * Verifies an uploaded file is real, decodable audio and makes the playable version: our own parsers
 * always, a full ffmpeg decode and two-pass EBU R128 loudness normalisation when ffmpeg is installed.
 */
export async function prepareAudio(
  original: { path: string; sha256: string; bytes: number },
  deps: { tools: FfmpegTools | null; config: AudioConfig; store: AudioBlobStore; log: Logger },
): Promise<PreparedAudio> {
  const { tools, config, store, log } = deps;
  const facts = await inspectAudioFile(original.path);
  const target = config.loudness;
  const unchanged = (
    note: string,
    decodedMs: number | null,
    beforeLufs: number | null = null,
  ): PreparedAudio => ({
    ...original,
    facts: { ...facts, durationMs: decodedMs ?? facts.durationMs },
    loudness: { status: 'not-normalised', note, beforeLufs, afterLufs: null, targetLufs: null },
  });
  if (tools === null)
    return unchanged('ffmpeg is not installed on the console server; stored as uploaded', null);

  if (!target.enabled) {
    const decoded = await tools.decode(original.path);
    rejectUndecodable(decoded.problem);
    return unchanged('loudness normalisation is turned off in the configuration', decoded.durationMs);
  }
  const { decode, measured } = await tools.analyse(original.path, target);
  rejectUndecodable(decode.problem);
  const beforeLufs = measured === null ? null : finite(measured.input_i);
  if (measured === null) return unchanged('ffmpeg gave no loudness measurement', decode.durationMs);
  if (beforeLufs === null)
    return unchanged('the audio is silent; there is nothing to normalise', decode.durationMs);

  const output = store.tempPath(`.${facts.format}`);
  try {
    const outcome = await normaliseLoudness(
      tools,
      { path: original.path, facts, first: measured, beforeLufs },
      output,
      target,
    );
    if (outcome.status === 'missed') {
      await store.discard(output);
      log.warn({ sha256: original.sha256, reason: outcome.reason }, 'loudness target not reached');
      return unchanged(
        `not normalised: ${outcome.reason}; stored as uploaded`,
        decode.durationMs,
        beforeLufs,
      );
    }
    const normalisedFacts = await inspectAudioFile(output);
    return {
      path: output,
      ...(await hashFile(output)),
      facts: normalisedFacts,
      loudness: {
        status: 'normalised',
        note: null,
        beforeLufs,
        afterLufs: outcome.afterLufs,
        targetLufs: target.integratedLufs,
      },
    };
  } catch (err) {
    await store.discard(output);
    const message = err instanceof Error ? err.message : String(err);
    log.warn({ err, sha256: original.sha256 }, 'loudness normalisation failed; keeping the upload as is');
    return unchanged(`normalisation failed: ${message}`, decode.durationMs, beforeLufs);
  }
}

function rejectUndecodable(problem: string | null): void {
  if (problem !== null) throw new AudioRejected('corrupt', `the audio does not decode: ${problem}`);
}
