import { z } from '@hono/zod-openapi';
import { DAY_MS, localDayStart } from './local-time.js';

const MAX_DAYS = 366;
const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date as yyyy-mm-dd (local Vietnamese date)')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'not a calendar date');

/** The query every report takes: one area and a period of local Vietnamese days (inclusive), at most a year. */
export const ReportPeriodQuerySchema = z
  .object({
    areaId: z.string().min(1).max(64).openapi({ example: 'xa-phuoc-vinh' }),
    from: IsoDate.openapi({ example: '2026-11-01' }),
    to: IsoDate.openapi({ example: '2026-11-30', description: 'Inclusive' }),
  })
  .superRefine((q, ctx) => {
    const span = (localDayStart(q.to) - localDayStart(q.from)) / DAY_MS;
    if (span < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    if (span >= MAX_DAYS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `period longer than ${MAX_DAYS} days` });
  });
export type ReportPeriodQuery = z.infer<typeof ReportPeriodQuerySchema>;
