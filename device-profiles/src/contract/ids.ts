import { z } from 'zod';

const ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
const ID_MAX = 64;

/** Identifiers that appear as one topic level: no MQTT separators or wildcards, bounded length. */
export const IdSchema = z
  .string()
  .min(1)
  .max(ID_MAX)
  .regex(ID_PATTERN, 'use lower-case letters, digits, ".", "_" or "-" (no "/", "+", "#")');

/** IdSchema's check without building a result: topic parsing runs it on every message. */
export function isId(s: string): boolean {
  return s.length <= ID_MAX && ID_PATTERN.test(s);
}

export const DeviceIdSchema = IdSchema.describe('Device id: the MQTT username and one topic level');
export const GroupIdSchema = IdSchema.describe('Group or area id used for fan-out topics');

/** UTC epoch milliseconds, the only time format on the wire. */
export const EpochMsSchema = z.number().int().nonnegative().describe('UTC epoch milliseconds');

export type DeviceId = z.infer<typeof DeviceIdSchema>;
export type GroupId = z.infer<typeof GroupIdSchema>;
