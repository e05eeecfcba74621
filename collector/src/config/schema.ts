import { DeviceIdSchema, IdSchema } from '@xaso/device-profiles/contract';
import { z } from 'zod';
import { AlarmRuleSchema } from '../quality/index.js';
import { EmbeddedStoreConfigSchema, StoreConfigSchema } from './store-schema.js';

export {
  EmbeddedStoreConfigSchema,
  InfluxStoreConfigSchema,
  StoreConfigSchema,
  type EmbeddedStoreConfig,
  type InfluxStoreConfig,
  type StoreConfig,
} from './store-schema.js';

export const MqttConfigSchema = z.strictObject({
  url: z.string().url().default('mqtt://127.0.0.1:1883'),
  username: z.string().optional(),
  password: z.string().optional(),
  // Our broker wants a service's client id to start with its role.
  clientId: z.string().min(1).max(64).default('collector'),
  /** 4 = MQTT 3.1.1 (aedes), 5 = MQTT 5 (Mosquitto, EMQX). Acks wait for the durable write either way. */
  protocolVersion: z.union([z.literal(4), z.literal(5)]).default(4),
  /** Waiting for CONNACK; short timeouts against a loaded broker pile up sessions that take each other over. */
  connectTimeoutMs: z.number().int().min(1000).default(30_000),
  /**
   * A sequence gap still open this long makes the collector reconnect once, so the broker resends what it
   * still holds unacknowledged (MQTT 3.1.1 resends only at reconnect). 0 turns it off.
   */
  gapReconnectMs: z.number().int().min(0).default(60_000),
  /** Messages that arrive together share one transaction and fsync; these bound one group. */
  groupCommit: z
    .strictObject({
      maxMessages: z.number().int().min(1).max(10_000).default(256),
      maxBytes: z
        .number()
        .int()
        .min(1)
        .default(16 * 1024 * 1024),
    })
    .default({ maxMessages: 256, maxBytes: 16 * 1024 * 1024 }),
});

export const OutboxConfigSchema = z.strictObject({
  /** SQLite file for the outbox and the ingest state (sequences, gaps, dead letters, events, acks, presence). */
  path: z.string().min(1).default('./data/collector.db'),
  batchPoints: z.number().int().min(1).max(1_000_000).default(10_000),
  minBackoffMs: z.number().int().min(1).default(500),
  maxBackoffMs: z.number().int().min(1).default(60_000),
  /**
   * `worker`: the drain (read batch, write to the store, report the rows to delete) runs in a worker thread
   * with its own read-only connection, so ingest keeps a core to itself; `main`: in the ingest thread.
   * A file-less (`:memory:`) outbox or store always drains in the main thread.
   */
  drainer: z.enum(['worker', 'main']).default('worker'),
  /**
   * `write-through`: while the store is healthy and the outbox empty, a group of messages is written straight
   * to the store and acknowledged after its 2xx; a failed or slow write, or a backlog, sends the group to the
   * outbox as `always` does. `always`: every group is committed into the outbox, then drained. Stores that do
   * not take line protocol (the embedded one) always use the outbox. `always` is the default: write-through
   * was not faster in the benchmark (it moves line building and the HTTP write onto the ingest thread).
   */
  mode: z.enum(['write-through', 'always']).default('always'),
  /** Write-through: a write slower than this sends its group to the outbox. */
  writeThroughDeadlineMs: z.number().int().min(50).max(60_000).default(1500),
  /** Write-through: groups whose write may be in flight at once (commits stay in order). */
  writeThroughGroups: z.number().int().min(1).max(16).default(4),
  /**
   * Write-through: messages per group (one POST). Smaller than a group commit's 256, so that one POST is a
   * few thousand points and does not trip the deadline on a busy database.
   */
  writeThroughMaxMessages: z.number().int().min(1).max(10_000).default(40),
});

export const CollectorConfigSchema = z.strictObject({
  mqtt: MqttConfigSchema.default(MqttConfigSchema.parse({})),
  store: StoreConfigSchema.default(EmbeddedStoreConfigSchema.parse({ kind: 'embedded' })),
  outbox: OutboxConfigSchema.default(OutboxConfigSchema.parse({})),
  metrics: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(9464),
    })
    .default({ host: '127.0.0.1', port: 9464 }),
  /** Device → commune (area) id, until the registry provides it. */
  areas: z.record(DeviceIdSchema, IdSchema).default({}),
  /** Device → source name → profile name, for sources whose channels do not tell their domain. */
  sources: z.record(DeviceIdSchema, z.record(z.string(), IdSchema)).default({}),
  alarms: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** QCVN 05:2023 (air 1h/8h/24h) and QCVN 08:2023 (water) limits in force on the start date. */
      qcvn: z.boolean().default(true),
      /** QCVN 08:2023 Table 2 level for the monitored rivers. */
      waterLevel: z.enum(['A', 'B', 'C']).default('B'),
      /** Per-station custom and device-health rules (threshold, station-silent, cluster-offline, amplifier-fault). */
      rules: z.array(AlarmRuleSchema).default([]),
      tickMs: z.number().int().min(100).default(30_000),
    })
    .default({ enabled: true, qcvn: true, waterLevel: 'B', rules: [], tickMs: 30_000 }),
  /** Hourly VN_AQI / VN_WQI written as the `aqi` / `wqi` series. */
  indices: z
    .strictObject({ enabled: z.boolean().default(true), tickMs: z.number().int().min(100).default(60_000) })
    .default({ enabled: true, tickMs: 60_000 }),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

export type CollectorConfig = z.output<typeof CollectorConfigSchema>;
export type CollectorConfigInput = z.input<typeof CollectorConfigSchema>;
