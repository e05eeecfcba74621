import type { Ack, PlaybackEventSchema, PlaylistItem } from '@xaso/device-profiles/contract';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { AmplifierPower } from './amplifier-power.js';
import { type Job, eventRefOf, rankOf } from './job.js';
import type { Amplifier, AudioCache, Playback, PlaybackOutcome, Player, StreamFault } from './ports.js';
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

/** How an aborted run ends: back in the queue (preempted), or finished (stop command, shutdown). */
interface Abort {
  reason: string;
  ending: 'requeue' | 'done' | 'failed';
}

interface Run {
  job: Job;
  playback?: Playback;
  item?: PlaylistItem;
  itemStartedAt?: number;
  abort?: Abort;
  lastFailure?: string;
  finished?: Promise<void>;
}

type Step = 'played' | 'failed' | 'aborted';

/**
 * Decides what plays (Circular 39/2020: emergency > priority > normal; live relays and the commune's own
 * schedule sit below emergency). An emergency interrupts anything else at once; the interrupted job goes
 * back to the head of its level and resumes where it stopped, at its own volume. Everything that happens is
 * a playback event (proof of broadcast) and, for commands, an ack.
 */
export class Arbiter {
  private readonly queue: Job[] = [];
  private run: Run | undefined;
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
      this.abort(run, { reason: `interrupted by emergency ${job.broadcastId}`, ending: 'requeue' });
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
      this.abort(this.run, { reason, ending: 'done' });
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
      this.abort(run, { reason: 'gateway stopping', ending: 'failed' });
      await run.finished;
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
    const run: Run = { job };
    this.run = run;
    run.finished = this.execute(run)
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

  private abort(run: Run, abort: Abort): void {
    run.abort ??= abort;
    run.playback?.stop();
  }

  private async execute(run: Run): Promise<void> {
    const { job } = run;
    try {
      await this.parts.power.ensureOn();
    } catch (err) {
      // An emergency still tries: the relay may be stuck on, and silence is the worse failure.
      if (job.priority !== 'emergency') {
        this.out.playback({ phase: 'failed', ...eventRefOf(job), reason: (err as Error).message });
        this.settle(job, 'failed', (err as Error).message);
        return;
      }
    }
    if (run.abort) {
      this.afterAbort(run, undefined);
      return;
    }
    const content = job.content;
    if (content.kind === 'live') {
      if ((await this.playStream(run, content.url, content.durationMs, content.fallback)) === 'aborted')
        return;
      return this.finish(run);
    }
    const p = job.progress;
    for (; p.round < content.repeat; p.round++, p.index = 0) {
      for (; p.index < content.items.length; p.index++, p.offsetMs = 0) {
        const item = content.items[p.index];
        if (item && (await this.playItem(run, item)) === 'aborted') return;
      }
    }
    this.finish(run);
  }

  private async playItem(run: Run, item: PlaylistItem): Promise<Step> {
    const { job } = run;
    let file: string;
    try {
      file = await this.parts.audio.fetch(item);
    } catch (err) {
      return this.failed(run, `audio ${item.audioId.slice(0, 12)}: ${(err as Error).message}`, item);
    }
    if (run.abort) return this.afterAbort(run, undefined);
    const volume = await this.volumeFor(job);
    if (run.abort) return this.afterAbort(run, undefined);
    const offsetMs = job.progress.offsetMs;
    return this.play(run, item, () =>
      this.parts.player.playFile(file, { volume, durationMs: item.durationMs, offsetMs }),
    );
  }

