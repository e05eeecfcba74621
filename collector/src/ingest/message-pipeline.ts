import {
  type Ack,
  type DeviceEvent,
  type Status,
  type TelemetryBatch,
  type TelemetryColumns,
  expandTelemetryColumns,
} from '@xaso/device-profiles/contract';
import type { CollectorMetrics } from '../metrics.js';
import type { Outbox } from '../outbox/outbox.js';
import { columnLineCounts, columnLines } from '../schema/column-lines.js';
import type { SourceClassifier } from '../schema/measurements.js';
import { statusPoints } from '../schema/status-points.js';
import {
  type PointContext,
  type TelemetryPoints,
  columnPoints,
  telemetryPoints,
} from '../schema/telemetry-points.js';
import type { SqliteDatabase } from '../sqlite.js';
import { DeadLetters } from './dead-letters.js';
import { decodeIngest } from './decode.js';
import { DeviceRecords } from './device-records.js';
import { SequenceTracker, type SequenceVerdict } from './sequence-tracker.js';

export type MessageOutcome =
  | {
      kind: 'telemetry';
      outcome: 'stored' | 'duplicate';
      sequence: SequenceVerdict['reason'];
      /** The reading list; for a columnar batch it is built on first use. */
      batch: TelemetryBatch;
      /** The batch as received, when it came columnar (v 2): cheaper to scan than `batch`. */
      columns?: TelemetryColumns;
      points: number;
      flagged: number;
    }
  | { kind: 'status'; outcome: 'stored'; status: Status }
  | {
      kind: 'event';
      outcome: 'stored' | 'duplicate';
      sequence: SequenceVerdict['reason'];
      event: DeviceEvent;
    }
  | { kind: 'ack'; outcome: 'stored' | 'duplicate'; ack: Ack }
  | { kind: 'dead-letter'; outcome: 'dead-letter'; reason: string };

/** What a telemetry batch put in the outbox. */
interface Queued {
  points: number;
  flagged: number;
}

export interface IncomingMessage {
  topic: string;
  payload: Buffer;
}

export interface PipelineOptions {
  classifier: SourceClassifier;
  areas: Record<string, string>;
  onObserverError?: (err: Error) => void;
}

/** Observers run after the commit, e.g. the alarm engine; they never delay or undo an acknowledgement. */
export type MessageObserver = (outcome: MessageOutcome) => void;

/**
 * Turns one MQTT message into durable state in a single transaction (outbox points, sequences,
 * gaps, tables or a dead letter). When `handle` returns, the message may be acknowledged.
 */
export class MessagePipeline {
  private readonly tracker: SequenceTracker;
  private readonly records: DeviceRecords;
  readonly deadLetters: DeadLetters;
  private readonly observers: MessageObserver[] = [];
  private readonly tx: (messages: readonly IncomingMessage[], now: number) => MessageOutcome[];

  constructor(
    db: SqliteDatabase,
    private readonly outbox: Outbox,
    private readonly metrics: CollectorMetrics,
    private readonly o: PipelineOptions,
  ) {
    this.tracker = new SequenceTracker(db);
    this.records = new DeviceRecords(db);
    this.deadLetters = new DeadLetters(db);
    this.tx = db.transaction((messages: readonly IncomingMessage[], now: number) =>
      messages.map((m) => this.apply(m.topic, m.payload, now)),
    );
  }

  observe(observer: MessageObserver): void {
    this.observers.push(observer);
  }

  /** Throws only when the state database itself fails; then the message must not be acknowledged. */
  handle(topic: string, payload: Buffer, now = Date.now()): MessageOutcome {
    const [outcome] = this.handleGroup([{ topic, payload }], now);
    if (!outcome) throw new Error('pipeline returned no outcome');
    return outcome;
  }

  /**
   * Group commit: several messages in one transaction (one fsync), outcomes in the same order. Each
   * message is applied exactly as `handle` would, one after the other; all commit or none does.
   */
  handleGroup(messages: readonly IncomingMessage[], now = Date.now()): MessageOutcome[] {
    const outcomes = this.tx(messages, now);
    for (const outcome of outcomes) {
      this.count(outcome);
      for (const observer of this.observers) {
        try {
          observer(outcome);
        } catch (err) {
          // Already committed: an observer's failure must not hold back the acknowledgement.
          this.o.onObserverError?.(err as Error);
        }
      }
    }
    return outcomes;
  }

