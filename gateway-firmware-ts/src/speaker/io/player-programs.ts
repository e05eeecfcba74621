import { z } from 'zod';

/** The command-line players the gateway can drive. */
export const PlayerProgramSchema = z.enum(['mpg123', 'ffplay', 'mpv']);
export type PlayerProgram = z.infer<typeof PlayerProgramSchema>;

/** What to play: a file from an offset, or audio piped on stdin (a live relay). */
export type PlayerInput = { kind: 'file'; file: string; offsetMs: number } | { kind: 'stdin' };

// mpg123 skips by frames: 1152 samples at 44.1 kHz (or 576 at 22.05 kHz) last 26.12 ms, the usual rates.
const MPG123_FRAME_MS = 1152 / 44.1;

/** Arguments for one playback; `outputArgs` choose the device (e.g. `-o alsa -a hw:0`, `--ao=alsa`). */
export function playerArgs(
  program: PlayerProgram,
  input: PlayerInput,
  volume: number,
  outputArgs: readonly string[],
): string[] {
  const offsetS = input.kind === 'file' ? input.offsetMs / 1000 : 0;
  const source = input.kind === 'file' ? input.file : '-';
  switch (program) {
    case 'mpg123': {
      // Not -q: the "MPEG x.y L n" line on stderr is how we tell decoded audio from junk (exit code is 0).
      const skip = offsetS > 0 ? ['-k', String(Math.round((offsetS * 1000) / MPG123_FRAME_MS))] : [];
      return ['-f', String(Math.round((32768 * volume) / 100)), ...skip, ...outputArgs, source];
    }
    case 'ffplay': {
      const seek = offsetS > 0 ? ['-ss', offsetS.toFixed(3)] : [];
      const pipe = input.kind === 'stdin' ? ['-fflags', 'nobuffer'] : [];
      const args = ['-nodisp', '-autoexit', '-loglevel', 'error', '-volume', String(volume)];
      return [...args, ...seek, ...pipe, ...outputArgs, input.kind === 'file' ? source : 'pipe:0'];
    }
    case 'mpv': {
      const seek = offsetS > 0 ? [`--start=${offsetS.toFixed(3)}`] : [];
      const args = ['--no-video', '--no-config', '--msg-level=all=error', `--volume=${volume}`];
      return [...args, ...seek, ...outputArgs, source];
    }
  }
}

const FILE_MISSING = /No such file or directory|failed to open file|Error opening stream|Permission denied/i;
const NO_DEVICE =
  /out123 error|Failed to open module|Found no driver|Could not initialize SDL|audio open failed|SDL_OpenAudio|Could not open\/initialize audio device|No audio device|Audio output .* failed|ao: .*(fail|error)/i;
const DECODE =
  /Invalid data found|Failed to read frame|could not find codec|Failed to recognize file format|error: .*decoding|Failed to find valid MPEG data|Errors when loading file|Invalid argument/i;
const MPG123_DECODED = /^MPEG \d\.\d+ L I{1,3} /m;

/**
 * Why a player process failed, from its exit and stderr; undefined when it played. Players disagree on exit
 * codes (ffplay and mpg123 exit 0 on a missing or junk file), so stderr decides first.
 */
export function failureOf(
  program: PlayerProgram,
  input: PlayerInput['kind'],
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
): string | undefined {
  if (NO_DEVICE.test(stderr)) return 'no audio device';
  if (input === 'file' && FILE_MISSING.test(stderr)) return 'file missing';
  if (DECODE.test(stderr)) return 'decode error';
  if (program === 'mpg123' && code === 0 && !MPG123_DECODED.test(stderr)) return 'decode error';
  if (signal) return `${program} killed by ${signal}`;
  if (code !== 0) return `${program} exited with code ${code}: ${lastLine(stderr)}`;
  return undefined;
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim());
  return (lines.filter((l) => l !== '').at(-1) ?? 'no output').slice(0, 200);
}
