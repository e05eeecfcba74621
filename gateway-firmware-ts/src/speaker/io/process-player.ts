import { spawn } from 'node:child_process';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Playback, Player, StreamFault } from '../ports.js';
import { ChildPlayback, failedPlayback } from './child-playback.js';
import { LiveRelay, RelaySettingsSchema } from './live-relay.js';
import { type PlayerInput, PlayerProgramSchema, playerArgs } from './player-programs.js';

export const ProcessPlayerConfigSchema = z.object({
  program: PlayerProgramSchema.default('mpg123'),
  /** Path of the program when it is not on PATH. */
  binary: z.string().min(1).optional(),
  /** Output device arguments, e.g. `["-o","alsa","-a","hw:1,0"]` for mpg123 or `["--ao=alsa"]` for mpv. */
  outputArgs: z.array(z.string()).default([]),
  /** Extra environment for the player, e.g. `{"SDL_AUDIODRIVER":"alsa"}` for ffplay. */
  env: z.record(z.string(), z.string()).default({}),
  /** Hardware mixer command for setVolume; `{volume}` is replaced, e.g. `["amixer","-q","sset","PCM","{volume}%"]`. */
  mixerCommand: z.array(z.string()).min(1).optional(),
  stopGraceMs: z.number().int().positive().default(2_000),
  /** A file still playing this long past its length is stuck (hung sound device): stopped, reported failed. */
  overrunMs: z.number().int().positive().default(15_000),
  relay: RelaySettingsSchema.prefault({}),
});
export type ProcessPlayerConfig = z.infer<typeof ProcessPlayerConfigSchema>;

/**
 * The real Player: one mpg123/ffplay/mpv process per playback. Volume goes on the player's command line;
 * setVolume also drives the hardware mixer when one is configured (players cannot change it mid-file).
 */
export class ProcessPlayer implements Player {
  readonly name: string;
  private readonly config: ProcessPlayerConfig;
  private readonly active = new Set<Playback>();
  private currentVolume = 100;
  private closed = false;

  constructor(
    config: z.input<typeof ProcessPlayerConfigSchema>,
    private readonly log: Logger,
  ) {
    this.config = ProcessPlayerConfigSchema.parse(config);
    this.name = this.config.program;
  }

  get volume(): number {
    return this.currentVolume;
  }

  playFile(file: string, options: { volume: number; durationMs: number; offsetMs?: number }): Playback {
    if (this.closed) return failedPlayback('player closed');
    const input: PlayerInput = { kind: 'file', file, offsetMs: Math.max(0, options.offsetMs ?? 0) };
    const deadlineMs = Math.max(0, options.durationMs - input.offsetMs) + this.config.overrunMs;
    return this.track(this.spawnPlayer(input, options.volume, deadlineMs));
  }

  playStream(
    url: string,
    options: {
      volume: number;
      durationMs?: number;
      fallback?: { file: string; durationMs: number };
      onFault?: (fault: StreamFault) => void;
    },
  ): Playback {
    if (this.closed) return failedPlayback('player closed');
    const relay = new LiveRelay(
      url,
      options,
      this.config.relay,
      {
        openSink: () => this.spawnPlayer({ kind: 'stdin' }, options.volume),
        playFallback: (file, durationMs) => this.playFile(file, { volume: options.volume, durationMs }),
      },
      this.log,
    );
    return this.track(relay);
  }

  async setVolume(volume: number): Promise<void> {
    this.currentVolume = volume;
    const mixer = this.config.mixerCommand;
    if (!mixer) return;
    const [command, ...args] = mixer.map((part) => part.replaceAll('{volume}', String(volume)));
    if (command === undefined) return;
    await runMixer(command, args);
  }

  /** Stops every playback and waits for the processes to exit. */
  async close(): Promise<void> {
    this.closed = true;
    const playing = [...this.active];
    for (const playback of playing) playback.stop();
    await Promise.all(playing.map((p) => p.done));
  }

  private spawnPlayer(input: PlayerInput, volume: number, deadlineMs?: number): ChildPlayback {
    const { program, binary, outputArgs, env, stopGraceMs } = this.config;
    this.currentVolume = volume;
    const args = playerArgs(program, input, volume, outputArgs);
    this.log.debug({ program, args }, 'player start');
    return new ChildPlayback({
      program,
      binary: binary ?? program,
      args,
      env,
      input: input.kind,
      stopGraceMs,
      deadlineMs,
    });
  }

  private track<T extends Playback>(playback: T): T {
    this.active.add(playback);
    void playback.done.then(() => this.active.delete(playback));
    return playback;
  }
}

function runMixer(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2_000);
    });
    child.once('error', (err) => reject(new Error(`mixer ${command}: ${err.message}`)));
    child.once('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`mixer ${command} exited with code ${code}: ${stderr.trim()}`));
    });
  });
}
