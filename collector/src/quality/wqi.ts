import { z } from 'zod';
import { roundIndex } from './aqi-breakpoints.js';
import { type WqiCategory, wqiCategory } from './wqi-categories.js';
import {
  DO_SATURATION_TABLE,
  HEAVY_METAL_TABLES,
  ORGANIC_NUTRIENT_MICROBIAL_TABLES,
  PESTICIDE_LIMITS,
  PH_TABLE,
  doSaturationPercent,
  qBanded,
  qFalling,
} from './wqi-tables.js';

const nonNegative = z.number().finite().nonnegative();

/** One surface-water sample. Units: pH; °C; mg/L (metals, nutrients as N or P); µg/L pesticides; MPN/100 mL. */
export const WqiSampleSchema = z
  .object({
    ph: z.number().finite().min(0).max(14),
    temperature: z.number().finite().min(-5).max(60),
    do: nonNegative,
    bod5: nonNegative,
    cod: nonNegative,
    toc: nonNegative,
    nh4: nonNegative,
    no3: nonNegative,
    no2: nonNegative,
    po4: nonNegative,
    coliform: nonNegative,
    ecoli: nonNegative,
    as: nonNegative,
    cd: nonNegative,
    pb: nonNegative,
    cr6: nonNegative,
    cu: nonNegative,
    zn: nonNegative,
    hg: nonNegative,
    aldrin: nonNegative,
    bhc: nonNegative,
    dieldrin: nonNegative,
    ddts: nonNegative,
    heptachlor: nonNegative,
    turbidity: nonNegative,
    tss: nonNegative,
    conductivity: nonNegative,
  })
  .partial()
  .strict();
export type WqiSample = z.infer<typeof WqiSampleSchema>;

export const WQI_GROUPS = ['I', 'II', 'III', 'IV', 'V'] as const;
export type WqiGroup = (typeof WQI_GROUPS)[number];

export const GROUP_PARAMETERS: Record<WqiGroup, readonly string[]> = {
  I: ['ph'],
  II: Object.keys(PESTICIDE_LIMITS),
  III: Object.keys(HEAVY_METAL_TABLES),
  IV: ['do', 'bod5', 'cod', 'toc', 'nh4', 'no3', 'no2', 'po4'],
  V: ['coliform', 'ecoli'],
};

const GROUP_NAMES: Record<WqiGroup, string> = {
  I: 'pH',
  II: 'pesticides',
  III: 'heavy metals',
  IV: 'organic and nutrients',
  V: 'microbiological',
};

/** Parameters a water probe reports that VN_WQI does not use. */
const NOT_IN_WQI = ['turbidity', 'tss', 'conductivity'] as const;

