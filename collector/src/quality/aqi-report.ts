import { POLLUTANTS, type Pollutant } from './aqi-breakpoints.js';
import type { AqiResult } from './aqi-result.js';
import { CsvInputError, csvCell, readCsvTable, vietnamIso } from './csv-table.js';
import { type DailyAqiOptions, dailyAqi } from './daily-aqi.js';
import { hourlyAqi } from './hourly-aqi.js';
import { HOUR_MS, type HourlyRecord, toHourlySeries, vietnamDate } from './hourly-series.js';

export interface AqiReportLine {
  kind: 'hour' | 'day';
  time?: string;
  date?: string;
  aqi: number | null;
  dominant: Pollutant | null;
  sub: Record<Pollutant, number | null>;
  reason?: string;
}

/** Reads the hourly CSV of `npm run aqi`; throws CsvInputError naming the line of the first problem. */
export function parseHourlyCsv(text: string): HourlyRecord[] {
  const { rows } = readCsvTable(text, POLLUTANTS);
  return rows.map((r) => {
    if (r.time % HOUR_MS !== 0) {
      throw new CsvInputError(r.line, `time ${r.timeText} is not the start of an hour`);
    }
    for (const [c, v] of Object.entries(r.cells)) {
      if (v !== undefined && v < 0)
        throw new CsvInputError(r.line, `column ${c}: negative concentration ${v}`);
    }
    return { time: r.time, values: r.cells as HourlyRecord['values'] };
  });
}

const line = (
  kind: 'hour' | 'day',
  where: { time?: string; date?: string },
  r: AqiResult,
): AqiReportLine => ({
  kind,
  ...where,
  aqi: r.aqi,
  dominant: r.dominant,
  sub: r.sub,
  ...(r.reason === undefined ? {} : { reason: r.reason }),
});

/** Every hour in the input, then every Asia/Ho_Chi_Minh calendar day the input touches. */
export function aqiReport(
  records: readonly HourlyRecord[],
  daily: Partial<DailyAqiOptions> = {},
): AqiReportLine[] {
  const series = toHourlySeries(records);
  const times = [...series.keys()].sort((a, b) => a - b);
  const hours = times.map((t) => line('hour', { time: vietnamIso(t) }, hourlyAqi(series, t)));
  const dates = [...new Set(times.map(vietnamDate))].sort();
  const days = dates.map((d) => line('day', { date: d }, dailyAqi(series, d, daily)));
  return [...hours, ...days];
}

export const AQI_CSV_HEADER = ['kind', 'time', 'date', 'aqi', 'dominant', ...POLLUTANTS, 'reason'].join(',');

export function aqiCsvLine(l: AqiReportLine): string {
  const date = l.date ?? (l.time === undefined ? undefined : l.time.slice(0, 10));
  return [l.kind, l.time, date, l.aqi, l.dominant, ...POLLUTANTS.map((p) => l.sub[p]), l.reason]
    .map(csvCell)
    .join(',');
}

/** JSON line in the shape: kind, time|date, aqi, dominant, sub, reason?. */
export function aqiJsonLine(l: AqiReportLine): string {
  const where = l.kind === 'hour' ? { time: l.time } : { date: l.date };
  const sub = Object.fromEntries(POLLUTANTS.map((p) => [p, l.sub[p]]));
  return JSON.stringify({
    kind: l.kind,
    ...where,
    aqi: l.aqi,
    dominant: l.dominant,
    sub,
    ...(l.reason === undefined ? {} : { reason: l.reason }),
  });
}
