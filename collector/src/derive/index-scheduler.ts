import type { Logger } from 'pino';
import type { MessageOutcome } from '../ingest/message-pipeline.js';
import type { Outbox } from '../outbox/outbox.js';
import type { SqliteDatabase } from '../sqlite.js';
import type { TimeSeriesStore } from '../store/types.js';
import { hourlyIndexPoints } from './hourly-indices.js';

const HOUR = 3_600_000;
/** A change in hour h moves the NowCast of hours h … h+11. */
const NOWCAST_REACH = 11;
/** Hours older than this are not recomputed automatically (a backlog of months would stall the tick). */
const MAX_AGE_HOURS = 72;
const SETTLE_MS = 120_000;

export interface IndexSchedulerOptions {
  tickMs: number;
  now?: () => number;
  /** Called once per finished hour (the latest only), e.g. to feed hourly averages to the alarm rules. */
  onHourFinished?: (hourEnd: number) => Promise<void>;
}

/**
 * Recomputes hourly VN_AQI/VN_WQI for every finished hour that received telemetry (live or late, from
 * a gateway's backlog), and for the hour that just ended. It waits while the outbox holds a backlog,
 * so an index is not computed from half-delivered data; points go through the outbox like readings.
 */
export class IndexScheduler {
  private readonly dirty = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private first: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private lastHourDone = 0;
  private readonly now: () => number;

  constructor(
    private readonly store: TimeSeriesStore,
    private readonly state: SqliteDatabase,
    private readonly outbox: Outbox,
    private readonly notify: () => void,
    private readonly o: IndexSchedulerOptions,
    private readonly log: Logger,
  ) {
    this.now = o.now ?? Date.now;
  }

  /** Pipeline observer: marks the hours a stored telemetry batch touched. */
  readonly observe = (outcome: MessageOutcome): void => {
    if (outcome.kind !== 'telemetry' || outcome.outcome !== 'stored') return;
    const hours = new Set<number>();
    if (outcome.columns) for (const ts of outcome.columns.times) hours.add(Math.floor(ts / HOUR) * HOUR);
    else for (const r of outcome.batch.readings) hours.add(Math.floor(r.ts / HOUR) * HOUR);
    for (const h of hours) for (let k = 0; k <= NOWCAST_REACH; k++) this.dirty.add(h + k * HOUR);
  };

  start(): void {
    const run = (): void => {
      this.running ??= this.tick()
        .then(() => undefined)
        .finally(() => {
          this.running = null;
        });
    };
    // A first pass soon after start covers the hour that ended while the collector was down.
    this.first = setTimeout(run, Math.min(5000, this.o.tickMs));
    this.first.unref();
    this.timer = setInterval(run, this.o.tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.first) clearTimeout(this.first);
    this.timer = null;
    await this.running;
  }

  /** One pass; returns how many index points were queued. */
  async tick(): Promise<number> {
    // Hours count as finished two minutes after their end, once their last readings have been delivered.
    const current = Math.floor((this.now() - SETTLE_MS) / HOUR) * HOUR;
    if (this.lastHourDone < current - HOUR) this.dirty.add(current - HOUR);
    const depth = this.outbox.depth();
    if (depth.oldestCreatedAt !== null && this.now() - depth.oldestCreatedAt > 60_000) return 0;
    const due = [...this.dirty]
      .filter((h) => h < current && h >= current - MAX_AGE_HOURS * HOUR)
      .sort((a, b) => a - b);
    for (const h of [...this.dirty]) if (h < current - MAX_AGE_HOURS * HOUR) this.dirty.delete(h);
    let queued = 0;
    for (const hour of due) {
      try {
        const points = await hourlyIndexPoints(this.store, hour, this.log);
        this.state.transaction(() => this.outbox.enqueue(points))();
        queued += points.length;
        this.dirty.delete(hour);
        if (hour === current - HOUR && this.lastHourDone !== hour) {
          this.lastHourDone = hour;
          await this.o.onHourFinished?.(current);
        }
      } catch (err) {
        this.log.warn(
          { err: (err as Error).message, hour: new Date(hour).toISOString() },
          'index computation postponed',
        );
        break;
      }
    }
    if (queued > 0) this.notify();
    return queued;
  }
}
