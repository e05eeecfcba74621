import type { Logger } from 'pino';
import type { CollectorMetrics } from '../metrics.js';
import { StoreWriteError } from '../store/types.js';
import type {
  DecodedIncoming,
  IncomingMessage,
  MessageOutcome,
  MessagePipeline,
  Queued,
} from './message-pipeline.js';

export interface WriteThroughOptions {
  /** A write slower than this sends its group to the outbox instead (the write may still land: idempotent). */
  deadlineMs: number;
  /** Groups whose write may be in flight at once; their commits (and PUBACKs) stay in arrival order. */
  maxGroupsInFlight: number;
  /** Messages per group, i.e. per POST. */
  maxGroupMessages: number;
}

/** Why a group went where it went; the `route` label of xs_collector_write_through_groups_total. */
export type GroupRoute = 'written' | 'backlog' | 'failed' | 'slow' | 'nothing-to-write';

type Attempt = { route: GroupRoute; written: Array<Queued | null> | null };

/**
 * The healthy path of "acknowledged only once in the store or in the on-disk outbox": a group of messages is
 * written straight to the store (one POST) and committed afterwards without outbox rows, so ingest skips the
 * outbox insert, its second decode and its delete. When the store fails, is slower than the deadline, or the
 * outbox still holds rows (a backlog drains first), the group is committed into the outbox as before.
 * A crash before the commit leaves the messages unacknowledged and their sequences unrecorded, so the
 * broker's redelivery is accepted and written again (same points, overwritten).
 */
export class WriteThrough {
  private inFlight = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private degraded = false;

  constructor(
    private readonly pipeline: MessagePipeline,
    /** Points still in the outbox: while any are, groups queue behind them. */
    private readonly backlog: () => number,
    private readonly writeLines: (body: string) => Promise<void>,
    private readonly o: WriteThroughOptions,
    private readonly metrics: CollectorMetrics,
    private readonly log: Logger,
  ) {}

  /** No room for another group: the caller keeps staging messages until one commits. */
  get busy(): boolean {
    return this.inFlight >= this.o.maxGroupsInFlight;
  }

  get maxGroupMessages(): number {
    return this.o.maxGroupMessages;
  }

  get groupsInFlight(): number {
    return this.inFlight;
  }

  /** Resolves once every group handed over so far is committed (or failed). */
  settled(): Promise<void> {
    return this.tail.then(() => undefined);
  }

  /**
   * Resolves with the outcomes once the group is committed, in the store or the outbox: then it may be
   * acknowledged. Rejects only when the state database fails (no acknowledgement, the broker redelivers).
   */
  handle(messages: readonly IncomingMessage[]): Promise<MessageOutcome[]> {
    this.inFlight++;
    const previous = this.tail;
    const committed = (async () => {
      const decoded = this.pipeline.decodeGroup(messages);
      const attempt = await this.attempt(decoded);
      this.metrics.writeThroughGroups.inc({ route: attempt.route });
      // Commits in arrival order, so sequence state (and gap detection) sees the messages as they came.
      await previous;
      return this.pipeline.commitGroup(decoded, Date.now(), attempt.written);
    })();
    this.tail = committed.catch(() => undefined);
    return committed.finally(() => {
      this.inFlight--;
    });
  }

  private async attempt(decoded: readonly DecodedIncoming[]): Promise<Attempt> {
    if (this.backlog() > 0) return { route: 'backlog', written: null };
    // Runs before the previous group commits; a verdict that differs at the commit is safe (see commitGroup).
    const lines = this.pipeline.preview(decoded, Date.now());
    if (lines.points === 0) return { route: 'nothing-to-write', written: null };
    const stopTimer = this.metrics.writeLatency.startTimer();
    const write = this.writeLines(lines.body).then(
      () => 'ok' as const,
      (err: unknown) => err,
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'slow'>((resolve) => {
      timer = setTimeout(() => resolve('slow'), this.o.deadlineMs);
    });
    const result = await Promise.race([write, late]);
    clearTimeout(timer);
    if (result === 'ok') {
      stopTimer();
      this.metrics.pointsWritten.inc(lines.points);
      if (this.degraded) this.log.info('store writes fast again; groups are written straight through');
      this.degraded = false;
      return { route: 'written', written: lines.written };
    }
    if (result === 'slow') {
      this.warn(
        { deadlineMs: this.o.deadlineMs },
        'store write slower than the deadline; group kept in the outbox',
      );
      return { route: 'slow', written: null };
    }
    const retryable = result instanceof StoreWriteError ? result.retryable : true;
    this.metrics.writeFailures.inc({ retryable: String(retryable) });
    this.warn({ err: (result as Error).message }, 'store write failed; group kept in the outbox');
    return { route: 'failed', written: null };
  }

  /** Once per spell of trouble: while it lasts, the outbox takes every group anyway. */
  private warn(fields: Record<string, unknown>, msg: string): void {
    if (!this.degraded) this.log.warn(fields, msg);
    this.degraded = true;
  }
}
