import { z } from 'zod';
import type { AudioFacts } from './formats/facts.js';
import { firstErrorLine, locateTool, runTool } from './tool-run.js';

export interface LoudnessTarget {
  integratedLufs: number;
  truePeakDbtp: number;
  loudnessRange: number;
}

/** loudnorm's JSON report; numbers come as strings and may be "-inf" for silence. */
const LoudnormReportSchema = z.object({
  input_i: z.string(),
  input_tp: z.string(),
  input_lra: z.string(),
  input_thresh: z.string(),
  output_i: z.string(),
  target_offset: z.string(),
});
export type LoudnormReport = z.infer<typeof LoudnormReportSchema>;

/** ebur128's summary of a whole file; null where it printed -inf (silence). */
export interface R128Measurement {
  integratedLufs: number | null;
  truePeakDbtp: number | null;
}

const DECODE_TIMEOUT_MS = 120_000;

/** What one full decode of a file found: ffmpeg's first error (null when clean) and the decoded length. */
export interface DecodeReport {
  problem: string | null;
  durationMs: number | null;
}

/** ffmpeg as found on this server; when absent that is reported, never faked. */
export class FfmpegTools {
  private constructor(readonly ffmpeg: string) {}

  static async locate(ffmpegPath: string): Promise<FfmpegTools | null> {
    const ffmpeg = await locateTool(ffmpegPath);
    return ffmpeg === null ? null : new FfmpegTools(ffmpeg);
  }

  /** Decodes the whole file to nowhere. */
  async decode(file: string): Promise<DecodeReport> {
    return (await this.run(file, null, ['-f', 'null', '-'])).decode;
  }

  /**
   * Decodes and measures in one pass (loudnorm's first pass is a full decode); `measured` is null when the
   * file does not decode.
   */
  async analyse(
    file: string,
    target: LoudnessTarget,
  ): Promise<{ decode: DecodeReport; measured: LoudnormReport | null }> {
    return this.run(file, loudnormFilter(target), ['-f', 'null', '-']);
  }

  /** Integrated loudness (EBU R128), null for silence. */
  async measure(file: string, target: LoudnessTarget): Promise<number | null> {
    const { measured } = await this.analyse(file, target);
    return measured === null ? null : finite(measured.input_i);
  }

  /**
   * loudnorm's second pass with the first pass's measurements (linear when the true-peak limit allows),
   * re-encoded in the input's format and sample rate so the playable item stays what was uploaded.
   * loudnorm's own report of its output is not trusted (ffmpeg 5.1's dynamic mode misses the target on
   * clips shorter than its 3 s window yet reports success); callers measure the output with `loudness`.
   */
  async normalise(
    input: string,
    output: string,
    facts: AudioFacts,
    target: LoudnessTarget,
    first: LoudnormReport,
  ): Promise<void> {
    const filter = [
      loudnormFilter(target),
      `measured_I=${first.input_i}`,
      `measured_TP=${first.input_tp}`,
      `measured_LRA=${first.input_lra}`,
      `measured_thresh=${first.input_thresh}`,
      `offset=${first.target_offset}`,
      'linear=true',
    ].join(':');
    const second = await this.run(input, filter, [...encodeArgs(facts), '-y', output]);
    if (second.decode.problem !== null) throw new Error(`ffmpeg loudnorm failed: ${second.decode.problem}`);
  }

  /**
   * A plain gain followed by a peak limiter on a 192 kHz copy (so inter-sample peaks are caught too),
   * re-encoded like `normalise`; for when loudnorm cannot reach the target.
   */
  async applyGain(
    input: string,
    output: string,
    facts: AudioFacts,
    gainDb: number,
    ceilingDbtp: number,
  ): Promise<void> {
    const limit = Math.min(1, Math.max(0.0625, 10 ** (ceilingDbtp / 20)));
    const filter = [
      `volume=${gainDb.toFixed(2)}dB`,
      'aresample=192000',
      `alimiter=limit=${limit.toFixed(4)}:attack=5:release=50:level=false:latency=true`,
    ].join(',');
    const result = await this.exec(input, filter, [...encodeArgs(facts), '-y', output]);
    if (result.problem !== null) throw new Error(`ffmpeg gain and limiter failed: ${result.problem}`);
  }

