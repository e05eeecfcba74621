import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensurePackage } from '../../harness/index.js';

const run = promisify(execFile);

export interface SampleSpec {
  seconds: number;
  /** Gain applied to ffmpeg's 440 Hz tone (amplitude 1/8); the default 0.05 is near -47 LUFS, far below -16. */
  gain?: number;
  sampleRate?: number;
}

/** Real audio files made by Debian's ffmpeg (installed through the harness when missing). */
export async function makeSample(
  dir: string,
  name: string,
  format: 'wav' | 'mp3' | 'ogg' | 'opus',
  spec: SampleSpec,
): Promise<string> {
  const ffmpeg = await ensurePackage('ffmpeg', '/usr/bin/ffmpeg');
  const file = join(dir, name);
  const codec: Record<typeof format, string[]> = {
    wav: ['-c:a', 'pcm_s16le', '-f', 'wav'],
    mp3: ['-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3'],
    ogg: ['-c:a', 'libvorbis', '-f', 'ogg'],
    opus: ['-c:a', 'libopus', '-f', 'ogg'],
  };
  const source = `sine=frequency=440:duration=${spec.seconds}:sample_rate=${spec.sampleRate ?? 22050}`;
  await run(ffmpeg, [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    source,
    '-af',
    `volume=${spec.gain ?? 0.05}`,
    '-ac',
    '1',
    ...codec[format],
    file,
  ]);
  return file;
}

/** Integrated loudness measured independently of loudnorm, with ffmpeg's ebur128 filter. */
export async function measureLufs(file: string): Promise<number> {
  const ffmpeg = await ensurePackage('ffmpeg', '/usr/bin/ffmpeg');
  const { stderr } = await run(ffmpeg, [
    '-nostats',
    '-hide_banner',
    '-i',
    file,
    '-af',
    'ebur128',
    '-f',
    'null',
    '-',
  ]);
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const match = /I:\s+(-?[\d.]+) LUFS/.exec(summary);
  if (match?.[1] === undefined)
    throw new Error(`no loudness summary in ffmpeg output: ${summary.slice(0, 200)}`);
  return Number(match[1]);
}

export async function probeSeconds(file: string): Promise<number> {
  const ffprobe = await ensurePackage('ffmpeg', '/usr/bin/ffprobe');
  const { stdout } = await run(ffprobe, [
    '-v',
    'error',
    '-show_entries',
    'format=duration',
    '-of',
    'csv=p=0',
    file,
  ]);
  return Number.parseFloat(stdout.trim());
}
