import { z } from 'zod';
import { PlaylistItemSchema, PrioritySchema, VolumeSchema } from './broadcast.js';
import { DeviceIdSchema, GroupIdSchema } from './ids.js';
import { SignedFields } from './signed.js';

export const CommandTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('device'), deviceId: DeviceIdSchema }),
  z.object({ kind: z.literal('group'), groupId: GroupIdSchema }),
]);

export const CommandBodySchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('play'),
    broadcastId: z.string().min(1).max(64),
    priority: PrioritySchema,
    playlist: z.array(PlaylistItemSchema).min(1).max(100),
    repeat: z.number().int().min(1).max(20).default(1),
    volume: VolumeSchema.optional(),
  }),
  z.object({
    type: z.literal('live'),
    broadcastId: z.string().min(1).max(64),
    priority: PrioritySchema,
    url: z.string().url(),
    durationS: z.number().int().positive().max(86_400).optional(),
    fallback: PlaylistItemSchema.optional(),
    volume: VolumeSchema.optional(),
  }),
  z.object({ type: z.literal('stop'), broadcastId: z.string().min(1).max(64).optional() }),
  z.object({ type: z.literal('set-volume'), volume: VolumeSchema }),
  z.object({ type: z.literal('amplifier'), on: z.boolean() }),
  z.object({ type: z.literal('reboot') }),
  z.object({ type: z.literal('ping') }),
]);

/** Sent on a device's command topic or a group's fan-out topic; always signed by the console. */
export const CommandSchema = z.object({
  v: z.literal(1),
  ...SignedFields,
  target: CommandTargetSchema,
  body: CommandBodySchema,
});

export type Command = z.infer<typeof CommandSchema>;
export type CommandBody = z.infer<typeof CommandBodySchema>;
export type CommandTarget = z.infer<typeof CommandTargetSchema>;
