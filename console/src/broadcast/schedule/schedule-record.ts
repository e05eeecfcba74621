import { PrioritySchema, Sha256Schema, VolumeSchema } from '@xaso/device-profiles/contract';
import { z } from 'zod';
import { TargetSchema } from '../targets.js';
import type { Target } from '../targets.js';
import { DAY_MS, LocalDateSchema, localToEpoch } from '../time.js';
import type { Conflict } from './conflicts.js';
import { RecurrenceSchema } from './recurrence.js';
import type { Recurrence } from './recurrence.js';

/** What a user sends to create or replace a schedule. */
export const ScheduleInputSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    target: TargetSchema,
    recurrence: RecurrenceSchema,
    playlist: z.array(Sha256Schema).min(1, 'add at least one audio item').max(100),
    validFrom: LocalDateSchema.optional().describe('First day (Asia/Ho_Chi_Minh); today when left out'),
    validTo: LocalDateSchema.optional().describe('Last day, inclusive'),
    volume: VolumeSchema.default(80),
    priority: PrioritySchema.default('normal'),
    /** Save despite overlapping slots; the overlaps are kept as warnings on the schedule. */
    allowConflicts: z.boolean().default(false),
  })
  .refine((s) => s.validTo === undefined || s.validFrom === undefined || s.validTo >= s.validFrom, {
    message: 'validTo is before validFrom',
    path: ['validTo'],
  });
export type ScheduleInput = z.infer<typeof ScheduleInputSchema>;

export type ScheduleStatus = 'active' | 'pending-approval' | 'rejected';
export type ScheduleOrigin = 'commune' | 'bulletin';

export interface ScheduleRecord {
  id: string;
  title: string;
  target: Target;
  recurrence: Recurrence;
  playlist: string[];
  volume: number;
  priority: z.infer<typeof PrioritySchema>;
  validFrom: number;
  validTo: number | null;
  status: ScheduleStatus;
  origin: ScheduleOrigin;
  warnings: Conflict[];
  createdBy: string;
  approvedBy: string | null;
  createdAt: number;
  updatedAt: number;
}

/** Validity in epoch ms: from local midnight of validFrom to the end of validTo (exclusive). */
export function validityOf(input: ScheduleInput, now: number): { validFrom: number; validTo: number | null } {
  const validFrom = input.validFrom ? localToEpoch(input.validFrom) : now;
  const validTo = input.validTo ? localToEpoch(input.validTo) + DAY_MS : null;
  return { validFrom, validTo };
}
