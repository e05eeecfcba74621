import { join } from 'node:path';
import pino from 'pino';
import { ChildPlayback } from '../../../gateway-firmware-ts/src/speaker/io/child-playback.js';
import {
  ClockPlayer,
  LiveRelay,
  RelaySettingsSchema,
} from '../../../gateway-firmware-ts/src/speaker/io/index.js';
import type { Playback, StreamFault } from '../../../gateway-firmware-ts/src/speaker/ports.js';
import { ensurePackage, tempDir } from '../../harness/index.js';
import { sleep } from '../../harness/process.js';
import { makeMp3 } from './audio-fixtures.js';
import { StreamServer } from './stream-server.js';

export const log = pino({ level: 'silent' });

/** A paced MP3 stream server, and relays into a real mpg123 writing a WAV (fallback on a clock player). */
export class RelayFixture {
  private outputs = 0;
  private readonly running: Playback[] = [];

  private constructor(
    readonly server: StreamServer,
    readonly mpg123: string,
    readonly dir: string,
  ) {}

  static async start(): Promise<RelayFixture> {
    const mpg123 = await ensurePackage('mpg123', '/usr/bin/mpg123');
    const dir = await tempDir('xaso-relay-');
    const tone = await makeMp3(dir, 'tone.mp3', 4);
    const silence = await makeMp3(dir, 'silence.mp3', 4, 'silence');
    return new RelayFixture(await StreamServer.start(tone, silence), mpg123, dir);
  }

  /** Stops what a test left running (an assertion may fail before its own stop()). */
  reset(): void {
    for (const playback of this.running.splice(0)) playback.stop();
    this.server.dropAll();
    this.server.mode = 'tone';
    this.server.connections = 0;
  }

  track(playback: Playback): Playback {
    this.running.push(playback);
    return playback;
  }

  relay(options: { durationMs?: number; fallback?: boolean }, settings: Record<string, number> = {}) {
    const faults: StreamFault[] = [];
    const fallbackPlayer = new ClockPlayer();
    const wav = join(this.dir, `out-${this.outputs++}.wav`);
    const playback = new LiveRelay(
      this.server.url,
      {
        volume: 80,
        durationMs: options.durationMs,
        fallback: options.fallback ? { file: '/cache/fallback.mp3', durationMs: 60_000 } : undefined,
        onFault: (f) => faults.push(f),
      },
      RelaySettingsSchema.parse({
        deadAfterMs: 1_500,
        silenceAfterMs: 1_000,
        fallbackAfterMs: 400,
        reconnectBaseMs: 200,
        reconnectMaxMs: 800,
        meter: [this.mpg123, '-q', '-m', '-r', '8000', '-s', '-'],
        ...settings,
      }),
      {
        openSink: () =>
          new ChildPlayback({
            program: 'mpg123',
            binary: this.mpg123,
            args: ['-w', wav, '-'],
            env: {},
            input: 'stdin',
            stopGraceMs: 1_000,
          }),
        playFallback: (file, durationMs) => fallbackPlayer.playFile(file, { volume: 80, durationMs }),
      },
      log,
    );
    this.track(playback);
    return { playback, faults, fallbackPlayer, wav };
  }
}

export const kinds = (faults: StreamFault[]) => faults.map((f) => f.kind);

export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}
