import { z } from 'zod';

/** Identifiers that appear as one topic level: no MQTT separators or wildcards, bounded length. */
export const IdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "_" or "-" (no "/", "+", "#")');

export const DeviceIdSchema = IdSchema.describe('Device id: the MQTT username and one topic level');
export const GroupIdSchema = IdSchema.describe('Group or area id used for fan-out topics');

/** UTC epoch milliseconds, the only time format on the wire. */
export const EpochMsSchema = z.number().int().nonnegative().describe('UTC epoch milliseconds');

export type DeviceId = z.infer<typeof DeviceIdSchema>;
export type GroupId = z.infer<typeof GroupIdSchema>;
