import { z } from '@hono/zod-openapi';

const IndexSchema = z
  .object({
    kind: z.enum(['aqi', 'wqi']),
    value: z.number().int(),
    /** Category name in Vietnamese as the decision words it (Tốt, Trung bình, Kém …). */
    category: z.string(),
    /** The official colour, #rrggbb. */
    colour: z.string(),
    /** VN_AQI: the pollutant with the highest sub-index, when known. */
    dominant: z.string().optional(),
  })
  .openapi('EnvironmentIndex');

const HourIndexSchema = IndexSchema.extend({
  categoryEn: z.string(),
  /** Start of the hour rated. */
  at: z.number().int(),
}).openapi('EnvironmentHourIndex');

export const StationSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['air', 'water']),
    name: z.string(),
    areaId: z.string().nullable(),
    lat: z.number().nullable(),
    lon: z.number().nullable(),
    online: z.boolean(),
    lastReadingAt: z.number().int().nullable(),
    index: IndexSchema.nullable(),
  })
  .openapi('Station');

export const StationListSchema = z.object({ stations: z.array(StationSchema) }).openapi('StationList');

const LimitSchema = z.object({
  standard: z.string(),
  averaging: z.enum(['1h', '8h', '24h', 'year', 'sample']),
  comparison: z.enum(['max', 'min', 'range']),
  limit: z.union([z.number(), z.tuple([z.number(), z.number()])]),
  unit: z.string(),
});

export const StationDetailSchema = z
  .object({
    station: StationSchema,
    channels: z.array(
      z.object({
        field: z.string(),
        unit: z.string(),
        nameVi: z.string(),
        nameEn: z.string(),
        latest: z.object({ value: z.number(), time: z.number().int() }).nullable(),
        limits: z.array(LimitSchema),
      }),
    ),
    /** Hourly VN_AQI (air) or VN_WQI (water) of the last 24 hours, oldest first. */
    last24h: z.array(HourIndexSchema),
  })
  .openapi('StationDetail');

const Column = z.array(z.number().nullable());
export const StationSeriesSchema = z
  .object({
    stationId: z.string(),
    from: z.number().int(),
    to: z.number().int(),
    intervalMs: z.number().int(),
    resolution: z.string(),
    times: z.array(z.number().int()),
    fields: z.array(
      z.object({ field: z.string(), unit: z.string(), mean: Column, min: Column, max: Column }),
    ),
  })
  .openapi('StationSeries');

/** Epoch milliseconds or an ISO 8601 time with offset. */
const Instant = z
  .string()
  .max(40)
  .refine((s) => /^\d{1,15}$/.test(s) || !Number.isNaN(Date.parse(s)), 'epoch ms or ISO 8601 time')
  .transform((s) => (/^\d{1,15}$/.test(s) ? Number(s) : Date.parse(s)));

export const MAX_SERIES_RANGE_MS = 2 * 366 * 86_400_000;

export const SeriesQuerySchema = z
  .object({
    fields: z
      .string()
      .regex(/^[a-z0-9_]+(,[a-z0-9_]+)*$/, 'comma-separated field names such as pm25,pm10')
      .optional()
      .openapi({ example: 'pm25,pm10' }),
    from: Instant.optional().openapi({ type: 'string', example: '2026-11-01T00:00:00+07:00' }),
    to: Instant.optional().openapi({ type: 'string', example: '1795000000000' }),
    maxPoints: z.coerce.number().int().min(10).max(5000).default(1000),
  })
  .superRefine((q, ctx) => {
    if (q.from !== undefined && q.to !== undefined && q.from >= q.to)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    if (q.from !== undefined && q.to !== undefined && q.to - q.from > MAX_SERIES_RANGE_MS)
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'range longer than two years' });
  });

export const ALARM_STATUSES = ['open', 'acknowledged', 'closed'] as const;

export const AlarmSchema = z
  .object({
    id: z.string(),
    ruleId: z.string(),
    stationId: z.string(),
    stationName: z.string().optional(),
    areaId: z.string().nullable().optional(),
    severity: z.enum(['info', 'warning', 'critical']),
    status: z.enum(ALARM_STATUSES),
    raisedAt: z.number().int(),
    acknowledgedAt: z.number().int().optional(),
    acknowledgedBy: z.string().optional(),
    clearedAt: z.number().int().optional(),
    message: z.string(),
    channel: z.string().optional(),
    /** The channel as people call it, when it is a known air or water parameter. */
    channelNameVi: z.string().optional(),
    channelNameEn: z.string().optional(),
    value: z.number().optional(),
    limit: z.union([z.number(), z.array(z.number())]).optional(),
    unit: z.string().optional(),
    standard: z.string().optional(),
    note: z.string().optional(),
  })
  .openapi('EnvironmentAlarm');

export const AlarmListQuerySchema = z.object({
  status: z
    .string()
    .regex(/^(open|acknowledged|closed)(,(open|acknowledged|closed))*$/, 'open, acknowledged and/or closed')
    .default('open,acknowledged')
    .openapi({ example: 'open,acknowledged' }),
  stationId: z.string().min(1).max(64).optional(),
  areaId: z.string().min(1).max(64).optional(),
  from: Instant.optional().openapi({ type: 'string' }),
  to: Instant.optional().openapi({ type: 'string' }),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const AlarmListSchema = z
  .object({ alarms: z.array(AlarmSchema), available: z.boolean(), canAcknowledge: z.boolean() })
  .openapi('EnvironmentAlarmList');

export const AcknowledgeSchema = z.object({
  note: z.string().trim().min(1, 'say what was done or checked').max(1000),
});

const DailySchema = z.object({
  date: z.string(),
  value: z.number().int().nullable(),
  category: z.string().nullable(),
  colour: z.string().nullable(),
  reason: z.string().optional(),
});

export const SummarySchema = z
  .object({
    areaId: z.string(),
    areaName: z.string(),
    from: z.number().int(),
    to: z.number().int(),
    generatedAt: z.number().int(),
    stations: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        kind: z.enum(['air', 'water']),
        index: z.enum(['aqi', 'wqi']),
        daily: z.array(DailySchema),
        exceedances: z.array(
          z.object({
            parameter: z.string(),
            nameVi: z.string(),
            nameEn: z.string(),
            unit: z.string(),
            standard: z.string(),
            averaging: z.string(),
            limit: z.union([z.number(), z.tuple([z.number(), z.number()])]),
            comparison: z.enum(['max', 'min', 'range']),
            hours: z.number().int(),
            hoursWithData: z.number().int(),
          }),
        ),
        completeness: z.object({
          expectedHours: z.number().int(),
          hoursWithData: z.number().int(),
          percent: z.number(),
        }),
      }),
    ),
  })
  .openapi('EnvironmentSummary');
