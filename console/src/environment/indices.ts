import { aqiCategory, hourlyAqi, rgbHex, toHourlySeries, wqiCategory } from '@xaso/collector';
import type { TimeSeriesReader } from '../app/env.js';
import type { StationKind } from './channels.js';

export const HOUR_MS = 3_600_000;
const AQI_POLLUTANTS = ['pm25', 'pm10', 'o3', 'no2', 'so2', 'co'] as const;
/** NowCast reads 12 hours back from the hour it rates. */
const NOWCAST_HOURS = 12;

export interface IndexValue {
  kind: 'aqi' | 'wqi';
  value: number;
  category: string;
  categoryEn: string;
  colour: string;
  dominant?: string;
  /** Start of the hour the index rates. */
  at: number;
}

export function indexValue(
  kind: 'aqi' | 'wqi',
  raw: number,
  at: number,
  dominant?: string | null,
): IndexValue {
  const value = Math.round(raw);
  const c =
    kind === 'aqi'
      ? aqiCategory(Math.min(500, Math.max(0, value)))
      : wqiCategory(Math.min(100, Math.max(0, value)));
  return {
    kind,
    value,
    category: c.nameVi,
    categoryEn: c.nameEn,
    colour: rgbHex(c.rgb),
    ...(dominant ? { dominant } : {}),
    at,
  };
}

/** The index as the station list carries it (the map colours stations from exactly this). */
export function wireIndex(i: IndexValue): Omit<IndexValue, 'at' | 'categoryEn'> {
  return {
    kind: i.kind,
    value: i.value,
    category: i.category,
    colour: i.colour,
    ...(i.dominant ? { dominant: i.dominant } : {}),
  };
}

/** Hourly means of some fields of one station over whole hours [from, to): hour start → field → mean. */
export async function hourlyMeans(
  store: TimeSeriesReader,
  measurement: string,
  stationId: string,
  fields: readonly string[],
  from: number,
  to: number,
): Promise<Map<number, Record<string, number>>> {
  const hours = Math.max(1, Math.round((to - from) / HOUR_MS));
  const result = await store.query({
    measurement,
    fields: [...fields],
    where: { device: stationId },
    from,
    to,
    aggregate: 'mean',
    maxPoints: hours,
  });
  const out = new Map<number, Record<string, number>>();
  for (const s of result.series) {
    for (const [t, v] of s.points) {
      const hour = Math.floor(t / HOUR_MS) * HOUR_MS;
      const row = out.get(hour) ?? {};
      row[s.field] ??= v;
      out.set(hour, row);
    }
  }
  return out;
}

/**
 * Hourly VN_AQI for each hour in [from, to): the collector's stored `aqi` series where it has the hour,
 * otherwise computed here from the stored hourly means with the collector's own code (the collector
 * writes an hour only after it ends, and back-filled history never passes through it).
 */
export async function hourlyAqiSeries(
  store: TimeSeriesReader,
  stationId: string,
  from: number,
  to: number,
): Promise<IndexValue[]> {
  const stored = await hourlyMeans(store, 'aqi', stationId, ['aqi'], from, to);
  const means = await hourlyMeans(
    store,
    'air',
    stationId,
    AQI_POLLUTANTS,
    from - NOWCAST_HOURS * HOUR_MS,
    to,
  );
  const series = toHourlySeries(
    [...means].map(([time, values]) => ({
      time,
      values: Object.fromEntries(Object.entries(values).filter(([, v]) => v >= 0)),
    })),
  );
  const out: IndexValue[] = [];
  for (let hour = from; hour < to; hour += HOUR_MS) {
    const kept = stored.get(hour)?.aqi;
    if (kept !== undefined) {
      out.push(indexValue('aqi', kept, hour));
      continue;
    }
    if (!means.has(hour)) continue;
    const computed = hourlyAqi(series, hour);
    if (computed.aqi !== null) out.push(indexValue('aqi', computed.aqi, hour, computed.dominant));
  }
  return out;
}

/** The collector's hourly VN_WQI for [from, to); none is computed here (too few parameter groups is common). */
export async function hourlyWqiSeries(
  store: TimeSeriesReader,
  stationId: string,
  from: number,
  to: number,
): Promise<IndexValue[]> {
  const stored = await hourlyMeans(store, 'wqi', stationId, ['wqi'], from, to);
  return [...stored]
    .filter(([, v]) => v.wqi !== undefined)
    .sort(([a], [b]) => a - b)
    .map(([hour, v]) => indexValue('wqi', v.wqi ?? 0, hour));
}

/** The index of the latest hour with one within the last few hours, or null. */
export async function currentIndex(
  store: TimeSeriesReader,
  kind: StationKind,
  stationId: string,
  now: number,
): Promise<IndexValue | null> {
  const to = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
  const from = to - 3 * HOUR_MS;
  const values =
    kind === 'air'
      ? await hourlyAqiSeries(store, stationId, from, to)
      : await hourlyWqiSeries(store, stationId, from, to);
  return values.at(-1) ?? null;
}
