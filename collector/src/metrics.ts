import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Names of the gauges read from the outbox's depth at scrape time. */
const OUTBOX_GAUGE = {
  points: 'xs_collector_outbox_points',
  rows: 'xs_collector_outbox_rows',
  oldestAge: 'xs_collector_outbox_oldest_age_seconds',
} as const;

/** Every collector number, in its own registry so several collectors (tests) can live in one process. */
export class CollectorMetrics {
  readonly registry = new Registry();
  readonly messages = new Counter({
    name: 'xs_collector_messages_total',
    help: 'MQTT messages handled, by topic kind and outcome',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly deadLetters = new Counter({
    name: 'xs_collector_dead_letters_total',
    help: 'Messages or outbox rows set aside with a reason',
    labelNames: ['stage'] as const,
    registers: [this.registry],
  });
  readonly duplicates = new Counter({
    name: 'xs_collector_duplicates_total',
    help: 'Sequence-numbered messages already seen (redeliveries)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly gaps = new Counter({
    name: 'xs_collector_gaps_total',
    help: 'Sequence gaps detected',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly gapFills = new Counter({
    name: 'xs_collector_gap_fills_total',
    help: 'Missing sequence numbers that arrived later',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly pointsQueued = new Counter({
    name: 'xs_collector_points_queued_total',
    help: 'Points put in the outbox',
    registers: [this.registry],
  });
  readonly pointsWritten = new Counter({
    name: 'xs_collector_points_written_total',
    help: 'Points the time-series store accepted',
    registers: [this.registry],
  });
  readonly writeFailures = new Counter({
    name: 'xs_collector_write_failures_total',
    help: 'Failed store writes, by whether they will be retried',
    labelNames: ['retryable'] as const,
    registers: [this.registry],
  });
  readonly writeLatency = new Histogram({
    name: 'xs_collector_write_seconds',
    help: 'Latency of one batch write to the store',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly ingestLatency = new Histogram({
    name: 'xs_collector_ingest_seconds',
    help: 'From message receipt to durable commit (what delays the PUBACK)',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });
  readonly groupSize = new Histogram({
    name: 'xs_collector_commit_group_messages',
    help: 'MQTT messages committed together in one transaction (one fsync) before their PUBACKs',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [this.registry],
  });
  readonly writeThroughGroups = new Counter({
    name: 'xs_collector_write_through_groups_total',
    help: 'Message groups by route: written straight to the store, or into the outbox (and why)',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });
  /** The gauges a scrape refreshes from the outbox's depth (`outboxPoints`, `outboxRows`, `outboxOldestAge`). */
  static readonly OUTBOX_GAUGES: ReadonlySet<string> = new Set(Object.values(OUTBOX_GAUGE));
  readonly outboxPoints = new Gauge({
    name: OUTBOX_GAUGE.points,
    help: 'Points waiting in the outbox',
    registers: [this.registry],
  });
  readonly outboxRows = new Gauge({
    name: OUTBOX_GAUGE.rows,
    help: 'Outbox rows (one per message) waiting',
    registers: [this.registry],
  });
  readonly outboxOldestAge = new Gauge({
    name: OUTBOX_GAUGE.oldestAge,
    help: 'Age of the oldest outbox row; 0 when empty',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'xs_collector_' });
  }
}
