import { DeviceIdSchema } from '@xaso/device-profiles/contract';
import { z } from 'zod';
import { type QcvnLimit, type WaterLevel, limitsInForce } from './qcvn-limits.js';

const RuleBase = {
  id: z.string().min(1).max(64),
  severity: z.enum(['info', 'warning', 'critical']).default('warning'),
  /** Stations (or devices) the rule watches; absent = every station seen. */
  stationIds: z.array(DeviceIdSchema).min(1).optional(),
  message: z.string().max(200).optional(),
  /** When raised, ask for an automatic warning broadcast to the affected commune's loudspeaker clusters. */
  autoBroadcast: z.boolean().default(false),
};

const ms = z.number().int().nonnegative();

export const ThresholdRuleSchema = z
  .object({
    ...RuleBase,
    kind: z.literal('threshold'),
    channel: z.string().min(1).max(64),
    /** The readings' averaging period this rule applies to (the caller feeds matching averages). */
    averaging: z.enum(['1h', '8h', '24h', 'year', 'sample']).default('sample'),
    comparison: z.enum(['max', 'min', 'range']),
    limit: z.union([z.number().finite(), z.tuple([z.number().finite(), z.number().finite()])]),
    /** Clears only once the value is back inside the limit by this fraction (e.g. 0.1: below 90 % of a max). */
    hysteresis: z.number().min(0).max(0.5).default(0.05),
    /** The breach must hold this long before the alarm is raised. */
    raiseAfterMs: ms.default(0),
    /** The value must stay clear this long before the alarm clears. */
    clearAfterMs: ms.default(0),
    standard: z.string().max(64).optional(),
    unit: z.string().max(16).optional(),
  })
  .refine((r) => (r.comparison === 'range') === Array.isArray(r.limit), {
    message: 'a range rule takes limit [low, high]; max and min rules take one number',
  })
  .refine((r) => !Array.isArray(r.limit) || r.limit[0] < r.limit[1], {
    message: 'range limit needs low < high',
  });

export const StationSilentRuleSchema = z.object({
  ...RuleBase,
  kind: z.literal('station-silent'),
  silentForMs: ms.min(1),
});

export const ClusterOfflineRuleSchema = z.object({
  ...RuleBase,
  kind: z.literal('cluster-offline'),
  /** Raised once the cluster has reported offline (or its last will fired) for this long. */
  offlineForMs: ms.default(0),
});

export const AmplifierFaultRuleSchema = z.object({
  ...RuleBase,
  kind: z.literal('amplifier-fault'),
  raiseAfterMs: ms.default(0),
});

export const AlarmRuleSchema = z.union([
  ThresholdRuleSchema,
  StationSilentRuleSchema,
  ClusterOfflineRuleSchema,
  AmplifierFaultRuleSchema,
]);
export type AlarmRule = z.infer<typeof AlarmRuleSchema>;
export type ThresholdRule = z.infer<typeof ThresholdRuleSchema>;
export const AlarmRulesSchema = z.array(AlarmRuleSchema).superRefine((rules, ctx) => {
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.id)) ctx.addIssue({ code: 'custom', message: `duplicate rule id ${r.id}` });
    seen.add(r.id);
  }
});

/**
 * Threshold rules from the QCVN tables in force on `date`: air 1-hour and 24-hour limits (8-hour where the
 * standard has one), water Table 1 plus the station's Table 2 level.
 */
export function qcvnThresholdRules(options: {
  date: string;
  stationIds?: string[];
  waterLevel?: WaterLevel;
  raiseAfterMs?: number;
  clearAfterMs?: number;
  hysteresis?: number;
}): ThresholdRule[] {
  const toRule = (l: QcvnLimit): unknown => ({
    id: `qcvn-${l.medium}-${l.parameter}-${l.averaging}${l.level ? `-${l.level}` : ''}`.toLowerCase(),
    kind: 'threshold',
    severity: 'warning',
    stationIds: options.stationIds,
    channel: l.parameter,
    averaging: l.averaging,
    comparison: l.comparison,
    limit: l.limit,
    hysteresis: options.hysteresis,
    raiseAfterMs: options.raiseAfterMs,
    clearAfterMs: options.clearAfterMs,
    standard: l.standard,
    unit: l.unit,
  });
  return limitsInForce(options.date, { waterLevel: options.waterLevel ?? 'B' })
    .filter((l) => l.averaging !== 'year')
    .map((l) => ThresholdRuleSchema.parse(toRule(l)));
}
