import { z } from '@hono/zod-openapi';
import { DeviceIdSchema, GroupIdSchema, IdSchema } from '@xaso/device-profiles/contract';

export const DEVICE_ROLES = ['sensor-gateway', 'speaker-cluster'] as const;

export const PositionSchema = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});

export const DeviceViewSchema = z
  .object({
    id: z.string(),
    role: z.enum(DEVICE_ROLES),
    name: z.string().nullable(),
    areaId: z.string().nullable(),
    groups: z.array(z.string()),
    disabled: z.boolean(),
    enrolled: z.boolean(),
    profile: z.string().nullable(),
    position: PositionSchema.nullable(),
    presence: z
      .object({
        state: z.enum(['online', 'offline']),
        ts: z.number().int(),
        receivedAt: z.number().int(),
        source: z.enum(['uplink', 'collector']),
        status: z.unknown(),
      })
      .nullable(),
    createdAt: z.number().int(),
    enrolledAt: z.number().int().nullable(),
    rotatedAt: z.number().int().nullable(),
  })
  .openapi('Device');

export const NewDeviceSchema = z
  .object({
    id: DeviceIdSchema,
    role: z.enum(DEVICE_ROLES),
    name: z.string().min(1).max(200).optional(),
    profile: IdSchema.optional(),
    areaId: GroupIdSchema.optional(),
    position: PositionSchema.optional(),
  })
  .openapi('NewDevice');

export const DevicePatchSchema = z
  .object({
    profile: IdSchema.nullable().optional(),
    position: PositionSchema.nullable().optional(),
  })
  .openapi('DevicePatch');

export const PlacementSchema = z.object({ areaId: GroupIdSchema.nullable() }).openapi('Placement');

export type DeviceView = z.infer<typeof DeviceViewSchema>;
export type NewDeviceInput = z.infer<typeof NewDeviceSchema>;
export type DevicePatch = z.infer<typeof DevicePatchSchema>;
