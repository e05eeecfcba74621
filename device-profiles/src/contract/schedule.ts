import { z } from 'zod';
import { PlaylistItemSchema, PrioritySchema, VolumeSchema } from './broadcast.js';
import { cronProblem } from './cron.js';
import { DeviceIdSchema, EpochMsSchema } from './ids.js';
import { SignedFields } from './signed.js';

export const CronSchema = z.string().superRefine((expr, ctx) => {
  const problem = cronProblem(expr);
  if (problem) ctx.addIssue({ code: 'custom', message: `invalid cron: ${problem}` });
});

/** One slot of a cluster's programme: recurring by cron or once at a time, within a validity window. */
export const ScheduleEntrySchema = z
  .object({
    id: z.string().min(1).max(64),
    broadcastId: z.string().min(1).max(64),
    title: z.string().max(200),
    cron: CronSchema.optional().describe(
      'Recurring start: 5 or 6 cron fields (seconds optional, first) in the schedule timezone; exactly one of cron or at',
    ),
    at: EpochMsSchema.optional().describe('One-off start time; exactly one of cron or at'),
    validFrom: EpochMsSchema,
    validTo: EpochMsSchema.optional(),
    playlist: z.array(PlaylistItemSchema).min(1).max(100),
    volume: VolumeSchema,
    priority: PrioritySchema,
  })
  .refine((e) => (e.cron === undefined) !== (e.at === undefined), {
    message: 'an entry has exactly one of cron or at',
    path: ['cron'],
  });

/** Retained on a cluster's schedule topic; the gateway runs the highest version it has verified. */
export const ScheduleSchema = z.object({
  v: z.literal(1),
  ...SignedFields,
  deviceId: DeviceIdSchema,
  version: z.number().int().nonnegative(),
  timezone: z.literal('Asia/Ho_Chi_Minh'),
  entries: z.array(ScheduleEntrySchema).max(500),
});

export type Schedule = z.infer<typeof ScheduleSchema>;
export type ScheduleEntry = z.infer<typeof ScheduleEntrySchema>;
