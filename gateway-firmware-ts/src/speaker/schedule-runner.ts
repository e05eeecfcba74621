import type { Schedule, ScheduleEntry } from '@xaso/device-profiles/contract';
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { inValidity, slotsBetween } from './slot-times.js';
import type { SpeakerStore } from './speaker-store.js';

/** One start of a schedule entry. */
export interface Slot {
  entry: ScheduleEntry;
  version: number;
  scheduledAt: number;
}

export interface SlotHandler {
  start(slot: Slot): void;
  missed(slot: Slot, reason: string): void;
}

export interface ScheduleRunnerOptions {
  /** A slot may start this late (busy event loop, reboot); later it is reported `missed`, never played late. */
  graceMs: number;
  /** How far back a boot looks for slots missed while the gateway was down. */
  lookBackMs: number;
  /** Missed slots reported per entry after a long outage (the newest ones). */
  maxMissedPerEntry: number;
}

/** setTimeout's limit is ~24.8 days; one-off slots further away re-arm on the way. */
const MAX_TIMER_MS = 6 * 3600 * 1000;

interface Armed {
  tasks: ScheduledTask[];
  timers: Set<NodeJS.Timeout>;
}

/**
 * Runs a verified schedule locally with node-cron in Asia/Ho_Chi_Minh (one-off `at` entries by timer), so
 * slots start on time with no uplink. Each slot is claimed in the store before it starts or is reported
 * missed, so a restart neither repeats nor forgets one.
 */
export class ScheduleRunner {
  private schedule: Schedule | undefined;
  private armed: Armed = { tasks: [], timers: new Set() };

  constructor(
    private readonly store: SpeakerStore,
    private readonly handler: SlotHandler,
    private readonly options: ScheduleRunnerOptions,
    private readonly log: Logger,
  ) {}

  get version(): number | undefined {
    return this.schedule?.version;
  }

  get current(): Schedule | undefined {
    return this.schedule;
  }

  /**
   * Runs `schedule` in place of the running one: the new timers are armed before the old ones are torn
   * down, in one synchronous step, so no slot falls between two versions. `downSince` (at boot: when the
   * gateway was last alive) reports the slots missed meanwhile.
   */
  run(schedule: Schedule, downSince?: number, now = Date.now()): void {
    const next: Armed = { tasks: [], timers: new Set() };
    try {
      for (const entry of schedule.entries) this.arm(next, entry, schedule.version, now);
    } catch (err) {
      this.disarm(next);
      throw err;
    }
    const previous = this.armed;
    this.armed = next;
    this.schedule = schedule;
    this.disarm(previous);
    this.catchUp(schedule, downSince, now);
  }

  stop(): void {
    this.disarm(this.armed);
    this.armed = { tasks: [], timers: new Set() };
  }

  private arm(armed: Armed, entry: ScheduleEntry, version: number, now: number): void {
    if (entry.validTo !== undefined && entry.validTo <= now) return;
    if (entry.at !== undefined) {
      if (entry.at > now) this.armAt(armed, entry, version);
      return;
    }
    if (entry.cron === undefined) return;
    const task = cron.createTask(
      entry.cron,
      (context) => this.fire({ entry, version, scheduledAt: context.date.getTime() }),
      {
        timezone: 'Asia/Ho_Chi_Minh',
        name: `entry:${entry.id}`,
        missedExecutionTolerance: this.options.graceMs,
        suppressMissedWarning: true,
        logger: {
          info: (m) => this.log.debug({ entry: entry.id }, m),
          warn: (m) => this.log.warn({ entry: entry.id }, m),
          error: (m) => this.log.error({ entry: entry.id, err: String(m) }, 'node-cron error'),
          debug: (m) => this.log.debug({ entry: entry.id }, String(m)),
        },
      },
    );
    task.on('execution:missed', (context) =>
      this.miss(
        { entry, version, scheduledAt: context.date.getTime() },
        `could not start within ${this.options.graceMs / 1000} s (gateway busy)`,
      ),
    );
    armed.tasks.push(task);
    void task.start();
  }

  private armAt(armed: Armed, entry: ScheduleEntry, version: number): void {
    const at = entry.at;
    if (at === undefined) return;
    const timer = setTimeout(
      () => {
        armed.timers.delete(timer);
        if (at - Date.now() > 0) this.armAt(armed, entry, version);
        else this.fire({ entry, version, scheduledAt: at });
      },
      Math.min(MAX_TIMER_MS, at - Date.now()),
    );
    armed.timers.add(timer);
  }

  private disarm(armed: Armed): void {
    for (const task of armed.tasks) void task.destroy();
    for (const timer of armed.timers) clearTimeout(timer);
    armed.timers.clear();
  }

  /** Slots already due: within the grace window they start now, older ones (only after a boot) are missed. */
  private catchUp(schedule: Schedule, downSince: number | undefined, now: number): void {
    const { graceMs, lookBackMs, maxMissedPerEntry } = this.options;
    const from = downSince === undefined ? now - graceMs : Math.max(downSince, now - lookBackMs);
    for (const entry of schedule.entries) {
      const due = slotsBetween(entry, Math.min(from, now - graceMs), now, maxMissedPerEntry + 1);
      const late = due.filter((t) => now - t > graceMs);
      for (const t of due.filter((t) => now - t <= graceMs).reverse())
        this.fire({ entry, version: schedule.version, scheduledAt: t });
      const shown = late.slice(0, maxMissedPerEntry).reverse();
      const since = downSince === undefined ? '' : ` since ${new Date(downSince).toISOString()}`;
      for (const t of shown)
        this.miss(
          { entry, version: schedule.version, scheduledAt: t },
          `gateway was not running${since}${late.length > shown.length && t === shown[0] ? '; earlier slots not listed' : ''}`,
        );
    }
  }

  private fire(slot: Slot): void {
    if (!inValidity(slot.entry, slot.scheduledAt)) return;
    if (!this.store.claimSlot(slot.entry.id, slot.scheduledAt, 'started')) return;
    this.handler.start(slot);
  }

  private miss(slot: Slot, reason: string): void {
    if (!inValidity(slot.entry, slot.scheduledAt)) return;
    if (!this.store.claimSlot(slot.entry.id, slot.scheduledAt, 'missed')) return;
    this.handler.missed(slot, reason);
  }
}
