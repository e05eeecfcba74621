import { z } from 'zod';
import { StoreConfigSchema } from '../config/store-schema.js';

/** What a drain worker is started with (`workerData`). */
export const DrainWorkerDataSchema = z.object({
  statePath: z.string().min(1),
  store: StoreConfigSchema,
  batchPoints: z.number().int().min(1),
  minBackoffMs: z.number().int().min(1),
  maxBackoffMs: z.number().int().min(1),
  logLevel: z.string().min(1),
  /** What a `columns` row needs to become lines (as `CollectorConfig.sources` and `.areas`). */
  sources: z.record(z.string(), z.record(z.string(), z.string())),
  areas: z.record(z.string(), z.string()),
});
export type DrainWorkerData = z.infer<typeof DrainWorkerDataSchema>;

/** Main thread → drain worker. */
export const DrainCommandSchema = z.discriminatedUnion('type', [
  /** Start draining (after `ready`, once the main thread's interim drainer has stopped). */
  z.object({ type: z.literal('start') }),
  /** New rows were committed: skip the idle wait. */
  z.object({ type: z.literal('notify') }),
  /** Stop after the write in flight; answered by `stopped`. */
  z.object({ type: z.literal('stop') }),
  /** Write until empty or `ms` passed; answered by `drained`. */
  z.object({ type: z.literal('drain'), ms: z.number().int().min(0) }),
  /** Close the store and the connection, then end; answered by `closed`. */
  z.object({ type: z.literal('close') }),
]);
export type DrainCommand = z.infer<typeof DrainCommandSchema>;

const rows = { ids: z.array(z.number().int()).min(1), pointCount: z.number().int().min(0) };

/** Drain worker → main thread: the rows to delete or set aside (the worker only reads), metrics, logs. */
export const DrainEventSchema = z.discriminatedUnion('type', [
  /** Loaded and connected; waits for `start`. */
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('remove'), ...rows }),
  z.object({ type: z.literal('set-aside'), ...rows, reason: z.string() }),
  z.object({ type: z.literal('latency'), seconds: z.number().min(0) }),
  z.object({ type: z.literal('written'), points: z.number().int().min(0) }),
  z.object({ type: z.literal('write-failure'), retryable: z.enum(['true', 'false']) }),
  z.object({ type: z.literal('dead-letter'), stage: z.string() }),
  z.object({ type: z.literal('state'), failures: z.number().int().min(0), lastError: z.string().nullable() }),
  /** One pino record (JSON text), logged again through the collector's logger. */
  z.object({ type: z.literal('log'), record: z.string() }),
  z.object({ type: z.literal('stopped') }),
  z.object({ type: z.literal('drained'), empty: z.boolean() }),
  z.object({ type: z.literal('closed') }),
]);
export type DrainEvent = z.infer<typeof DrainEventSchema>;
