import { z } from 'zod';
import { DeviceIdSchema, EpochMsSchema } from './ids.js';
import { UnitSchema } from './units.js';

/** Published by the collector on a station's alarm topic at every change of state. */
export const AlarmSchema = z.object({
  v: z.literal(1),
  id: z.string().min(1).max(64),
  stationId: DeviceIdSchema,
  ruleId: z.string().min(1).max(64),
  state: z.enum(['raised', 'acknowledged', 'cleared']),
  severity: z.enum(['info', 'warning', 'critical']),
  ts: EpochMsSchema,
  channel: z.string().max(64).optional(),
  value: z.number().optional(),
  limit: z.number().optional(),
  unit: UnitSchema.optional(),
  standard: z.string().max(64).optional().describe('e.g. QCVN 05:2023/BTNMT'),
  message: z.string().max(500),
  by: z.string().max(128).optional().describe('Who acknowledged it'),
  autoBroadcast: z
    .boolean()
    .optional()
    .describe("The rule asks for an automatic warning broadcast to the station's commune when raised"),
});

export type Alarm = z.infer<typeof AlarmSchema>;
