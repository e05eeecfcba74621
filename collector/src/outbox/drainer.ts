import type { Logger } from 'pino';
import type { CollectorMetrics } from '../metrics.js';
import { StoreWriteError, type TimeSeriesStore } from '../store/types.js';
import { retryDelay } from './backoff.js';
import { type Outbox, type OutboxBatch, batchLines, batchPoints } from './outbox.js';

export interface DrainerOptions {
  batchPoints: number;
  minBackoffMs: number;
  maxBackoffMs: number;
}

/**
 * Moves outbox rows into the store, oldest first, one batch at a time. Retryable failures wait
 * (back-off with jitter, or the server's Retry-After); a batch the store refuses for good is retried
 * row by row so only the bad rows are set aside as dead letters.
 */
export class OutboxDrainer {
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private failures = 0;
  /** While set, rows up to this id are sent one at a time to isolate a refused row. */
  private isolateUntil = 0;
  private lastError: string | null = null;

  constructor(
    private readonly outbox: Outbox,
    private readonly store: TimeSeriesStore,
    private readonly o: DrainerOptions,
    private readonly metrics: CollectorMetrics,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** New rows are waiting: skip the idle wait (not a back-off wait). */
  notify(): void {
    if (this.failures === 0) this.wake();
  }

  private wake(): void {
    const w = this.wakeUp;
    this.wakeUp = null;
    w?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  get lastFailure(): string | null {
    return this.lastError;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const isolating = this.isolateUntil > 0;
      const batch = this.outbox.peek(this.o.batchPoints, isolating ? 1 : Number.MAX_SAFE_INTEGER);
      if (!batch) {
        this.isolateUntil = 0;
        await this.sleep(1000);
        continue;
      }
      if (isolating && batch.ids[0] !== undefined && batch.ids[0] > this.isolateUntil) this.isolateUntil = 0;
      await this.writeBatch(batch);
    }
  }

  private async writeBatch(batch: OutboxBatch): Promise<void> {
    const end = this.metrics.writeLatency.startTimer();
    try {
      if (this.store.writeLines) await this.store.writeLines(batchLines(batch));
      else await this.store.write(batchPoints(batch));
      end();
      this.outbox.remove(batch);
      this.metrics.pointsWritten.inc(batch.pointCount);
      if (this.failures > 0) this.log.info({ failures: this.failures }, 'store writes resumed');
      this.failures = 0;
      this.lastError = null;
    } catch (err) {
      const failure =
        err instanceof StoreWriteError
          ? err
          : new StoreWriteError(`store write failed: ${(err as Error).message}`, true);
      this.metrics.writeFailures.inc({ retryable: String(failure.retryable) });
      this.lastError = failure.message;
      if (!failure.retryable) {
        if (batch.ids.length > 1) {
          this.isolateUntil = batch.lastId;
          this.log.warn(
            { err: failure.message, rows: batch.ids.length },
            'store refused a batch; retrying row by row',
          );
        } else {
          this.outbox.setAside(batch, failure.message);
          this.metrics.deadLetters.inc({ stage: 'store' });
          this.log.error(
            { err: failure.message, id: batch.lastId },
            'store refused an outbox row; kept as a dead letter',
          );
        }
        return;
      }
      this.failures++;
      const delay = retryDelay(this.failures, failure.retryAfterMs, this.o.minBackoffMs, this.o.maxBackoffMs);
      const level = this.failures === 1 || this.failures % 20 === 0 ? 'warn' : 'debug';
      this.log[level](
        { err: failure.message, failures: this.failures, delayMs: delay, retryAfterMs: failure.retryAfterMs },
        'store write failed; points stay in the outbox',
      );
      await this.sleep(delay);
    }
  }

  /** Stops after the write in flight; rows not written stay on disk for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    this.loop = null;
  }

  /** Writes until the outbox is empty or the deadline passes (used at shutdown and by tests). */
  async drainFor(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const batch = this.outbox.peek(this.o.batchPoints);
      if (!batch) return true;
      if (this.failures > 0) return false;
      await this.writeBatch(batch);
    }
    return this.outbox.peek(1) === null;
  }
}
