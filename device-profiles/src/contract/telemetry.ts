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
