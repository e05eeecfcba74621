import { z } from 'zod';
import { VolumeSchema } from './broadcast.js';
import { DeviceIdSchema, GroupIdSchema, IdSchema } from './ids.js';
import { SignedFields } from './signed.js';

export const SerialLinkSchema = z.object({
  type: z.literal('rtu'),
  path: z.string().min(1).describe('Serial device, e.g. /dev/ttyUSB0; one RS485 bus per path'),
  baudRate: z.number().int().positive().optional().describe('Defaults to the profile'),
  parity: z.enum(['none', 'even', 'odd']).optional(),
  dataBits: z.union([z.literal(7), z.literal(8)]).optional(),
  stopBits: z.union([z.literal(1), z.literal(2)]).optional(),
});

export const TcpLinkSchema = z.object({
  type: z.literal('tcp'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(502),
});

export const LinkSchema = z.discriminatedUnion('type', [SerialLinkSchema, TcpLinkSchema]);

/** An instrument wired to the gateway and the profile that describes it. */
export const AttachedDeviceSchema = z.object({
  name: IdSchema.describe('Source name used in telemetry'),
  profile: IdSchema.describe('Device profile name'),
  link: LinkSchema,
  unitId: z.number().int().min(0).max(247),
  pollIntervalMs: z.number().int().min(100).max(86_400_000).optional(),
});

/** Retained on a gateway's config topic; what the console may change remotely. */
export const DeviceConfigSchema = z.object({
  v: z.literal(1),
  ...SignedFields,
  deviceId: DeviceIdSchema,
  version: z.number().int().nonnegative(),
  groups: z.array(GroupIdSchema).max(32).describe('Fan-out groups (areas) the device listens to'),
  devices: z
    .array(AttachedDeviceSchema)
    .max(64)
    .optional()
    .describe(
      "Attached instruments; absent keeps the gateway's current list (a push that only moves it to another area)",
    ),
  defaultVolume: VolumeSchema.optional(),
  statusIntervalS: z.number().int().min(5).max(3600).optional(),
});

export type AttachedDevice = z.infer<typeof AttachedDeviceSchema>;
export type Link = z.infer<typeof LinkSchema>;
export type DeviceConfig = z.infer<typeof DeviceConfigSchema>;
/** A config as a gateway runs it: the attached devices resolved. */
export type AppliedDeviceConfig = DeviceConfig & { devices: AttachedDevice[] };
