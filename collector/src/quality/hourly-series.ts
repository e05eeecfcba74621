import { POLLUTANTS, type Pollutant } from './aqi-breakpoints.js';

export const HOUR_MS = 3_600_000;

/** Vietnam (Asia/Ho_Chi_Minh) has been UTC+07:00 without daylight saving since 1975. */
export const VIETNAM_OFFSET_MS = 7 * HOUR_MS;

export type Concentrations = Partial<Record<Pollutant, number>>;

/** One row of hourly 1-hour averages; `time` is the start of the hour the averages cover (epoch ms). */
export interface HourlyRecord {
  time: number;
  values: Concentrations;
}

/** Hour-start epoch ms → that hour's concentrations (µg/m³). Absent hours and absent pollutants are missing. */
export type HourlySeries = ReadonlyMap<number, Concentrations>;

export function toHourlySeries(records: readonly HourlyRecord[]): HourlySeries {
  const series = new Map<number, Concentrations>();
  for (const r of records) {
    if (!Number.isInteger(r.time) || r.time % HOUR_MS !== 0) {
      throw new RangeError(`time ${new Date(r.time).toISOString()} is not the start of an hour`);
    }
    if (series.has(r.time)) throw new RangeError(`duplicate hour ${new Date(r.time).toISOString()}`);
    for (const p of POLLUTANTS) {
      const v = r.values[p];
      if (v !== undefined && (!Number.isFinite(v) || v < 0)) {
        throw new RangeError(
          `${p} at ${new Date(r.time).toISOString()} must be a finite number ≥ 0, got ${v}`,
        );
      }
    }
    series.set(r.time, r.values);
  }
  return series;
}

export function valueAt(series: HourlySeries, time: number, p: Pollutant): number | null {
  return series.get(time)?.[p] ?? null;
}

/** Local calendar date (YYYY-MM-DD, Asia/Ho_Chi_Minh) of an instant. */
export function vietnamDate(time: number): string {
  return new Date(time + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

/** Epoch ms of 00:00 Asia/Ho_Chi_Minh on a YYYY-MM-DD date. */
export function vietnamDayStart(date: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`date must be YYYY-MM-DD, got ${date}`);
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(utcMidnight) || new Date(utcMidnight).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`not a calendar date: ${date}`);
  }
  return utcMidnight - VIETNAM_OFFSET_MS;
}
