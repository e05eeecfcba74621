import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProcessPlayer } from '../../../gateway-firmware-ts/src/speaker/io/index.js';
import { ensurePackage, tempDir } from '../../harness/index.js';
import { makeMp3, stubbornPlayer } from './audio-fixtures.js';

const log = pino({ level: 'silent' });
const WAV_HEADER = 44;

/** Peak absolute sample of a 16-bit WAV written by mpg123 -w. */
async function peakOf(wav: string): Promise<number> {
  const data = (await readFile(wav)).subarray(WAV_HEADER);
  let peak = 0;
  for (let i = 0; i + 1 < data.length; i += 2) peak = Math.max(peak, Math.abs(data.readInt16LE(i)));
  return peak;
}

describe('process player (mpg123, ffplay)', () => {
  let dir = '';
  let tone = '';
  let mpg123 = '';

  beforeAll(async () => {
    mpg123 = await ensurePackage('mpg123', '/usr/bin/mpg123');
    dir = await tempDir('xaso-player-');
    tone = await makeMp3(dir, 'tone.mp3', 2);
  });

  it('plays a real MP3 to a file output, at the volume asked', async () => {
    const loud = join(dir, 'loud.wav');
    const quiet = join(dir, 'quiet.wav');
    const outcome = await new ProcessPlayer({ binary: mpg123, outputArgs: ['-w', loud] }, log).playFile(
      tone,
      { volume: 100, durationMs: 2_000 },
    ).done;
    expect(outcome.kind).toBe('completed');
    await new ProcessPlayer({ binary: mpg123, outputArgs: ['-w', quiet] }, log).playFile(tone, {
      volume: 10,
      durationMs: 2_000,
    }).done;
    const bytes = (await stat(loud)).size - WAV_HEADER;
    expect(bytes / (44_100 * 2)).toBeGreaterThan(1.9);
    const [loudPeak, quietPeak] = [await peakOf(loud), await peakOf(quiet)];
    expect(loudPeak).toBeGreaterThan(2_000); // ffmpeg's sine peaks at 1/8 of full scale
    expect(quietPeak / loudPeak).toBeGreaterThan(0.07);
    expect(quietPeak / loudPeak).toBeLessThan(0.13);
  });

  it('resumes part-way with offsetMs', async () => {
    const out = join(dir, 'offset.wav');
    await new ProcessPlayer({ binary: mpg123, outputArgs: ['-w', out] }, log).playFile(tone, {
      volume: 100,
      durationMs: 2_000,
      offsetMs: 1_000,
    }).done;
    const seconds = ((await stat(out)).size - WAV_HEADER) / (44_100 * 2);
    expect(seconds).toBeGreaterThan(0.9);
    expect(seconds).toBeLessThan(1.1);
  });

  it('names the failure: file missing, decode error, no audio device, player not installed', async () => {
    const player = new ProcessPlayer({ binary: mpg123, outputArgs: ['-o', 'test'] }, log);
    expect(await player.playFile(join(dir, 'nope.mp3'), { volume: 50, durationMs: 1 }).done).toMatchObject({
      kind: 'failed',
      reason: 'file missing',
    });
    const text = join(dir, 'text.mp3');
    await writeFile(text, 'this is not audio, just a text file pretending\n'.repeat(20));
    expect(await player.playFile(text, { volume: 50, durationMs: 1 }).done).toMatchObject({
      kind: 'failed',
      reason: 'decode error',
    });
    const noDevice = new ProcessPlayer({ binary: mpg123, outputArgs: ['-o', 'alsa', '-a', 'hw:77,0'] }, log);
    expect(await noDevice.playFile(tone, { volume: 50, durationMs: 1 }).done).toMatchObject({
      kind: 'failed',
      reason: 'no audio device',
    });
    const missing = new ProcessPlayer({ program: 'mpv', binary: join(dir, 'no-such-mpv') }, log);
    const outcome = await missing.playFile(tone, { volume: 50, durationMs: 1 }).done;
    expect(outcome).toMatchObject({ kind: 'failed' });
    expect(outcome.kind === 'failed' && outcome.reason).toMatch(/mpv not installed/);
  });

  it('stop() ends a real-time playback (ffplay, SDL dummy audio) as interrupted', async () => {
    const ffplay = await ensurePackage('ffmpeg', '/usr/bin/ffplay');
    const long = await makeMp3(dir, 'long.mp3', 20);
    const player = new ProcessPlayer(
      { program: 'ffplay', binary: ffplay, env: { SDL_AUDIODRIVER: 'dummy' } },
      log,
    );
    const playback = player.playFile(long, { volume: 40, durationMs: 20_000 });
    await new Promise((r) => setTimeout(r, 800));
    playback.stop();
    const outcome = await playback.done;
    expect(outcome.kind).toBe('interrupted');
    expect(outcome.playedMs).toBeGreaterThanOrEqual(700);
    expect(outcome.playedMs).toBeLessThan(10_000);
  });

  it('a player that ignores SIGTERM is killed after the grace period', async () => {
    const player = new ProcessPlayer({ binary: await stubbornPlayer(dir), stopGraceMs: 300 }, log);
    const playback = player.playFile(tone, { volume: 50, durationMs: 2_000 });
    await new Promise((r) => setTimeout(r, 200));
    const stoppedAt = Date.now();
    playback.stop();
    expect((await playback.done).kind).toBe('interrupted');
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(250);
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
  });

  it('a player still running well past the item length (hung device) is stopped and reported failed', async () => {
    const player = new ProcessPlayer(
      { binary: await stubbornPlayer(dir), stopGraceMs: 100, overrunMs: 300 },
      log,
    );
    const outcome = await player.playFile(tone, { volume: 50, durationMs: 200 }).done;
    expect(outcome).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/hung audio device/) });
    expect(outcome.playedMs).toBeGreaterThanOrEqual(450);
    expect(outcome.playedMs).toBeLessThan(5_000);
  });

  it('setVolume drives the configured mixer command; close() stops everything and refuses more', async () => {
    const mark = join(dir, 'mixer.txt');
    const player = new ProcessPlayer(
      {
        binary: await stubbornPlayer(dir),
        stopGraceMs: 100,
        mixerCommand: ['sh', '-c', `echo {volume} > ${mark}`],
      },
      log,
    );
    await player.setVolume(35);
    expect((await readFile(mark, 'utf8')).trim()).toBe('35');
    const failing = new ProcessPlayer({ mixerCommand: ['sh', '-c', 'echo no mixer >&2; exit 3'] }, log);
    await expect(failing.setVolume(10)).rejects.toThrow(/exited with code 3: no mixer/);
    const playback = player.playFile(tone, { volume: 50, durationMs: 2_000 });
    await player.close();
    expect((await playback.done).kind).toBe('interrupted');
    expect(await player.playFile(tone, { volume: 1, durationMs: 1 }).done).toMatchObject({
      reason: 'player closed',
    });
  });
});
