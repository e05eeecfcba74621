import type { PlaylistItem } from '@xaso/device-profiles/contract';
import type { Logger } from 'pino';
import type { ArbiterOutputs, ArbiterParts } from './arbiter.js';
import { type Job, eventRefOf } from './job.js';
import type { Playback, PlaybackOutcome } from './ports.js';
import type { VolumeControl } from './volume-control.js';

/** How an aborted run ends: back in the queue (preempted), or finished (stop command, shutdown). */
export interface Abort {
  reason: string;
  ending: 'requeue' | 'done' | 'failed';
}

export interface JobRunDeps {
  parts: ArbiterParts;
  out: ArbiterOutputs;
  volumes: VolumeControl;
  log: Logger;
  /** Back to the head of its level after an interruption. */
  requeue(job: Job): void;
  /** The job's final word: the command's ack, or `missed` for a slot that never started. */
  settle(job: Job, status: 'done' | 'failed', reason?: string, unstartedSlotMissed?: boolean): void;
}

type Step = 'played' | 'failed' | 'aborted';

/**
 * One job on the loudspeakers: powers the amplifier, plays its items (or relays its stream) from where it
 * last stopped, and turns everything that happens into playback events; an abort ends it at once.
 */
export class JobRun {
  playback: Playback | undefined;
  item: PlaylistItem | undefined;
  itemStartedAt: number | undefined;
  private stopRequest: Abort | undefined;
  private lastFailure: string | undefined;

  constructor(
    readonly job: Job,
    private readonly deps: JobRunDeps,
  ) {}

  abort(abort: Abort): void {
    this.stopRequest ??= abort;
    this.playback?.stop();
  }

  async execute(): Promise<void> {
    const { job } = this;
    try {
      await this.deps.parts.power.ensureOn();
    } catch (err) {
      // An emergency still tries: the relay may be stuck on, and silence is the worse failure.
      if (job.priority !== 'emergency') {
        this.deps.out.playback({ phase: 'failed', ...eventRefOf(job), reason: (err as Error).message });
        this.deps.settle(job, 'failed', (err as Error).message);
        return;
      }
    }
    if (this.stopRequest) {
      this.afterAbort(undefined);
      return;
    }
    const content = job.content;
    if (content.kind === 'live') {
      if ((await this.playStream(content.url, content.durationMs, content.fallback)) === 'aborted') return;
      return this.finish();
    }
    const p = job.progress;
    for (; p.round < content.repeat; p.round++, p.index = 0) {
      for (; p.index < content.items.length; p.index++, p.offsetMs = 0) {
        const item = content.items[p.index];
        if (item && (await this.playItem(item)) === 'aborted') return;
      }
    }
    this.finish();
  }

  private async playItem(item: PlaylistItem): Promise<Step> {
    let file: string;
    try {
      file = await this.deps.parts.audio.fetch(item);
    } catch (err) {
      return this.failed(`audio ${item.audioId.slice(0, 12)}: ${(err as Error).message}`, item);
    }
    if (this.stopRequest) return this.afterAbort(undefined);
    const volume = await this.volume();
    if (this.stopRequest) return this.afterAbort(undefined);
    const offsetMs = this.job.progress.offsetMs;
    return this.play(item, () =>
      this.deps.parts.player.playFile(file, { volume, durationMs: item.durationMs, offsetMs }),
    );
  }

