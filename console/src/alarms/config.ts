import { z } from 'zod';

/** Automatic warning broadcasts from collector alarms (rules with autoBroadcast). */
export const AlarmWarningConfigSchema = z.object({
  /** Off switch for the whole path; alarms are still recorded as ignored. */
  enabled: z.boolean().default(true),
  /** After a warning in a commune, later alarms there stay silent this long (a flapping sensor). */
  cooldownMs: z
    .number()
    .int()
    .min(0)
    .max(7 * 86_400_000)
    .default(30 * 60_000),
  /** A raised alarm older than this (a retained message after downtime) is recorded, not sounded. */
  maxAgeMs: z
    .number()
    .int()
    .min(1000)
    .max(86_400_000)
    .default(15 * 60_000),
  /** How many times the announcement is played. */
  repeat: z.number().int().min(1).max(20).default(2),
});

export type AlarmWarningConfig = z.infer<typeof AlarmWarningConfigSchema>;
export type AlarmWarningConfigInput = z.input<typeof AlarmWarningConfigSchema>;
