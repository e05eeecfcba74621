import { type BreakpointScale, subIndex } from './aqi-breakpoints.js';
import { type AqiResult, type SubIndexOutcome, combineSubIndices } from './aqi-result.js';
import { HOUR_MS, type HourlySeries, valueAt, vietnamDayStart } from './hourly-series.js';

/**
 * Completeness thresholds. Decision 1459 sets none for the daily index; these defaults (75 %: 18 of 24 hours,
 * 6 of 8 hours per 8-hour average, 18 of 24 8-hour averages) are our choice, documented in
 * docs/air-water-indices.md, and can be changed by the caller.
 */
export interface DailyAqiOptions {
  minHours: number;
  minHoursPer8h: number;
  min8hAverages: number;
}

export const DEFAULT_DAILY_OPTIONS: DailyAqiOptions = { minHours: 18, minHoursPer8h: 6, min8hAverages: 18 };

/** Above this 8-hour maximum the decision computes O3's daily sub-index from the 1-hour maximum only. */
export const O3_8H_CEILING = 400;

export interface DailyAqiResult extends AqiResult {
  /** YYYY-MM-DD in Asia/Ho_Chi_Minh. */
  date: string;
  /** O3's daily inputs, for audit. */
  o3: { max1h: number | null; max8h: number | null; sub1h: number | null; sub8h: number | null };
}

function presentValues(
  series: HourlySeries,
  hours: readonly number[],
  p: 'pm25' | 'pm10' | 'o3' | 'no2' | 'so2' | 'co',
) {
  return hours.map((t) => valueAt(series, t, p)).filter((v): v is number => v !== null);
}

/**
 * Daily VN_AQI (AQI^d), Decision 1459 Section 2.2.2, for one calendar day in Asia/Ho_Chi_Minh: the 24 hours
 * starting 00:00…23:00 local (the decision's "01:00 to 00:00" counts hours by their end).
 * PM2.5/PM10: 24-hour mean; SO2/NO2/CO: highest 1-hour average; O3: the larger of the sub-indices of the
 * highest 1-hour average (O3 1-h table) and the highest 8-hour average (O3 8-h table), the latter left out
 * when it exceeds 400 µg/m³.
 */
export function dailyAqi(
  series: HourlySeries,
  date: string,
  options: Partial<DailyAqiOptions> = {},
): DailyAqiResult {
  const opt = { ...DEFAULT_DAILY_OPTIONS, ...options };
  const start = vietnamDayStart(date);
  const hours = Array.from({ length: 24 }, (_, k) => start + k * HOUR_MS);
  const outcome: SubIndexOutcome = { sub: {}, subReasons: {}, concentrations: {}, topOfScale: [] };
  const tooFew = (n: number) => `${n} of 24 hours present, need ${opt.minHours}`;

  const setSub = (p: 'pm25' | 'pm10' | 'no2' | 'so2' | 'co', scale: BreakpointScale, c: number) => {
    const s = subIndex(scale, c);
    outcome.sub[p] = s.value;
    if (s.atTopOfScale) outcome.topOfScale.push(p);
    outcome.concentrations[p] = c;
  };
  for (const p of ['pm25', 'pm10'] as const) {
    const v = presentValues(series, hours, p);
    if (v.length < opt.minHours) outcome.subReasons[p] = tooFew(v.length);
    else setSub(p, p, v.reduce((a, b) => a + b, 0) / v.length);
  }
  for (const p of ['no2', 'so2', 'co'] as const) {
    const v = presentValues(series, hours, p);
    if (v.length < opt.minHours) outcome.subReasons[p] = tooFew(v.length);
    else setSub(p, p, Math.max(...v));
  }

  const o3 = dailyO3(series, hours, opt);
  if (o3.sub1h === null && o3.sub8h === null) {
    outcome.subReasons.o3 = o3.reason;
  } else {
    const use8h = o3.sub8h !== null && (o3.sub1h === null || o3.sub8h > o3.sub1h);
    outcome.sub.o3 = use8h ? o3.sub8h! : o3.sub1h!;
    outcome.concentrations.o3 = use8h ? o3.max8h! : o3.max1h!;
    if (use8h ? o3.top8h : o3.top1h) outcome.topOfScale.push('o3');
  }
  const { max1h, max8h, sub1h, sub8h } = o3;
  return { ...combineSubIndices(outcome), date, o3: { max1h, max8h, sub1h, sub8h } };
}

function dailyO3(series: HourlySeries, hours: readonly number[], opt: DailyAqiOptions) {
  const reasons: string[] = [];
  const oneHour = presentValues(series, hours, 'o3');
  let max1h: number | null = null;
  let sub1h: number | null = null;
  let top1h = false;
  if (oneHour.length >= opt.minHours) {
    max1h = Math.max(...oneHour);
    const s = subIndex('o3_1h', max1h);
    sub1h = s.value;
    top1h = s.atTopOfScale;
  } else {
    reasons.push(`1-hour: ${oneHour.length} of 24 hours present, need ${opt.minHours}`);
  }
  // 8-hour average ending with hour t: the mean of hours t−7…t (the decision's worked example, Section 2.2.2.a).
  const averages: number[] = [];
  for (const t of hours) {
    const window = presentValues(
      series,
      Array.from({ length: 8 }, (_, i) => t - i * HOUR_MS),
      'o3',
    );
    if (window.length >= opt.minHoursPer8h) averages.push(window.reduce((a, b) => a + b, 0) / window.length);
  }
  let max8h: number | null = null;
  let sub8h: number | null = null;
  let top8h = false;
  if (averages.length >= opt.min8hAverages) {
    max8h = Math.max(...averages);
    if (max8h > O3_8H_CEILING) {
      reasons.push(`8-hour maximum ${max8h.toFixed(1)} µg/m³ exceeds 400: 1-hour maximum only`);
    } else {
      const s = subIndex('o3_8h', max8h);
      sub8h = s.value;
      top8h = s.atTopOfScale;
    }
  } else {
    reasons.push(`8-hour: ${averages.length} valid 8-hour averages, need ${opt.min8hAverages}`);
  }
  return { max1h, max8h, sub1h, sub8h, top1h, top8h, reason: reasons.join('; ') };
}
