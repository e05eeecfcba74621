import { z } from 'zod';

/** One value of one series at one instant; (measurement, tags, field, time) is its identity, so rewrites overwrite. */
export const PointSchema = z.object({
  measurement: z.string().min(1),
  tags: z.record(z.string(), z.string().min(1)),
  fields: z.record(z.string(), z.number()),
  /** UTC epoch milliseconds. */
  time: z.number().int(),
});
export type Point = z.infer<typeof PointSchema>;

export const AGGREGATES = ['mean', 'min', 'max', 'count'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export const SeriesQuerySchema = z.object({
  measurement: z.string().min(1),
  fields: z.array(z.string().min(1)).min(1),
  /** Tag equality filters, e.g. { device: 'aqms-01' }. */
  where: z.record(z.string(), z.string()).default({}),
  from: z.number().int(),
  to: z.number().int(),
  aggregate: z.enum(AGGREGATES).default('mean'),
  /** Downsample to at most this many buckets per series (a chart's width). */
  maxPoints: z.number().int().min(1).max(100_000).default(1000),
  /** `raw` skips rollups: for computations on the latest hours, which a 1.x CQ may not have reached yet. */
  resolution: z.enum(['auto', 'raw']).default('auto'),
});
export type SeriesQuery = z.input<typeof SeriesQuerySchema>;
export type ResolvedSeriesQuery = z.output<typeof SeriesQuerySchema>;

export const LatestQuerySchema = z.object({
  measurement: z.string().min(1),
  fields: z.array(z.string().min(1)).min(1),
  where: z.record(z.string(), z.string()).default({}),
});
export type LatestQuery = z.input<typeof LatestQuerySchema>;

export interface Series {
  tags: Record<string, string>;
  field: string;
  /** [bucket start ms, value]; empty buckets are left out. */
  points: Array<[number, number]>;
}

export interface QueryResult {
  /** Width of each bucket actually used, in ms (rounded up to the resolution read). */
  intervalMs: number;
  /** Which resolution answered: raw points or a rollup. */
  resolution: string;
  series: Series[];
}

export interface LatestValue {
  tags: Record<string, string>;
  field: string;
  time: number;
  value: number;
}

/** The one interface the collector writes through and the console reads through. */
export interface TimeSeriesStore {
  readonly kind: string;
  /** Idempotent: the same (series, field, time) overwrites. Throws StoreWriteError. */
  write(points: readonly Point[]): Promise<void>;
  /**
   * Line protocol (ms precision, newline-separated) written as it is: stores that speak it let the outbox
   * keep ready lines, so the drain neither parses nor encodes. Same guarantees as `write`.
   */
  writeLines?(lines: string | Buffer<ArrayBuffer>): Promise<void>;
  query(q: SeriesQuery): Promise<QueryResult>;
  latest(q: LatestQuery): Promise<LatestValue[]>;
  close(): Promise<void>;
}

/** A failed write, with what the outbox needs to decide: retry (when), or set the batch aside. */
export class StoreWriteError extends Error {
  override name = 'StoreWriteError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

/** Bucket width for a range drawn with at most maxPoints buckets. */
export function bucketWidth(from: number, to: number, maxPoints: number): number {
  return Math.max(1, Math.ceil((to - from) / maxPoints));
}