export interface WqiResult {
  wqi: number | null;
  /** Unrounded value of the aggregation formula. */
  exact: number | null;
  category: WqiCategory | null;
  /** Group sub-index (I: q_pH; II, III: geometric mean; IV, V: arithmetic mean), null when absent. */
  groups: Record<WqiGroup, number | null>;
  /** q of every parameter that entered a group. */
  q: Record<string, number>;
  doSaturationPercent: number | null;
  /** Parameters given but not usable, with why. */
  notes: string[];
  /** Groups without any parameter; when a value is computed anyway, a note says which groups it lacks. */
  missingGroups: WqiGroup[];
  reason?: string;
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const geoMean = (v: number[]) => Math.exp(v.reduce((a, b) => a + Math.log(b), 0) / v.length);

/**
 * VN_WQI of one sample, Decision 1460/QĐ-TCMT Section 2:
 * WQI = (WQI_I/100) · (∏WQI_II)^(1/n)/100 · (∏WQI_III)^(1/m)/100 · [ (ΣWQI_IV/k)² · ΣWQI_V/l ]^(1/3).
 * Needs at least 3 of the 5 groups, group IV among them with at least 3 parameters. Absent groups I–III drop
 * out of the product; absent group V leaves the bracket as the group IV mean (our reading, see docs).
 */
export function computeWqi(input: WqiSample): WqiResult {
  const sample = WqiSampleSchema.parse(input);
  const q: Record<string, number> = {};
  const notes: string[] = [];
  let doPct: number | null = null;

  if (sample.ph !== undefined) q.ph = qBanded(PH_TABLE, sample.ph);
  for (const [p, limit] of Object.entries(PESTICIDE_LIMITS)) {
    const v = sample[p as keyof typeof PESTICIDE_LIMITS];
    if (v !== undefined) q[p] = v <= limit ? 100 : 10;
  }
  for (const [p, table] of Object.entries(HEAVY_METAL_TABLES)) {
    const v = sample[p as keyof typeof HEAVY_METAL_TABLES];
    if (v !== undefined) q[p] = qFalling(table, v);
  }
  if (sample.do !== undefined) {
    if (sample.temperature === undefined) {
      notes.push('do: needs temperature to compute % saturation; left out');
    } else {
      doPct = doSaturationPercent(sample.do, sample.temperature);
      q.do = qBanded(DO_SATURATION_TABLE, doPct);
    }
  }
  for (const [p, table] of Object.entries(ORGANIC_NUTRIENT_MICROBIAL_TABLES)) {
    const v = sample[p as keyof typeof ORGANIC_NUTRIENT_MICROBIAL_TABLES];
    if (v !== undefined) q[p] = qFalling(table, v);
  }
  for (const p of NOT_IN_WQI) {
    if (sample[p] !== undefined) notes.push(`${p}: not a VN_WQI parameter; ignored`);
  }

  const members = (g: WqiGroup) => GROUP_PARAMETERS[g].filter((p) => q[p] !== undefined).map((p) => q[p]!);
  const groups: Record<WqiGroup, number | null> = {
    I: members('I').length ? mean(members('I')) : null,
    II: members('II').length ? geoMean(members('II')) : null,
    III: members('III').length ? geoMean(members('III')) : null,
    IV: members('IV').length ? mean(members('IV')) : null,
    V: members('V').length ? mean(members('V')) : null,
  };
  const present = WQI_GROUPS.filter((g) => groups[g] !== null);
  const missing = WQI_GROUPS.filter((g) => groups[g] === null);
  const base = { groups, q, doSaturationPercent: doPct, notes, missingGroups: missing };
  const describe = (gs: readonly WqiGroup[]) =>
    gs.map((g) => `${g} (${GROUP_NAMES[g]}: ${GROUP_PARAMETERS[g].join(', ')})`).join('; ');
  const ivCount = members('IV').length;
  if (ivCount < 3) {
    return {
      ...base,
      wqi: null,
      exact: null,
      category: null,
      reason: `group IV (${GROUP_NAMES.IV}) is mandatory with at least 3 parameters, have ${ivCount}: needs 3 of ${GROUP_PARAMETERS.IV.join(', ')}`,
    };
  }
  if (present.length < 3) {
    return {
      ...base,
      wqi: null,
      exact: null,
      category: null,
      reason: `needs at least 3 of the 5 parameter groups, have ${present.join(', ')}; missing ${describe(missing)}`,
    };
  }
  const factor = (g: 'I' | 'II' | 'III') => (groups[g] === null ? 1 : groups[g]! / 100);
  const core = groups.V === null ? groups.IV! : Math.cbrt(groups.IV! ** 2 * groups.V);
  const exact = factor('I') * factor('II') * factor('III') * core;
  const wqi = roundIndex(exact);
  // Decision 1460 allows a value from 3 of 5 groups; it must not read as if every group had been measured.
  const partial =
    missing.length === 0
      ? []
      : [`computed without group${missing.length > 1 ? 's' : ''} ${describe(missing)}: not measured`];
  return { ...base, notes: [...notes, ...partial], wqi, exact, category: wqiCategory(wqi) };
}