  /** The relay reconnects and falls back by itself (the player's job); faults become fault events. */
  private async playStream(
    run: Run,
    url: string,
    durationMs: number | undefined,
    fallbackItem: PlaylistItem | undefined,
  ): Promise<Step> {
    const { job } = run;
    let fallback: { file: string; durationMs: number } | undefined;
    if (fallbackItem) {
      try {
        fallback = { file: await this.parts.audio.fetch(fallbackItem), durationMs: fallbackItem.durationMs };
      } catch (err) {
        this.out.streamFault({
          kind: 'fallback',
          url,
          detail: `fallback unavailable: ${(err as Error).message}`,
        });
      }
    }
    const volume = await this.volumeFor(job);
    if (run.abort) return this.afterAbort(run, undefined);
    const remaining = durationMs === undefined ? undefined : durationMs - job.progress.livePlayedMs;
    if (remaining !== undefined && remaining <= 0) return 'played';
    return this.play(run, undefined, () =>
      this.parts.player.playStream(url, {
        volume,
        durationMs: remaining,
        fallback,
        onFault: (fault) => this.out.streamFault(fault),
      }),
    );
  }

  private async play(run: Run, item: PlaylistItem | undefined, begin: () => Playback): Promise<Step> {
    const { job } = run;
    let playback: Playback;
    try {
      playback = begin();
    } catch (err) {
      return this.failed(run, `player: ${(err as Error).message}`, item);
    }
    run.playback = playback;
    run.item = item;
    run.itemStartedAt = Date.now();
    this.out.playback({ phase: 'start', ...eventRefOf(job), audioId: item?.audioId });
    if (!job.started) {
      job.started = true;
      if (job.origin.kind === 'command') this.out.ack(job.origin.commandId, 'playing');
    }
    const outcome = await playback.done;
    run.playback = undefined;
    run.itemStartedAt = undefined;
    return this.settleStep(run, item, outcome);
  }

  private settleStep(run: Run, item: PlaylistItem | undefined, outcome: PlaybackOutcome): Step {
    const { job } = run;
    if (outcome.kind === 'interrupted' && run.abort) return this.afterAbort(run, outcome.playedMs, item);
    if (outcome.kind === 'completed') {
      job.played += 1;
      if (!item) job.progress.livePlayedMs += outcome.playedMs;
      this.out.playback({
        phase: 'end',
        ...eventRefOf(job),
        audioId: item?.audioId,
        durationMs: outcome.playedMs,
      });
      return 'played';
    }
    const reason = outcome.kind === 'failed' ? outcome.reason : 'player stopped by itself';
    if (outcome.playedMs > 0) job.played += 1;
    return this.failed(run, reason, item, outcome.playedMs);
  }

  private failed(run: Run, reason: string, item: PlaylistItem | undefined, playedMs?: number): Step {
    run.lastFailure = reason;
    this.out.playback({
      phase: 'failed',
      ...eventRefOf(run.job),
      audioId: item?.audioId,
      durationMs: playedMs,
      reason: reason.slice(0, 500),
    });
    return 'failed';
  }

  /** After a stop: report what was cut (when something was playing), then requeue or settle the job. */
  private afterAbort(run: Run, playedMs: number | undefined, item?: PlaylistItem): Step {
    const { job } = run;
    const abort = run.abort ?? { reason: 'aborted', ending: 'failed' };
    if (playedMs !== undefined) {
      if (item) job.progress.offsetMs += playedMs;
      else job.progress.livePlayedMs += playedMs;
      this.out.playback({
        phase: 'interrupted',
        ...eventRefOf(job),
        audioId: item?.audioId,
        durationMs: playedMs,
        reason: abort.reason.slice(0, 500),
      });
    }
    if (abort.ending === 'requeue') {
      this.log.info({ broadcastId: job.broadcastId, reason: abort.reason }, 'job interrupted; re-queued');
      if (this.closed) this.settle(job, 'failed', 'gateway stopping', true);
      else this.enqueue(job, true);
    } else {
      this.settle(job, abort.ending, abort.reason, true);
    }
    return 'aborted';
  }

  private finish(run: Run): void {
    const { job } = run;
    if (job.played > 0) this.settle(job, 'done');
    else this.settle(job, 'failed', run.lastFailure ?? 'nothing played');
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

  private async volumeFor(job: Job): Promise<number> {
    return this.volumes.forPlayback(job.volume ?? this.volumes.base).catch((err: Error) => {
      this.log.warn({ err: err.message }, 'amplifier volume not set');
      return 100;
    });
  }
}