  /** The relay reconnects and falls back by itself (the player's job); faults become fault events. */
  private async playStream(
    url: string,
    durationMs: number | undefined,
    fallbackItem: PlaylistItem | undefined,
  ): Promise<Step> {
    const { parts, out } = this.deps;
    let fallback: { file: string; durationMs: number } | undefined;
    if (fallbackItem) {
      try {
        fallback = { file: await parts.audio.fetch(fallbackItem), durationMs: fallbackItem.durationMs };
      } catch (err) {
        out.streamFault({ kind: 'fallback', url, detail: `fallback unavailable: ${(err as Error).message}` });
      }
    }
    const volume = await this.volume();
    if (this.stopRequest) return this.afterAbort(undefined);
    const remaining = durationMs === undefined ? undefined : durationMs - this.job.progress.livePlayedMs;
    if (remaining !== undefined && remaining <= 0) return 'played';
    return this.play(undefined, () =>
      parts.player.playStream(url, {
        volume,
        durationMs: remaining,
        fallback,
        onFault: (fault) => out.streamFault(fault),
      }),
    );
  }

  private async play(item: PlaylistItem | undefined, begin: () => Playback): Promise<Step> {
    const { job } = this;
    let playback: Playback;
    try {
      playback = begin();
    } catch (err) {
      return this.failed(`player: ${(err as Error).message}`, item);
    }
    this.playback = playback;
    this.item = item;
    this.itemStartedAt = Date.now();
    this.deps.out.playback({ phase: 'start', ...eventRefOf(job), audioId: item?.audioId });
    if (!job.started) {
      job.started = true;
      if (job.origin.kind === 'command') this.deps.out.ack(job.origin.commandId, 'playing');
    }
    const outcome = await playback.done;
    this.playback = undefined;
    this.itemStartedAt = undefined;
    return this.settleStep(item, outcome);
  }

  private settleStep(item: PlaylistItem | undefined, outcome: PlaybackOutcome): Step {
    const { job } = this;
    if (outcome.kind === 'interrupted' && this.stopRequest) return this.afterAbort(outcome.playedMs, item);
    if (outcome.kind === 'completed') {
      job.played += 1;
      if (!item) job.progress.livePlayedMs += outcome.playedMs;
      this.deps.out.playback({
        phase: 'end',
        ...eventRefOf(job),
        audioId: item?.audioId,
        durationMs: outcome.playedMs,
      });
      return 'played';
    }
    const reason = outcome.kind === 'failed' ? outcome.reason : 'player stopped by itself';
    if (outcome.playedMs > 0) job.played += 1;
    return this.failed(reason, item, outcome.playedMs);
  }

  private failed(reason: string, item: PlaylistItem | undefined, playedMs?: number): Step {
    this.lastFailure = reason;
    this.deps.out.playback({
      phase: 'failed',
      ...eventRefOf(this.job),
      audioId: item?.audioId,
      durationMs: playedMs,
      reason: reason.slice(0, 500),
    });
    return 'failed';
  }

  /** After a stop: report what was cut (when something was playing), then requeue or settle the job. */
  private afterAbort(playedMs: number | undefined, item?: PlaylistItem): Step {
    const { job } = this;
    const abort = this.stopRequest ?? { reason: 'aborted', ending: 'failed' };
    if (playedMs !== undefined) {
      if (item) job.progress.offsetMs += playedMs;
      else job.progress.livePlayedMs += playedMs;
      this.deps.out.playback({
        phase: 'interrupted',
        ...eventRefOf(job),
        audioId: item?.audioId,
        durationMs: playedMs,
        reason: abort.reason.slice(0, 500),
      });
    }
    if (abort.ending === 'requeue') {
      this.deps.log.info(
        { broadcastId: job.broadcastId, reason: abort.reason },
        'job interrupted; re-queued',
      );
      this.deps.requeue(job);
    } else {
      this.deps.settle(job, abort.ending, abort.reason, true);
    }
    return 'aborted';
  }

  private finish(): void {
    if (this.job.played > 0) this.deps.settle(this.job, 'done');
    else this.deps.settle(this.job, 'failed', this.lastFailure ?? 'nothing played');
  }

  private async volume(): Promise<number> {
    const { volumes, log } = this.deps;
    return volumes.forPlayback(this.job.volume ?? volumes.base).catch((err: Error) => {
      log.warn({ err: err.message }, 'amplifier volume not set');
      return 100;
    });
  }
}
