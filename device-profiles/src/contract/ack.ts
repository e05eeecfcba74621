import { z } from 'zod';
import { DeviceIdSchema, EpochMsSchema } from './ids.js';

/** A gateway's answer to a command or a schedule version, in order: received, then playing/done or refused/failed. */
export const AckSchema = z.object({
  v: z.literal(1),
  deviceId: DeviceIdSchema,
  ref: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('command'), commandId: z.string().uuid() }),
    z.object({ kind: z.literal('schedule'), version: z.number().int().nonnegative() }),
    z.object({ kind: z.literal('config'), version: z.number().int().nonnegative() }),
  ]),
  status: z.enum(['received', 'playing', 'done', 'refused', 'failed']),
  reason: z.string().max(500).optional(),
  ts: EpochMsSchema,
});

export type Ack = z.infer<typeof AckSchema>;