  /** Integrated loudness and true peak measured by ffmpeg's ebur128 filter, independently of loudnorm. */
  async loudness(file: string): Promise<R128Measurement> {
    const result = await this.exec(file, 'ebur128=peak=true', ['-f', 'null', '-']);
    if (result.problem !== null) throw new Error(`ffmpeg ebur128 failed: ${result.problem}`);
    const summary = result.stderr.slice(result.stderr.lastIndexOf('Summary:'));
    const integrated = /I:\s+(-?[\d.]+|-inf) LUFS/.exec(summary)?.[1];
    const peak = /Peak:\s+(-?[\d.]+|-inf) dBFS/.exec(summary)?.[1];
    if (integrated === undefined) throw new Error('ffmpeg ebur128 printed no loudness summary');
    return {
      integratedLufs: finite(integrated),
      truePeakDbtp: peak === undefined ? null : finite(peak),
    };
  }

  private async run(
    input: string,
    filter: string | null,
    outputArgs: string[],
  ): Promise<{ decode: DecodeReport; measured: LoudnormReport | null }> {
    const result = await this.exec(input, filter === null ? null : `${filter}:print_format=json`, outputArgs);
    const decode = { problem: result.problem, durationMs: result.durationMs };
    if (result.problem !== null || filter === null) return { decode, measured: null };
    const start = result.stderr.lastIndexOf('{');
    const end = result.stderr.lastIndexOf('}');
    const parsed =
      start >= 0 && end > start
        ? LoudnormReportSchema.safeParse(safeJson(result.stderr.slice(start, end + 1)))
        : null;
    return { decode, measured: parsed?.success ? parsed.data : null };
  }

  // level+info prefixes every log line with its level, so decode errors stand out from the filters' reports.
  private async exec(
    input: string,
    filter: string | null,
    outputArgs: string[],
  ): Promise<DecodeReport & { stderr: string }> {
    const args = ['-nostdin', '-hide_banner', '-nostats', '-loglevel', 'level+info', '-i', input];
    const filterArgs = filter === null ? [] : ['-af', filter];
    const result = await runTool(this.ffmpeg, [...args, '-vn', '-sn', '-dn', ...filterArgs, ...outputArgs], {
      timeoutMs: DECODE_TIMEOUT_MS,
    });
    const errorLine = /\[(?:error|fatal)\]\s*(.*)/.exec(result.stderr);
    const problem =
      errorLine !== null
        ? (errorLine[1] ?? '').trim().slice(0, 300) || 'decoding failed'
        : result.code !== 0
          ? firstErrorLine(result.stderr)
          : null;
    const times = [...result.stderr.matchAll(/time=(\d+):(\d+):(\d+(?:\.\d+)?)/g)].at(-1);
    const durationMs =
      times === undefined
        ? null
        : Math.round((Number(times[1]) * 3600 + Number(times[2]) * 60 + Number(times[3])) * 1000);
    return { problem, durationMs, stderr: result.stderr };
  }
}

function loudnormFilter(t: LoudnessTarget): string {
  return `loudnorm=I=${t.integratedLufs}:TP=${t.truePeakDbtp}:LRA=${t.loudnessRange}`;
}

/** loudnorm resamples to 192 kHz internally, so the output rate is set back explicitly. */
function encodeArgs(facts: AudioFacts): string[] {
  const layout = ['-ac', String(facts.channels)];
  if (facts.format === 'wav')
    return [...layout, '-ar', String(facts.sampleRate), '-c:a', 'pcm_s16le', '-f', 'wav'];
  if (facts.format === 'mp3') {
    return [...layout, '-ar', String(facts.sampleRate), '-c:a', 'libmp3lame', '-q:a', '2', '-f', 'mp3'];
  }
  if (facts.codec === 'opus')
    return [...layout, '-ar', '48000', '-c:a', 'libopus', '-b:a', '96k', '-f', 'ogg'];
  return [...layout, '-ar', String(facts.sampleRate), '-c:a', 'libvorbis', '-q:a', '5', '-f', 'ogg'];
}

export function finite(value: string): number | null {
  const n = Number.parseFloat(value);
  return Number.isFinite(n) ? Math.round(n * 10) / 10 : null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
