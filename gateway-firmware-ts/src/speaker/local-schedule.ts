import { join } from 'node:path';
import { type Schedule, ScheduleSchema } from '@xaso/device-profiles/contract';
import { DurableJsonFile } from '../core/durable-json.js';
import type { RoleContext } from '../core/role.js';
import { judgeSchedule } from './console-messages.js';
import { type Job, jobOfSlot } from './job.js';
import type { AudioCache } from './ports.js';
import { reportRefusal } from './refusal.js';
import { ScheduleRunner, type Slot } from './schedule-runner.js';
import type { SpeakerTiming } from './settings.js';
import type { SpeakerStore } from './speaker-store.js';

/**
 * The cluster's own copy of its schedule: kept on disk, run locally so slots start with no uplink, replaced
 * only by a verified newer version from the console.
 */
export class LocalSchedule {
  private readonly file: DurableJsonFile<typeof ScheduleSchema>;
  private runner: ScheduleRunner | undefined;

  constructor(
    private readonly context: RoleContext,
    private readonly audio: AudioCache,
    private readonly timing: SpeakerTiming,
    /** Where a slot's job goes to be played (the arbiter). */
    private readonly play: (job: Job) => void,
  ) {
    this.file = new DurableJsonFile(join(context.dataDir, 'schedule.json'), ScheduleSchema, 'schedule');
  }

  /** The running schedule version (undefined before the first one). */
  get version(): number | undefined {
    return this.runner?.version;
  }

  /** Runs the stored schedule; slots due while the gateway was down (since `downSince`) are judged late. */
  start(store: SpeakerStore, downSince: number | undefined, now: number): void {
    const { context, timing } = this;
    this.runner = new ScheduleRunner(
      store,
      { start: (slot) => this.onSlot(slot), missed: (slot, reason) => this.onMissed(slot, reason) },
      {
        graceMs: timing.graceMs,
        lookBackMs: timing.lookBackHours * 3600 * 1000,
        maxMissedPerEntry: 20,
      },
      context.log.child({ part: 'schedule' }),
    );
    this.runStored(downSince, now);
  }

  stop(): void {
    this.runner?.stop();
  }

  /** A schedule message from the console: verified, acked, stored, then run in place of the old one. */
  receive(payload: Buffer, store: SpeakerStore): void {
    const { context } = this;
    const runner = this.runner;
    if (!runner) return;
    const verdict = judgeSchedule(payload, {
      deviceId: context.deviceId,
      signingKeyPem: context.signingKeyPem,
      now: Date.now(),
      currentVersion: runner.version,
      claimId: (id, expiresAt) => store.claimId(id, expiresAt),
    });
    if (verdict.kind === 'same' || verdict.kind === 'ignore') return;
    if (verdict.kind === 'refuse') {
      reportRefusal(context, 'schedule', verdict);
      return;
    }
    const schedule = verdict.schedule;
    const ref = { kind: 'schedule' as const, version: schedule.version };
    context.ack(ref, 'received');
    try {
      this.file.write(schedule);
      runner.run(schedule);
    } catch (err) {
      context.ack(ref, 'failed', (err as Error).message);
      return;
    }
    this.audio.prefetch(schedule.entries.flatMap((e) => e.playlist));
    context.log.info({ version: schedule.version, entries: schedule.entries.length }, 'schedule accepted');
    context.ack(ref, 'done');
  }

  private runStored(downSince: number | undefined, now: number): void {
    let stored: Schedule | undefined;
    try {
      stored = this.file.read();
    } catch (err) {
      this.context.log.error({ err: (err as Error).message }, 'stored schedule unreadable');
      const message = (err as Error).message.slice(0, 500);
      this.context.emit({ kind: 'fault', source: 'schedule', code: 'disk', message, cleared: false });
    }
    if (!stored) return;
    this.runner?.run(stored, downSince, now);
    this.audio.prefetch(stored.entries.flatMap((e) => e.playlist));
    this.context.log.info({ version: stored.version, entries: stored.entries.length }, 'schedule loaded');
  }

  private onSlot(slot: Slot): void {
    this.play(jobOfSlot(slot, this.timing.graceMs));
  }

  private onMissed(slot: Slot, reason: string): void {
    const job = jobOfSlot(slot, this.timing.graceMs);
    this.context.log.warn(
      { entry: slot.entry.id, at: new Date(slot.scheduledAt).toISOString(), reason },
      'missed',
    );
    this.context.emit({
      kind: 'playback',
      phase: 'missed',
      broadcastId: job.broadcastId,
      priority: job.priority,
      scheduleVersion: slot.version,
      entryId: slot.entry.id,
      scheduledAt: slot.scheduledAt,
      reason: reason.slice(0, 500),
    });
  }
}
