import { z } from 'zod';

/** The time-series store's settings, apart from the rest so a drain worker loads only these. */
export const EmbeddedStoreConfigSchema = z.strictObject({
  kind: z.literal('embedded'),
  path: z.string().min(1).default('./data/timeseries.db'),
  rawRetentionDays: z.number().positive().default(30),
  rollup5mRetentionDays: z.number().positive().default(400),
});

export const InfluxStoreConfigSchema = z
  .strictObject({
    kind: z.literal('influxdb'),
    url: z.string().url(),
    version: z.enum(['auto', '1', '2']).default('auto'),
    /** 1.x: database and retention policy; 2.x/3.x reads use the same name through the v1-compatible /query. */
    db: z.string().min(1).default('xaso'),
    rp: z.string().min(1).optional(),
    /** 1.x: retention policy that continuous queries downsample into (created at start). */
    longRp: z.string().min(1).default('xaso_long'),
    rawRetention: z
      .string()
      .regex(/^(INF|\d+[hdw])$/, 'an InfluxQL duration such as 30d, 52w or INF')
      .default('30d'),
    longRetention: z
      .string()
      .regex(/^(INF|\d+[hdw])$/, 'an InfluxQL duration such as 30d, 52w or INF')
      .default('INF'),
    /** 1.x: set to false when an administrator manages databases, policies and CQs by hand. */
    manageSchema: z.boolean().default(true),
    username: z.string().optional(),
    password: z.string().optional(),
    org: z.string().default(''),
    bucket: z.string().optional(),
    token: z.string().optional(),
    timeoutMs: z.number().int().positive().default(10_000),
  })
  .refine((c) => c.version !== '2' || c.bucket !== undefined || c.db !== undefined, {
    message: 'version 2 needs a bucket (or db, used as the bucket name)',
  });

export const StoreConfigSchema = z.discriminatedUnion('kind', [
  EmbeddedStoreConfigSchema,
  InfluxStoreConfigSchema,
]);

export type StoreConfig = z.output<typeof StoreConfigSchema>;
export type InfluxStoreConfig = z.output<typeof InfluxStoreConfigSchema>;
export type EmbeddedStoreConfig = z.output<typeof EmbeddedStoreConfigSchema>;
