import { type ChildProcess, spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import type { Playback, PlaybackOutcome } from '../ports.js';
import { type PlayerInput, type PlayerProgram, failureOf } from './player-programs.js';

export interface ChildSpec {
  program: PlayerProgram;
  binary: string;
  args: string[];
  env: Record<string, string>;
  input: PlayerInput['kind'];
  /** After SIGTERM, how long before SIGKILL. */
  stopGraceMs: number;
  /** A file playback still running after this is stuck (a hung sound device): it is stopped and failed. */
  deadlineMs?: number;
}

// Enough of stderr to classify a failure; players can be chatty on long files.
const STDERR_KEEP = 16_000;

/** One player process: its end becomes a PlaybackOutcome (stop → interrupted, stderr → failure reason). */
export class ChildPlayback implements Playback {
  readonly done: Promise<PlaybackOutcome>;
  private readonly child: ChildProcess;
  private readonly startedAt = Date.now();
  private stderr = '';
  private stopping = false;
  private overran = false;
  private killTimer: NodeJS.Timeout | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;

  constructor(private readonly spec: ChildSpec) {
    this.child = spawn(spec.binary, spec.args, {
      env: { ...process.env, ...spec.env },
      stdio: [spec.input === 'stdin' ? 'pipe' : 'ignore', 'ignore', 'pipe'],
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    // A player that dies mid-relay makes writes fail with EPIPE; its exit reports why.
    this.child.stdin?.on('error', () => undefined);
    if (spec.deadlineMs !== undefined) {
      this.deadlineTimer = setTimeout(() => {
        this.overran = true;
        this.stop();
      }, spec.deadlineMs);
    }
    this.done = new Promise((resolve) => {
      this.child.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(this.killTimer);
        clearTimeout(this.deadlineTimer);
        const reason = err.code === 'ENOENT' ? `${spec.program} not installed (${spec.binary})` : err.message;
        resolve({ kind: 'failed', playedMs: 0, reason });
      });
      this.child.once('close', (code, signal) => {
        clearTimeout(this.killTimer);
        clearTimeout(this.deadlineTimer);
        resolve(this.outcome(code, signal));
      });
    });
  }

  /** The player's stdin when it plays a piped stream. */
  get stdin(): Writable | undefined {
    return this.child.stdin ?? undefined;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined;
  }

  /** SIGTERM, then SIGKILL if the player has not gone after the grace period. */
  stop(): void {
    if (this.stopping || !this.running) return;
    this.stopping = true;
    this.child.kill('SIGTERM');
    this.killTimer = setTimeout(() => this.child.kill('SIGKILL'), this.spec.stopGraceMs);
  }

  private outcome(code: number | null, signal: NodeJS.Signals | null): PlaybackOutcome {
    const playedMs = Date.now() - this.startedAt;
    if (this.overran) {
      const reason = `${this.spec.program} still playing ${playedMs} ms after start, past the item's length (hung audio device?)`;
      return { kind: 'failed', playedMs, reason };
    }
    if (this.stopping) return { kind: 'interrupted', playedMs };
    const reason = failureOf(this.spec.program, this.spec.input, code, signal, this.stderr);
    return reason === undefined ? { kind: 'completed', playedMs } : { kind: 'failed', playedMs, reason };
  }
}

/** A playback that could not start (player closed, nothing to play): it has already failed. */
export function failedPlayback(reason: string): Playback {
  return { done: Promise.resolve({ kind: 'failed', playedMs: 0, reason }), stop: () => undefined };
}
