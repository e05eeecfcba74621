import { DeviceIdSchema, GroupIdSchema } from '@xaso/device-profiles/contract';
import { z } from 'zod';
import { DEVICE_ROLES } from '../policy/principal.js';
import type { DeviceRole } from '../policy/principal.js';
import { RegistryError } from './errors.js';

/** What the registry tells about a device; the secret hash never leaves the registry. */
export interface DeviceRecord {
  id: string;
  role: DeviceRole;
  name: string | null;
  areaId: string | null;
  groups: string[];
  disabled: boolean;
  /** False until the device has enrolled or had a secret issued. */
  hasSecret: boolean;
  createdAt: number;
  enrolledAt: number | null;
  rotatedAt: number | null;
}

export const NewDeviceSchema = z.object({
  id: DeviceIdSchema,
  role: z.enum(DEVICE_ROLES),
  groups: z.array(GroupIdSchema).max(64).optional(),
  areaId: GroupIdSchema.optional(),
  name: z.string().min(1).max(200).optional(),
});
export type NewDevice = z.infer<typeof NewDeviceSchema>;

export const GroupListSchema = z.array(GroupIdSchema).max(64);

export interface DeviceRow {
  id: string;
  role: DeviceRole;
  name: string | null;
  area_id: string | null;
  secret_hash: string | null;
  disabled: 0 | 1;
  created_at: number;
  enrolled_at: number | null;
  rotated_at: number | null;
}

export function toDeviceRecord(row: DeviceRow, groups: string[]): DeviceRecord {
  return {
    id: row.id,
    role: row.role,
    name: row.name,
    areaId: row.area_id,
    groups,
    disabled: row.disabled === 1,
    hasSecret: row.secret_hash !== null,
    createdAt: row.created_at,
    enrolledAt: row.enrolled_at,
    rotatedAt: row.rotated_at,
  };
}

/** Validates input from callers (console, CLI) into a RegistryError naming the offending field. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || what;
  throw new RegistryError(`invalid ${what}: ${field}: ${issue?.message ?? 'invalid value'}`);
}
