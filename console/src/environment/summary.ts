import { dailyAqi, toHourlySeries, vietnamDate } from '@xaso/collector';
import type { TimeSeriesReader } from '../app/env.js';
import { CHANNELS, type ChannelLimit, breaks, channelOf, limitsFor } from './channels.js';
import { HOUR_MS, hourlyMeans, hourlyWqiSeries, indexValue } from './indices.js';
import type { Station } from './stations.js';

export interface DailyIndex {
  /** yyyy-mm-dd, Asia/Ho_Chi_Minh. */
  date: string;
  value: number | null;
  category: string | null;
  colour: string | null;
  reason?: string;
}

export interface Exceedance {
  parameter: string;
  nameVi: string;
  nameEn: string;
  unit: string;
  standard: string;
  averaging: string;
  limit: number | [number, number];
  comparison: 'max' | 'min' | 'range';
  /** Hours whose mean broke the limit. */
  hours: number;
  hoursWithData: number;
}

export interface StationSummary {
  id: string;
  name: string;
  kind: 'air' | 'water';
  index: 'aqi' | 'wqi';
  daily: DailyIndex[];
  exceedances: Exceedance[];
  completeness: { expectedHours: number; hoursWithData: number; percent: number };
}

/** Hourly means are compared with the shortest averaging a parameter has a limit for. */
const AVERAGING_ORDER = ['sample', '1h', '8h', '24h'];

function shortestLimit(limits: ChannelLimit[]): ChannelLimit | undefined {
  return [...limits].sort(
    (a, b) => AVERAGING_ORDER.indexOf(a.averaging) - AVERAGING_ORDER.indexOf(b.averaging),
  )[0];
}

function datesOf(from: number, to: number): string[] {
  const out: string[] = [];
  for (let t = from; t < to; t += 24 * HOUR_MS) out.push(vietnamDate(t));
  return out;
}

/** One station over whole local days [from, to): daily index, hours over QCVN limits, data completeness. */
export async function stationSummary(
  store: TimeSeriesReader,
  station: Station,
  from: number,
  to: number,
  now: number,
): Promise<StationSummary> {
  const fields = CHANNELS[station.kind].map((c) => c.field);
  const means = await hourlyMeans(store, station.kind, station.id, fields, from, to);
  const until = Math.min(to, Math.ceil(now / HOUR_MS) * HOUR_MS);
  const expectedHours = Math.max(0, Math.round((until - from) / HOUR_MS));
  const hoursWithData = [...means.keys()].filter((h) => h >= from && h < until).length;
  const limitDate = vietnamDate(Math.min(to - 1, now));
  const exceedances: Exceedance[] = [];
  for (const field of fields) {
    const limit = shortestLimit(limitsFor(station.kind, field, limitDate));
    if (!limit) continue;
    const values = [...means.values()].flatMap((row) => (row[field] === undefined ? [] : [row[field]]));
    const channel = channelOf(station.kind, field);
    exceedances.push({
      parameter: field,
      nameVi: channel?.nameVi ?? field,
      nameEn: channel?.nameEn ?? field,
      unit: limit.unit,
      standard: limit.standard,
      averaging: limit.averaging,
      limit: limit.limit,
      comparison: limit.comparison,
      hours: values.filter((v) => breaks(limit, v)).length,
      hoursWithData: values.length,
    });
  }
  const daily =
    station.kind === 'air' ? dailyAir(means, from, to) : await dailyWater(store, station.id, from, to);
  return {
    id: station.id,
    name: station.name,
    kind: station.kind,
    index: station.kind === 'air' ? 'aqi' : 'wqi',
    daily,
    exceedances,
    completeness: {
      expectedHours,
      hoursWithData,
      percent: expectedHours === 0 ? 0 : Math.round((1000 * hoursWithData) / expectedHours) / 10,
    },
  };
}

/** Daily VN_AQI exactly as the collector computes it (Decision 1459 §2.2.2), from the stored hourly means. */
function dailyAir(means: Map<number, Record<string, number>>, from: number, to: number): DailyIndex[] {
  const series = toHourlySeries(
    [...means].map(([time, v]) => ({
      time,
      values: Object.fromEntries(Object.entries(v).filter(([k, x]) => x >= 0 && k !== 'temperature')),
    })),
  );
  return datesOf(from, to).map((date) => {
    const r = dailyAqi(series, date);
    if (r.aqi === null) return { date, value: null, category: null, colour: null, reason: r.reason ?? '' };
    const v = indexValue('aqi', r.aqi, 0);
    return { date, value: v.value, category: v.category, colour: v.colour };
  });
}

/** Decision 1460 rates samples, not days: the day's mean of the collector's hourly VN_WQI. */
async function dailyWater(
  store: TimeSeriesReader,
  stationId: string,
  from: number,
  to: number,
): Promise<DailyIndex[]> {
  const hourly = await hourlyWqiSeries(store, stationId, from, to);
  return datesOf(from, to).map((date) => {
    const day = hourly.filter((h) => vietnamDate(h.at) === date);
    if (day.length === 0)
      return { date, value: null, category: null, colour: null, reason: 'no VN_WQI this day' };
    const v = indexValue('wqi', day.reduce((a, h) => a + h.value, 0) / day.length, 0);
    return { date, value: v.value, category: v.category, colour: v.colour };
  });
}
