import { CronSchema } from '@xaso/device-profiles/contract';
import { z } from 'zod';
import { LocalDateSchema, LocalTimeSchema, localToEpoch, parseTimeOfDay } from '../time.js';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** How people describe when a broadcast plays; compiled to the contract's cron or `at`. */
export const RecurrenceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('once'), date: LocalDateSchema, time: LocalTimeSchema }),
  z.object({ kind: z.literal('daily'), time: LocalTimeSchema }),
  z.object({
    kind: z.literal('weekly'),
    days: z.array(z.enum(WEEKDAYS)).min(1, 'pick at least one day').max(7),
    time: LocalTimeSchema,
  }),
  z.object({
    kind: z.literal('dates'),
    dates: z.array(LocalDateSchema).min(1, 'pick at least one date').max(366),
    time: LocalTimeSchema,
  }),
  z.object({ kind: z.literal('cron'), cron: CronSchema }),
]);
export type Recurrence = z.infer<typeof RecurrenceSchema>;

/** The start rule of one contract entry: exactly one of cron or at. */
export type StartRule = { cron: string } | { at: number };

function cronAt(time: string, weekdays: string): string {
  const { hour, minute, second } = parseTimeOfDay(time);
  return `${second} ${minute} ${hour} * * ${weekdays}`;
}

/** Start rules for a recurrence: one cron for daily/weekly/cron, one `at` per date otherwise. */
export function startRules(recurrence: Recurrence): StartRule[] {
  switch (recurrence.kind) {
    case 'once':
      return [{ at: localToEpoch(recurrence.date, recurrence.time) }];
    case 'dates':
      return [...new Set(recurrence.dates)].sort().map((d) => ({ at: localToEpoch(d, recurrence.time) }));
    case 'daily':
      return [{ cron: cronAt(recurrence.time, '*') }];
    case 'weekly': {
      const days = [...new Set(recurrence.days.map((d) => WEEKDAYS.indexOf(d)))].sort((a, b) => a - b);
      return [{ cron: cronAt(recurrence.time, days.join(',')) }];
    }
    case 'cron':
      return [{ cron: recurrence.cron }];
  }
}
