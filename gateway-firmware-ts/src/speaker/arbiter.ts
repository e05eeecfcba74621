import type { Ack, PlaybackEventSchema, PlaylistItem } from '@xaso/device-profiles/contract';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { AmplifierPower } from './amplifier-power.js';
import { JobRun } from './job-run.js';
import { type Job, eventRefOf, rankOf } from './job.js';
import type { Amplifier, AudioCache, Player, StreamFault } from './ports.js';
import { VolumeControl } from './volume-control.js';

export type PlaybackEvent = Omit<z.input<typeof PlaybackEventSchema>, 'kind'>;

export interface ArbiterParts {
  player: Player;
  audio: AudioCache;
  amplifier: Amplifier;
  power: AmplifierPower;
}

export interface ArbiterOutputs {
  playback(event: PlaybackEvent): void;
  ack(commandId: string, status: Ack['status'], reason?: string): void;
  /** Trouble on a live relay (dropped, dead, silent, on fallback) and its recovery. */
  streamFault(fault: StreamFault): void;
}

export interface ArbiterOptions {
  /** Which part attenuates: the player (software) or the controller board; the other stays at 100. */
  volumeControl: 'player' | 'amplifier';
  volume: number;
}

/**
 * Decides what plays (Circular 39/2020: emergency > priority > normal; live relays and the commune's own
 * schedule sit below emergency). An emergency interrupts anything else at once; the interrupted job goes
 * back to the head of its level and resumes where it stopped, at its own volume. Everything that happens is
 * a playback event (proof of broadcast) and, for commands, an ack.
 */
export class Arbiter {
  private readonly queue: Job[] = [];
  private run: JobRun | undefined;
  /** Settles when the current run has reported everything. */
  private finished: Promise<void> = Promise.resolve();
  private readonly volumes: VolumeControl;
  private closed = false;

  constructor(
    private readonly parts: ArbiterParts,
    private readonly out: ArbiterOutputs,
    options: ArbiterOptions,
    private readonly log: Logger,
  ) {
    this.volumes = new VolumeControl(options.volumeControl, parts.player, parts.amplifier, options.volume);
  }

  submit(job: Job): void {
    if (this.closed) {
      this.settle(job, 'failed', 'gateway stopping', true);
      return;
    }
    const run = this.run;
    if (
      run &&
      rankOf(job.priority) === rankOf('emergency') &&
      rankOf(run.job.priority) < rankOf('emergency')
    ) {
      run.abort({ reason: `interrupted by emergency ${job.broadcastId}`, ending: 'requeue' });
      this.start(job);
      return;
    }
    this.enqueue(job, false);
    this.next();
  }

  /** Stops what plays and drops what waits, for one broadcast or (no id) all of them. */
  stop(broadcastId: string | undefined, reason: string): number {
    const matches = (job: Job) => broadcastId === undefined || job.broadcastId === broadcastId;
    let stopped = 0;
    for (const job of this.queue.filter(matches)) {
      this.queue.splice(this.queue.indexOf(job), 1);
      this.settle(job, 'done', reason, true);
      stopped += 1;
    }
    if (this.run && matches(this.run.job)) {
      this.run.abort({ reason, ending: 'done' });
      stopped += 1;
    }
    return stopped;
  }

  /** The cluster's volume; applies at once to what plays unless that job has its own. */
  async setVolume(volume: number): Promise<void> {
    this.volumes.base = volume;
    if (this.run?.job.volume === undefined) await this.volumes.live(volume, this.run?.playback !== undefined);
  }

  get volume(): number {
    return this.run?.job.volume ?? this.volumes.base;
  }

  get nowPlaying(): { job: Job; item?: PlaylistItem; startedAt: number } | undefined {
    const run = this.run;
    if (!run?.itemStartedAt) return undefined;
    return { job: run.job, item: run.item, startedAt: run.itemStartedAt };
  }

  get queued(): readonly Job[] {
    return this.queue;
  }

  /** Ends the current job (reported interrupted) and fails what waits; resolves when the events are out. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.settle(job, 'failed', 'gateway stopping', true);
    const run = this.run;
    if (run) {
      run.abort({ reason: 'gateway stopping', ending: 'failed' });
      await this.finished;
    }
  }

  private enqueue(job: Job, front: boolean): void {
    const rank = rankOf(job.priority);
    const at = this.queue.findIndex((q) => (front ? rankOf(q.priority) <= rank : rankOf(q.priority) < rank));
    this.queue.splice(at === -1 ? this.queue.length : at, 0, job);
  }

  private next(): void {
    if (this.run || this.closed) return;
    const now = Date.now();
    let job = this.queue.shift();
    while (job && !job.started && job.startBy !== undefined && now > job.startBy) {
      this.out.playback({
        phase: 'missed',
        ...eventRefOf(job),
        reason: 'could not start in time: the cluster was playing other broadcasts',
      });
      job = this.queue.shift();
    }
    if (job) {
      this.start(job);
      return;
    }
    this.volumes.restore().catch((err: Error) => this.log.warn({ err: err.message }, 'volume not restored'));
    this.parts.power.idle();
  }

  private start(job: Job): void {
    const run = new JobRun(job, {
      parts: this.parts,
      out: this.out,
      volumes: this.volumes,
      log: this.log,
      requeue: (j) =>
        this.closed ? this.settle(j, 'failed', 'gateway stopping', true) : this.enqueue(j, true),
      settle: (...args) => this.settle(...args),
    });
    this.run = run;
    this.finished = run
      .execute()
      .catch((err: Error) => {
        this.log.error({ err: err.message, broadcastId: job.broadcastId }, 'playback job crashed');
        this.settle(job, 'failed', `internal error: ${err.message}`);
      })
      .finally(() => {
        if (this.run !== run) return;
        this.run = undefined;
        this.next();
      });
  }

  /**
   * The final ack of a command job. Schedule slots are accounted for by their events; one dropped before it
   * ever started (stop command, shutdown) is reported `missed` when `unstartedSlotMissed`.
   */
  private settle(job: Job, status: 'done' | 'failed', reason?: string, unstartedSlotMissed = false): void {
    if (job.origin.kind === 'command') this.out.ack(job.origin.commandId, status, reason?.slice(0, 500));
    else if (unstartedSlotMissed && !job.started)
      this.out.playback({ phase: 'missed', ...eventRefOf(job), reason: (reason ?? 'dropped').slice(0, 500) });
  }
}
