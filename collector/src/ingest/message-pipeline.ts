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
import { type IngestDecoded, decodeIngest } from './decode.js';
import { DeviceRecords } from './device-records.js';
import { ALREADY_WRITTEN, LineSink, type PointSink } from './point-sink.js';
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

/** What a telemetry batch put in the outbox (or wrote straight through). */
export interface Queued {
  points: number;
  flagged: number;
}

export interface IncomingMessage {
  topic: string;
  payload: Buffer;
}

/** A message decoded once, applied once or twice (write-through: a rolled-back preview, then the commit). */
export interface DecodedIncoming extends IncomingMessage {
  decoded: IngestDecoded;
}

/**
 * A group's points as one line-protocol body, from a preview that commits nothing. `written[i]` is what
 * message i contributed (null: nothing, e.g. a duplicate or an event), for the commit after the write.
 */
export interface GroupLines {
  body: string;
  points: number;
  written: Array<Queued | null>;
}

interface Previewed {
  sink: LineSink;
  outcome: MessageOutcome;
}

/** Thrown inside the preview's transaction so that better-sqlite3 rolls it back. */
class PreviewRollback extends Error {}

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
  private readonly tx: (
    messages: readonly DecodedIncoming[],
    now: number,
    written: ReadonlyArray<Queued | null> | null,
  ) => MessageOutcome[];
  private readonly previewTx: (messages: readonly DecodedIncoming[], now: number, out: Previewed[]) => void;

  constructor(
    db: SqliteDatabase,
    private readonly outbox: Outbox,
    private readonly metrics: CollectorMetrics,
    private readonly o: PipelineOptions,
  ) {
    this.tracker = new SequenceTracker(db);
    this.records = new DeviceRecords(db);
    this.deadLetters = new DeadLetters(db);
    this.tx = db.transaction(
      (messages: readonly DecodedIncoming[], now: number, written: ReadonlyArray<Queued | null> | null) =>
        messages.map((m, i) => {
          const done = written?.[i] ?? null;
          return this.apply(m, now, done ? ALREADY_WRITTEN : this.outbox, done);
        }),
    );
    this.previewTx = db.transaction((messages: readonly DecodedIncoming[], now: number, out: Previewed[]) => {
      for (const m of messages) {
        const sink = new LineSink();
        out.push({ sink, outcome: this.apply(m, now, sink, null) });
      }
      throw new PreviewRollback();
    });
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
    return this.commitGroup(this.decodeGroup(messages), now, null);
  }

  /** Decoding is pure: done once per message, whatever path the group then takes. */
  decodeGroup(messages: readonly IncomingMessage[]): DecodedIncoming[] {
    return messages.map((m) => ({
      topic: m.topic,
      payload: m.payload,
      decoded: decodeIngest(m.topic, m.payload),
    }));
  }

  /**
   * Write-through, step 1: applies the group exactly as `commitGroup` would, in a transaction that is rolled
   * back, and returns the lines its accepted messages make. Nothing is recorded, counted or observed: a crash
   * before the commit leaves the messages unacknowledged and new to the next collector.
   */
  preview(messages: readonly DecodedIncoming[], now = Date.now()): GroupLines {
    const previewed: Previewed[] = [];
    try {
      this.previewTx(messages, now, previewed);
    } catch (err) {
      if (!(err instanceof PreviewRollback)) throw err;
    }
    const chunks: string[] = [];
    let points = 0;
    const written = previewed.map(({ sink, outcome }) => {
      if (sink.points === 0) return null;
      for (const c of sink.chunks) if (c !== '') chunks.push(c);
      points += sink.points;
      return { points: sink.points, flagged: outcome.kind === 'telemetry' ? outcome.flagged : 0 };
    });
    return { body: chunks.join('\n'), points, written };
  }

  /**
   * Commits the group (one transaction, one fsync), outcomes in order. Messages with `written[i]` are already
   * in the store: their state is recorded, nothing is queued. The others' points go to the outbox.
   */
  commitGroup(
    messages: readonly DecodedIncoming[],
    now: number,
    written: ReadonlyArray<Queued | null> | null,
  ): MessageOutcome[] {
    const outcomes = this.tx(messages, now, written);
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

  private apply(m: DecodedIncoming, now: number, sink: PointSink, done: Queued | null): MessageOutcome {
    const { topic, payload, decoded } = m;
    if (!decoded.ok) return this.reject(topic, payload, decoded.error, now);
    switch (decoded.kind) {
      case 'telemetry': {
        const batch = decoded.message as TelemetryBatch;
        return this.telemetry(
          batch,
          () => batch,
          undefined,
          now,
          done ?? ((ctx) => this.queue(sink, telemetryPoints(batch, ctx), now)),
        );
      }
      case 'telemetry-columns': {
        const columns = decoded.columns;
        let expanded: TelemetryBatch | null = null;
        const batch = (): TelemetryBatch => {
          expanded ??= expandTelemetryColumns(columns);
          return expanded;
        };
        if (done) return this.telemetry(columns, batch, columns, now, done);
        return this.telemetry(columns, batch, columns, now, (ctx) => {
          // Kept as it came when the drain can build the lines (off this thread, with a drain worker).
          const counts = sink.keepsColumns ? columnLineCounts(columns) : null;
          if (counts) {
            sink.enqueueColumns(decoded.text, counts.points, now);
            return counts;
          }
          // An outbox of line protocol gets the lines straight from the table, without point objects.
          const lines = sink.encoding === 'lp' ? columnLines(columns, ctx) : null;
          if (!lines) return this.queue(sink, columnPoints(columns, ctx), now);
          sink.enqueueLines(lines.lines, lines.points, now);
          return { points: lines.points, flagged: lines.flagged };
        });
      }
      case 'status': {
        const status = decoded.message as Status;
        this.records.presence(status, now);
        sink.enqueue(statusPoints(status, this.o.areas[status.deviceId]), now);
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
    enqueue: ((ctx: PointContext) => Queued) | Queued,
  ): MessageOutcome {
    const verdict = this.tracker.check(head.deviceId, 'telemetry', head.seq, head.ts, now);
    const ctx = { classifier: this.o.classifier, commune: this.o.areas[head.deviceId] };
    const { points, flagged } = !verdict.accept
      ? { points: 0, flagged: 0 }
      : typeof enqueue === 'function'
        ? enqueue(ctx)
        : enqueue;
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

  private queue(sink: PointSink, built: TelemetryPoints, now: number): Queued {
    sink.enqueue(built.points, now);
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
