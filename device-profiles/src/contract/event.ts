import { z } from 'zod';
import { PrioritySchema, Sha256Schema } from './broadcast.js';
import { DeviceIdSchema, EpochMsSchema } from './ids.js';

/** Proof of broadcast: every start, end, failure, interruption or missed slot. */
export const PlaybackEventSchema = z.object({
  kind: z.literal('playback'),
  phase: z.enum(['start', 'end', 'failed', 'interrupted', 'missed']),
  broadcastId: z.string().max(64),
  priority: PrioritySchema,
  commandId: z.string().uuid().optional(),
  scheduleVersion: z.number().int().nonnegative().optional(),
  entryId: z.string().max(64).optional(),
  audioId: Sha256Schema.optional(),
  scheduledAt: EpochMsSchema.optional(),
  durationMs: z.number().int().nonnegative().optional(),
  reason: z.string().max(500).optional(),
});

export const FaultEventSchema = z.object({
  kind: z.literal('fault'),
  source: z.string().max(64).describe('Instrument, port or subsystem at fault'),
  code: z.enum([
    'timeout',
    'crc',
    'exception',
    'disconnected',
    'decode',
    'amplifier',
    'player',
    'disk',
    'other',
  ]),
  message: z.string().max(500),
  cleared: z.boolean().default(false),
});

export const ConfigEventSchema = z.object({
  kind: z.literal('config'),
  version: z.number().int().nonnegative(),
  accepted: z.boolean(),
  reason: z.string().max(2000).optional(),
});

export const RefusalEventSchema = z.object({
  kind: z.literal('refused'),
  what: z.enum(['command', 'schedule', 'config']),
  id: z.string().max(64).optional(),
  reason: z.enum([
    'unsigned',
    'bad-signature',
    'expired',
    'replayed',
    'wrong-device',
    'malformed',
    'stale-version',
  ]),
  detail: z.string().max(500).optional(),
});

export const QueueThinnedEventSchema = z.object({
  kind: z.literal('queue-thinned'),
  fromTs: EpochMsSchema,
  toTs: EpochMsSchema,
  removed: z.number().int().nonnegative(),
  keptEvery: z.number().int().min(2),
});

export const LifecycleEventSchema = z.object({
  kind: z.literal('lifecycle'),
  what: z.enum(['boot', 'shutdown', 'uplink-lost', 'uplink-restored', 'tamper-open', 'tamper-closed']),
  detail: z.string().max(500).optional(),
});

export const DeviceEventBodySchema = z.discriminatedUnion('kind', [
  PlaybackEventSchema,
  FaultEventSchema,
  ConfigEventSchema,
  RefusalEventSchema,
  QueueThinnedEventSchema,
  LifecycleEventSchema,
]);

/** Events go through the gateway's store-and-forward queue like telemetry, with their own sequence. */
export const DeviceEventSchema = z.object({
  v: z.literal(1),
  deviceId: DeviceIdSchema,
  seq: z
    .number()
    .int()
    .nonnegative()
    .describe('Per device and topic, strictly increasing: dedupe and gap detection'),
  ts: EpochMsSchema,
  event: DeviceEventBodySchema,
});

export type DeviceEvent = z.infer<typeof DeviceEventSchema>;
export type DeviceEventBody = z.infer<typeof DeviceEventBodySchema>;
