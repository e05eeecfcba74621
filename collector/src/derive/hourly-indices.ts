import type { Logger } from 'pino';
import {
  type HourlyRecord,
  POLLUTANTS,
  type WqiSample,
  computeWqi,
  hourlyAqi,
  toHourlySeries,
} from '../quality/index.js';
import { MEASUREMENTS } from '../schema/measurements.js';
import type { Point, TimeSeriesStore } from '../store/types.js';

const HOUR = 3_600_000;
/** Hour t's NowCast looks back over hours t … t−11. */
const AQI_LOOKBACK_HOURS = 12;
const WATER_FIELDS = ['ph', 'temperature', 'do', 'cod', 'nh4', 'turbidity', 'tss', 'conductivity'] as const;

type SeriesKey = string;

export interface StationHours {
  tags: Record<string, string>;
  hours: Map<number, Record<string, number>>;
}

function stationKey(tags: Record<string, string>): SeriesKey {
  return JSON.stringify(Object.fromEntries(Object.entries(tags).sort()));
}

/** Hourly means of some fields per station over [from, to), as rows per station and hour. */
export async function hourlyMeans(
  store: TimeSeriesStore,
  measurement: string,
  fields: readonly string[],
  from: number,
  to: number,
): Promise<Map<SeriesKey, StationHours>> {
  const r = await store.query({
    measurement,
    fields: [...fields],
    from,
    to,
    aggregate: 'mean',
    maxPoints: (to - from) / HOUR,
    resolution: 'raw',
  });
  const stations = new Map<SeriesKey, StationHours>();
  for (const s of r.series) {
    const key = stationKey(s.tags);
    let station = stations.get(key);
    if (!station) {
      station = { tags: s.tags, hours: new Map() };
      stations.set(key, station);
    }
    for (const [t, v] of s.points) {
      const row = station.hours.get(t) ?? {};
      row[s.field] = v;
      station.hours.set(t, row);
    }
  }
  return stations;
}

/**
 * Computes VN_AQI (Decision 1459) and VN_WQI (Decision 1460) of one finished hour from the stored
 * hourly averages and returns them as `aqi`/`wqi` points, one per station, time = start of the hour.
 * Hours that cannot be computed are logged with the reason and produce no point.
 */
export async function hourlyIndexPoints(store: TimeSeriesStore, hour: number, log: Logger): Promise<Point[]> {
  const points: Point[] = [];
  const air = await hourlyMeans(
    store,
    MEASUREMENTS.air,
    POLLUTANTS,
    hour - (AQI_LOOKBACK_HOURS - 1) * HOUR,
    hour + HOUR,
  );
  for (const { tags, hours } of air.values()) {
    const records: HourlyRecord[] = [...hours].map(([time, values]) => ({ time, values }));
    const result = hourlyAqi(toHourlySeries(records), hour);
    if (result.aqi === null) {
      log.debug({ tags, hour, reason: result.reason }, 'no hourly AQI');
      continue;
    }
    const fields: Record<string, number> = { aqi: result.aqi };
    for (const p of POLLUTANTS) {
      const sub = result.sub[p];
      if (sub !== null) fields[`sub_${p}`] = sub;
    }
    points.push({ measurement: MEASUREMENTS.aqi, tags, fields, time: hour });
  }
  const water = await hourlyMeans(store, MEASUREMENTS.water, WATER_FIELDS, hour, hour + HOUR);
  for (const { tags, hours } of water.values()) {
    const sample = hours.get(hour);
    if (!sample) continue;
    const result = computeWqi(sample as WqiSample);
    if (result.wqi === null) {
      log.debug({ tags, hour, reason: result.reason }, 'no hourly WQI');
      continue;
    }
    // Decision 1460 allows 3 of 5 groups: the count keeps a partial index from passing for a full one.
    const fields: Record<string, number> = { wqi: result.wqi, groups_missing: result.missingGroups.length };
    for (const [group, value] of Object.entries(result.groups))
      if (value !== null) fields[`group_${group}`] = value;
    points.push({ measurement: MEASUREMENTS.wqi, tags, fields, time: hour });
  }
  return points;
}
