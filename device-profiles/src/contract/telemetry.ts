import { z } from 'zod';
import { DeviceIdSchema, EpochMsSchema } from './ids.js';
import { QualitySchema, UnitSchema } from './units.js';

export const ReadingSchema = z.object({
  source: z.string().min(1).max(64).describe('Attached instrument, as named in the gateway configuration'),
  channel: z.string().min(1).max(64).describe('Measured quantity, e.g. pm25, ph'),
  value: z.number().nullable().describe('Engineering value after scale/offset; null when unreadable'),
  unit: UnitSchema,
  ts: EpochMsSchema.describe('When the gateway read it'),
  quality: QualitySchema,
});

/** Set when the gateway's disk budget forced it to downsample old readings (reported, not hidden). */
export const ThinningSchema = z.object({
  fromTs: EpochMsSchema,
  toTs: EpochMsSchema,
  keptEvery: z.number().int().min(2).describe('One reading in N was kept in that span'),
});

export const TelemetryBatchSchema = z.object({
  v: z.literal(1),
  deviceId: DeviceIdSchema,
  seq: z
    .number()
    .int()
    .nonnegative()
    .describe('Per device and topic, strictly increasing: dedupe and gap detection'),
  ts: EpochMsSchema,
  readings: z.array(ReadingSchema).min(1).max(5000),
  thinned: ThinningSchema.optional(),
});

export type Reading = z.infer<typeof ReadingSchema>;
export type TelemetryBatch = z.infer<typeof TelemetryBatchSchema>;

/** One channel of a columnar batch: a value (and a quality) for every instant of `times`. */
export const TelemetryColumnSchema = z.object({
  source: ReadingSchema.shape.source,
  channel: ReadingSchema.shape.channel,
  unit: UnitSchema,
  values: z.array(z.number().nullable()).describe('One per entry of `times`; null when unreadable'),
  quality: z
    .union([QualitySchema, z.array(QualitySchema)])
    .describe('One quality for the whole column, or one per entry of `times`'),
});

/**
 * The same readings as a table (instants × channels), for bulk telemetry: each reading no longer repeats
 * source, unit, quality and ts, so a batch is ~20× smaller and decodes without an object per reading.
 * v 2 marks it; receivers accept both forms (TelemetryMessageSchema), v 1 stays valid.
 */
export const TelemetryColumnsSchema = z
  .object({
    v: z.literal(2),
    deviceId: DeviceIdSchema,
    seq: TelemetryBatchSchema.shape.seq,
    ts: EpochMsSchema,
    times: z.array(EpochMsSchema).min(1).max(5000).describe('Reading instants, in the order of the values'),
    columns: z
      .array(TelemetryColumnSchema)
      .min(1)
      .max(5000)
      .describe('One per channel, each with one value per time; times × columns ≤ 5000'),
    thinned: ThinningSchema.optional(),
  })
  .superRefine((b, ctx) => {
    if (b.times.length * b.columns.length > 5000)
      ctx.addIssue({ code: 'custom', path: ['columns'], message: 'at most 5000 readings (times × columns)' });
    for (const [i, c] of b.columns.entries()) {
      if (c.values.length !== b.times.length)
        ctx.addIssue({
          code: 'custom',
          path: ['columns', i, 'values'],
          message: `${c.values.length} values for ${b.times.length} times`,
        });
      if (Array.isArray(c.quality) && c.quality.length !== b.times.length)
        ctx.addIssue({
          code: 'custom',
          path: ['columns', i, 'quality'],
          message: `${c.quality.length} qualities for ${b.times.length} times`,
        });
    }
  });

export type TelemetryColumn = z.infer<typeof TelemetryColumnSchema>;
export type TelemetryColumns = z.infer<typeof TelemetryColumnsSchema>;

/** The readings of a validated columnar batch, instant by instant: exactly the batch it was made from. */
export function expandTelemetryColumns(b: TelemetryColumns): TelemetryBatch {
  const readings: Reading[] = [];
  for (const [i, ts] of b.times.entries()) {
    for (const c of b.columns) {
      const value = c.values[i];
      const quality = typeof c.quality === 'string' ? c.quality : c.quality[i];
      if (value === undefined || quality === undefined)
        throw new Error(`column ${c.source}/${c.channel} is shorter than times`);
      readings.push({ source: c.source, channel: c.channel, value, unit: c.unit, ts, quality });
    }
  }
  const batch: TelemetryBatch = { v: 1, deviceId: b.deviceId, seq: b.seq, ts: b.ts, readings };
  if (b.thinned) batch.thinned = b.thinned;
  return batch;
}

/** The columnar form of a batch whose readings form a table, or null (then the batch travels as it is). */
export function toTelemetryColumns(b: TelemetryBatch): TelemetryColumns | null {
  const first = b.readings[0];
  if (!first) return null;
  // The first instant's readings name the columns; every later instant must repeat them in that order.
  let width = 0;
  while (b.readings[width]?.ts === first.ts) width++;
  if (b.readings.length % width !== 0) return null;
  const heads = b.readings.slice(0, width);
  if (new Set(heads.map((r) => JSON.stringify([r.source, r.channel]))).size !== width) return null;
  const times: number[] = [];
  const values = heads.map((): Array<number | null> => []);
  const qualities = heads.map((): Reading['quality'][] => []);
  for (let i = 0; i < b.readings.length; i += width) {
    const ts = (b.readings[i] as Reading).ts;
    times.push(ts);
    for (const [k, head] of heads.entries()) {
      const r = b.readings[i + k] as Reading;
      if (r.ts !== ts || r.source !== head.source || r.channel !== head.channel || r.unit !== head.unit)
        return null;
      values[k]?.push(r.value);
      qualities[k]?.push(r.quality);
    }
  }
  const columns = heads.map((head, k): TelemetryColumn => {
    const q = qualities[k] ?? [];
    const uniform = q.every((x) => x === head.quality);
    return {
      source: head.source,
      channel: head.channel,
      unit: head.unit,
      values: values[k] ?? [],
      quality: uniform ? head.quality : q,
    };
  });
  const out: TelemetryColumns = { v: 2, deviceId: b.deviceId, seq: b.seq, ts: b.ts, times, columns };
  if (b.thinned) out.thinned = b.thinned;
  return out;
}

/** A telemetry payload as it travels: the reading list (v 1) or the columnar table (v 2). */
export const TelemetryPayloadSchema = z.discriminatedUnion('v', [
  TelemetryBatchSchema,
  TelemetryColumnsSchema,
]);
export type TelemetryPayload = z.infer<typeof TelemetryPayloadSchema>;

/** What the telemetry topic carries, decoded to the reading list whichever form it came in. */
export const TelemetryMessageSchema = TelemetryPayloadSchema.transform(
  (m): TelemetryBatch => (m.v === 2 ? expandTelemetryColumns(m) : m),
);
