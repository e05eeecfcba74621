import type { Collector, MessageOutcome } from '@xaso/collector';

/** Counts telemetry the collector stored, per gateway, for the periodic one-line summary. */
export class ReadingTally {
  private readonly batchesBy = new Map<string, number>();
  private readings = 0;
  private allReportedAt: number | undefined;

  constructor(private readonly expected: ReadonlySet<string>) {}

  attach(collector: Collector): void {
    collector.observe((outcome: MessageOutcome) => {
      if (outcome.kind !== 'telemetry' || outcome.outcome !== 'stored') return;
      const id = outcome.batch.deviceId;
      this.batchesBy.set(id, (this.batchesBy.get(id) ?? 0) + 1);
      this.readings += outcome.batch.readings.length;
    });
  }

  get reporting(): number {
    return [...this.expected].filter((id) => this.batchesBy.has(id)).length;
  }

  /** True once, the first time every expected gateway has delivered readings. */
  justCompleted(): boolean {
    if (this.allReportedAt !== undefined || this.expected.size === 0) return false;
    if (this.reporting < this.expected.size) return false;
    this.allReportedAt = Date.now();
    return true;
  }

  summary(outboxPoints: number): string {
    const batches = [...this.batchesBy.values()].reduce((a, b) => a + b, 0);
    const stations = this.expected.size > 0 ? ` from ${this.reporting}/${this.expected.size} stations` : '';
    return `${batches} telemetry batches (${this.readings} readings) stored${stations}; collector outbox ${outboxPoints} points`;
  }
}
