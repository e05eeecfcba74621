import { PrioritySchema, Sha256Schema, VolumeSchema } from '@xaso/device-profiles/contract';
import { z } from 'zod';
import { TargetSchema } from '../targets.js';
import type { Target } from '../targets.js';

const Common = {
  targets: z.array(TargetSchema).min(1, 'name at least one target').max(100),
  title: z.string().trim().max(200).optional(),
  volume: VolumeSchema.optional(),
};

/** Play an audio item (or several) now, or relay a live stream, on the targets. */
export const BroadcastRequestSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('play'),
    ...Common,
    playlist: z.array(Sha256Schema).min(1, 'add at least one audio item').max(100),
    repeat: z.number().int().min(1).max(20).default(1),
    priority: PrioritySchema.default('normal'),
  }),
  z.object({
    kind: z.literal('live'),
    ...Common,
    url: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//.test(u), 'an http(s) stream URL (Icecast/HTTP)'),
    durationS: z.number().int().positive().max(86_400).optional(),
    fallback: Sha256Schema.optional(),
    priority: PrioritySchema.default('normal'),
  }),
]);
export type BroadcastRequest = z.infer<typeof BroadcastRequestSchema>;

/** An emergency warning: always `emergency` priority, repeated, loud, through group topics. */
export const EmergencyRequestSchema = z.object({
  ...Common,
  playlist: z.array(Sha256Schema).min(1, 'add at least one audio item').max(100),
  repeat: z.number().int().min(1).max(20).default(3),
  volume: VolumeSchema.default(100),
});
export type EmergencyRequest = z.infer<typeof EmergencyRequestSchema>;

export type BroadcastStatus = 'pending-approval' | 'sent' | 'rejected' | 'stopped';
export type BroadcastOrigin = 'console' | 'cap' | 'alarm' | 'information-source';

export interface BroadcastRecord {
  id: string;
  kind: 'play' | 'live';
  priority: z.infer<typeof PrioritySchema>;
  targets: Target[];
  request: BroadcastRequest;
  status: BroadcastStatus;
  origin: BroadcastOrigin;
  clusters: string[];
  commandIds: string[];
  createdBy: string;
  createdAt: number;
  approvedBy: string | null;
  decidedAt: number | null;
  decisionNote: string | null;
  sentAt: number | null;
}