  private apply(topic: string, payload: Buffer, now: number): MessageOutcome {
    const decoded = decodeIngest(topic, payload);
    if (!decoded.ok) return this.reject(topic, payload, decoded.error, now);
    switch (decoded.kind) {
      case 'telemetry': {
        const batch = decoded.message as TelemetryBatch;
        return this.telemetry(
          batch,
          () => batch,
          undefined,
          now,
          (ctx) => this.queue(telemetryPoints(batch, ctx), now),
        );
      }
      case 'telemetry-columns': {
        const columns = decoded.columns;
        let expanded: TelemetryBatch | null = null;
        const batch = (): TelemetryBatch => {
          expanded ??= expandTelemetryColumns(columns);
          return expanded;
        };
        return this.telemetry(columns, batch, columns, now, (ctx) => {
          // Kept as it came when the drain can build the lines (off this thread, with a drain worker).
          const counts = this.outbox.keepsColumns ? columnLineCounts(columns) : null;
          if (counts) {
            this.outbox.enqueueColumns(decoded.text, counts.points, now);
            return counts;
          }
          // An outbox of line protocol gets the lines straight from the table, without point objects.
          const lines = this.outbox.encoding === 'lp' ? columnLines(columns, ctx) : null;
          if (!lines) return this.queue(columnPoints(columns, ctx), now);
          this.outbox.enqueueLines(lines.lines, lines.points, now);
          return { points: lines.points, flagged: lines.flagged };
        });
      }
      case 'status': {
        const status = decoded.message as Status;
        this.records.presence(status, now);
        this.outbox.enqueue(statusPoints(status, this.o.areas[status.deviceId]), now);
        return { kind: 'status', outcome: 'stored', status };
      }
      case 'event': {
        const event = decoded.message as DeviceEvent;
        const verdict = this.tracker.check(event.deviceId, 'event', event.seq, event.ts, now);
        const fresh = verdict.accept && this.records.event(event, now);
        return { kind: 'event', outcome: fresh ? 'stored' : 'duplicate', sequence: verdict.reason, event };
      }
      case 'ack': {
        const ack = decoded.message as Ack;
        return { kind: 'ack', outcome: this.records.ack(ack, now) ? 'stored' : 'duplicate', ack };
      }
      default:
        return this.reject(topic, payload, `the collector does not ingest ${decoded.kind} messages`, now);
    }
  }

  private telemetry(
    head: { deviceId: string; seq: number; ts: number },
    batch: () => TelemetryBatch,
    columns: TelemetryColumns | undefined,
    now: number,
    enqueue: (ctx: PointContext) => Queued,
  ): MessageOutcome {
    const verdict = this.tracker.check(head.deviceId, 'telemetry', head.seq, head.ts, now);
    const { points, flagged } = verdict.accept
      ? enqueue({ classifier: this.o.classifier, commune: this.o.areas[head.deviceId] })
      : { points: 0, flagged: 0 };
    return {
      kind: 'telemetry',
      outcome: verdict.accept ? 'stored' : 'duplicate',
      sequence: verdict.reason,
      get batch() {
        return batch();
      },
      ...(columns ? { columns } : {}),
      points,
      flagged,
    };
  }

  private queue(built: TelemetryPoints, now: number): Queued {
    this.outbox.enqueue(built.points, now);
    return { points: built.points.length, flagged: built.flagged };
  }

  private reject(topic: string, payload: Buffer, reason: string, now: number): MessageOutcome {
    this.deadLetters.add('decode', topic, payload, reason, now);
    return { kind: 'dead-letter', outcome: 'dead-letter', reason };
  }

  private count(o: MessageOutcome): void {
    this.metrics.messages.inc({ kind: o.kind, outcome: o.outcome });
    if (o.outcome === 'duplicate') this.metrics.duplicates.inc({ kind: o.kind });
    if (o.kind === 'dead-letter') this.metrics.deadLetters.inc({ stage: 'decode' });
    if (o.kind === 'telemetry' && o.outcome === 'stored') this.metrics.pointsQueued.inc(o.points);
    if (o.kind === 'telemetry' || o.kind === 'event') {
      if (o.sequence === 'gap-opened') this.metrics.gaps.inc({ kind: o.kind });
      if (o.sequence === 'gap-filled') this.metrics.gapFills.inc({ kind: o.kind });
    }
  }
}
