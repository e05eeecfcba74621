import { subIndex } from './aqi-breakpoints.js';
import { type AqiResult, type SubIndexOutcome, combineSubIndices } from './aqi-result.js';
import { HOUR_MS, type HourlySeries, valueAt } from './hourly-series.js';
import { NOWCAST_HOURS, type NowcastResult, nowcast } from './nowcast.js';

export interface HourlyAqiResult extends AqiResult {
  time: number;
  nowcast: { pm25: NowcastResult; pm10: NowcastResult };
}

const GASES = ['o3', 'no2', 'so2', 'co'] as const;

/** NowCast of hour `time` from hours time, time−1h, …, time−11h (Section 2.2.1.a). */
export function nowcastAt(series: HourlySeries, time: number, p: 'pm25' | 'pm10'): NowcastResult {
  const c: (number | null)[] = [];
  for (let i = 0; i < NOWCAST_HOURS; i++) c.push(valueAt(series, time - i * HOUR_MS, p));
  return nowcast(c);
}

/**
 * Hourly VN_AQI (AQI^h) of the hour starting at `time`, Decision 1459 Section 2.2.1: PM2.5/PM10 from NowCast
 * (Công thức 2), O3/NO2/SO2/CO from that hour's 1-hour average (Công thức 1; O3 on the O3 1-h breakpoints).
 */
export function hourlyAqi(series: HourlySeries, time: number): HourlyAqiResult {
  const outcome: SubIndexOutcome = { sub: {}, subReasons: {}, concentrations: {}, topOfScale: [] };
  const nc = { pm25: nowcastAt(series, time, 'pm25'), pm10: nowcastAt(series, time, 'pm10') };
  for (const p of ['pm25', 'pm10'] as const) {
    const r = nc[p];
    if (r.ok) {
      const s = subIndex(p, r.value);
      outcome.sub[p] = s.value;
      if (s.atTopOfScale) outcome.topOfScale.push(p);
      outcome.concentrations[p] = r.value;
    } else {
      outcome.subReasons[p] = r.reason;
    }
  }
  for (const p of GASES) {
    const c = valueAt(series, time, p);
    if (c === null) {
      outcome.subReasons[p] = 'no 1-hour average for this hour';
      continue;
    }
    const s = subIndex(p === 'o3' ? 'o3_1h' : p, c);
    outcome.sub[p] = s.value;
    if (s.atTopOfScale) outcome.topOfScale.push(p);
    outcome.concentrations[p] = c;
  }
  return { ...combineSubIndices(outcome), time, nowcast: nc };
}
