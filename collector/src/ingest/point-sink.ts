import type { OutboxEncoding } from '../outbox/outbox.js';
import { toLines } from '../store/influx/line-protocol.js';
import type { Point } from '../store/types.js';

/** Where an accepted message's points go: the outbox (`Outbox` is one), or a body written straight through. */
export interface PointSink {
  readonly encoding: OutboxEncoding;
  readonly keepsColumns: boolean;
  enqueue(points: readonly Point[], now?: number): void;
  enqueueLines(lines: string, count: number, now?: number): void;
  enqueueColumns(payload: string, count: number, now?: number): void;
}

/** Collects one message's points as line protocol, for a write-through POST instead of an outbox row. */
export class LineSink implements PointSink {
  readonly encoding = 'lp';
  readonly keepsColumns = false;
  readonly chunks: string[] = [];
  points = 0;

  enqueue(points: readonly Point[]): void {
    if (points.length === 0) return;
    this.chunks.push(toLines(points).join('\n'));
    this.points += points.length;
  }

  enqueueLines(lines: string, count: number): void {
    if (count === 0) return;
    this.chunks.push(lines);
    this.points += count;
  }

  enqueueColumns(): void {
    throw new Error('a line sink takes lines, not telemetry tables');
  }
}

/** For a message whose points the store already accepted: its commit records state but queues nothing. */
export const ALREADY_WRITTEN: PointSink = {
  encoding: 'lp',
  keepsColumns: false,
  enqueue: () => undefined,
  enqueueLines: () => undefined,
  enqueueColumns: () => undefined,
};
