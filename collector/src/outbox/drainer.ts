import type { Logger } from 'pino';
import { StoreWriteError, type TimeSeriesStore } from '../store/types.js';
import { retryDelay } from './backoff.js';
import { type OutboxBatch, type OutboxRows, batchLines, batchPoints } from './outbox.js';

export interface DrainerOptions {
  batchPoints: number;
  minBackoffMs: number;
  maxBackoffMs: number;
}

/** What the drain loop needs of the outbox: the `Outbox` itself, or a drain thread's view of it. */
export interface DrainRows {
  peek(maxPoints: number, maxRows: number, afterId: number): OutboxBatch | null;
  remove(rows: OutboxRows): void;
  setAside(rows: OutboxRows, reason: string): void;
}

/** The metrics the drain loop counts into (the collector's own, or a drain thread's relay of them). */
export interface DrainMetrics {
  readonly writeLatency: { startTimer(): () => unknown };
  readonly pointsWritten: { inc(value: number): void };
  readonly writeFailures: { inc(labels: { retryable: string }): void };
  readonly deadLetters: { inc(labels: { stage: string }): void };
}

/** A batch read from the outbox with the body the store will get (null: the store takes points). */
interface Prepared {
  batch: OutboxBatch;
  body: string | Buffer<ArrayBuffer> | null;
}

/** Where a drainer stands: consecutive retryable failures and the last failure's text. */
export interface DrainState {
  failures: number;
  lastError: string | null;
}

/** The outbox drainer the collector runs, in its own thread or a worker. */
export interface Drainer {
  readonly consecutiveFailures: number;
  readonly lastFailure: string | null;
  start(): void;
  notify(): void;
  stop(): Promise<void>;
  drainFor(ms: number): Promise<boolean>;
  /** Frees what the drainer holds of its own (a worker, its connections); after `stop`. */
  close(): Promise<void>;
}

/**
 * Moves outbox rows into the store, oldest first, one batch at a time. Retryable failures wait
 * (back-off with jitter, or the server's Retry-After); a batch the store refuses for good is retried
 * row by row so only the bad rows are set aside as dead letters. While the store takes one batch, the
 * next is read and built (the database parses while this thread builds); it is dropped if the write fails.
 */
export class OutboxDrainer implements Drainer {
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private failures = 0;
  /** While set, rows up to this id are sent one at a time to isolate a refused row. */
  private isolateUntil = 0;
  private lastError: string | null = null;
  /** Rows up to this id were handed to `remove`/`setAside`; a drain thread's deletes land later. */
  private cursor = 0;

  constructor(
    private readonly outbox: DrainRows,
    private readonly store: TimeSeriesStore,
    private readonly o: DrainerOptions,
    private readonly metrics: DrainMetrics,
    private readonly log: Logger,
    private readonly onState: ((state: DrainState) => void) | null = null,
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
    let ahead: Prepared | null = null;
    while (this.running) {
      const isolating = this.isolateUntil > 0;
      const current = ahead ?? this.prepare(this.cursor, isolating ? 1 : Number.MAX_SAFE_INTEGER);
      ahead = null;
      if (!current) {
        this.isolateUntil = 0;
        await this.sleep(1000);
        continue;
      }
      const { batch } = current;
      if (isolating && batch.ids[0] !== undefined && batch.ids[0] > this.isolateUntil) this.isolateUntil = 0;
      const written = this.writeBatch(current);
      if (this.isolateUntil === 0 && this.running) {
        // One turn first, so the request is on its way before this thread is busy building.
        await new Promise((resolve) => setImmediate(resolve));
        ahead = this.prepare(batch.lastId, Number.MAX_SAFE_INTEGER);
      }
      await written;
      // A failed or isolating write leaves the cursor behind: the next batch is read again from there.
      if (this.cursor !== batch.lastId || this.isolateUntil > 0) ahead = null;
    }
  }

  private prepare(afterId: number, maxRows: number): Prepared | null {
    const batch = this.outbox.peek(this.o.batchPoints, maxRows, afterId);
    if (!batch) return null;
    return { batch, body: this.store.writeLines ? batchLines(batch) : null };
  }

  private async writeBatch({ batch, body }: Prepared): Promise<void> {
    const end = this.metrics.writeLatency.startTimer();
    try {
      if (this.store.writeLines && body !== null) await this.store.writeLines(body);
      else await this.store.write(batchPoints(batch));
      end();
      this.metrics.pointsWritten.inc(batch.pointCount);
      this.outbox.remove(batch);
      this.cursor = batch.lastId;
      if (this.failures > 0) this.log.info({ failures: this.failures }, 'store writes resumed');
      this.setState(0, null);
    } catch (err) {
      const failure =
        err instanceof StoreWriteError
          ? err
          : new StoreWriteError(`store write failed: ${(err as Error).message}`, true);
      this.metrics.writeFailures.inc({ retryable: String(failure.retryable) });
      this.setState(this.failures, failure.message);
      if (!failure.retryable) {
        if (batch.ids.length > 1) {
          this.isolateUntil = batch.lastId;
          this.log.warn(
            { err: failure.message, rows: batch.ids.length },
            'store refused a batch; retrying row by row',
          );
        } else {
          this.outbox.setAside(batch, failure.message);
          this.cursor = batch.lastId;
          this.metrics.deadLetters.inc({ stage: 'store' });
          this.log.error(
            { err: failure.message, id: batch.lastId },
            'store refused an outbox row; kept as a dead letter',
          );
        }
        return;
      }
      this.setState(this.failures + 1, failure.message);
      const delay = retryDelay(this.failures, failure.retryAfterMs, this.o.minBackoffMs, this.o.maxBackoffMs);
      const level = this.failures === 1 || this.failures % 20 === 0 ? 'warn' : 'debug';
      this.log[level](
        { err: failure.message, failures: this.failures, delayMs: delay, retryAfterMs: failure.retryAfterMs },
        'store write failed; points stay in the outbox',
      );
      await this.sleep(delay);
    }
  }

  private setState(failures: number, lastError: string | null): void {
    if (failures === this.failures && lastError === this.lastError) return;
    this.failures = failures;
    this.lastError = lastError;
    this.onState?.({ failures, lastError });
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
      const prepared = this.prepare(this.cursor, Number.MAX_SAFE_INTEGER);
      if (!prepared) return true;
      if (this.failures > 0) return false;
      await this.writeBatch(prepared);
    }
    return this.outbox.peek(1, 1, this.cursor) === null;
  }

  /** Nothing of its own: the store and the database belong to the caller. */
  async close(): Promise<void> {}
}
