import { EmbeddedStore, type Point, hourlyAqi, toHourlySeries } from '@xaso/collector';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR_MS, hourlyAqiSeries, wireIndex } from '../../../console/src/environment/indices.js';
import { stationSeries } from '../../../console/src/environment/series.js';
import { stationSummary } from '../../../console/src/environment/summary.js';

const T0 = Date.UTC(2026, 10, 28, 17); // 29/11/2026 00:00 in Vietnam
let store: EmbeddedStore;

function air(time: number, pm25: number): Point {
  return { measurement: 'air', tags: { device: 's1', source: 'a' }, fields: { pm25, pm10: pm25 * 2 }, time };
}

beforeEach(() => {
  store = new EmbeddedStore({ path: ':memory:', rawRetentionDays: 400, rollup5mRetentionDays: 400 });
});
afterEach(async () => {
  await store.close();
});

describe('hourly VN_AQI for the console', () => {
  it('computes missing hours with the collector’s own NowCast code and prefers the stored series', async () => {
    const points: Point[] = [];
    for (let h = 0; h < 30; h++) points.push(air(T0 + h * HOUR_MS + 600_000, 20 + h));
    await store.write(points);
    await store.write([
      {
        measurement: 'aqi',
        tags: { device: 's1', source: 'a' },
        fields: { aqi: 123 },
        time: T0 + 29 * HOUR_MS,
      },
    ]);
    const from = T0 + 20 * HOUR_MS;
    const result = await hourlyAqiSeries(store, 's1', from, T0 + 30 * HOUR_MS);
    expect(result).toHaveLength(10);
    const series = toHourlySeries(
      Array.from({ length: 30 }, (_, h) => ({
        time: T0 + h * HOUR_MS,
        values: { pm25: 20 + h, pm10: 2 * (20 + h) },
      })),
    );
    const expected = hourlyAqi(series, from);
    expect(result[0]).toMatchObject({ value: expected.aqi, at: from, dominant: expected.dominant });
    expect(result[9]).toMatchObject({ value: 123, category: 'Kém', colour: '#ff7e00' });
    expect(Object.keys(wireIndex(result[0] ?? result[9] ?? ({} as never))).sort()).toEqual(
      ['category', 'colour', 'dominant', 'kind', 'value'].sort(),
    );
  });
});

describe('station series for charts', () => {
  it('aligns mean, min and max per bucket and keeps to maxPoints', async () => {
    const points: Point[] = [];
    for (let m = 0; m < 24 * 60; m += 5) points.push(air(T0 + m * 60_000, 10 + (m % 60)));
    await store.write(points);
    const s = await stationSeries(store, {
      measurement: 'air',
      stationId: 's1',
      fields: ['pm25', 'pm10'],
      from: T0,
      to: T0 + 24 * HOUR_MS,
      maxPoints: 24,
    });
    expect(s.times).toHaveLength(24);
    expect(s.intervalMs).toBe(HOUR_MS);
    const pm25 = s.fields[0];
    expect(pm25?.field).toBe('pm25');
    expect(pm25?.min[0]).toBe(10);
    expect(pm25?.max[0]).toBe(65);
    expect(pm25?.mean[0]).toBeCloseTo(37.5, 5);
    expect(s.fields[1]?.max[0]).toBe(130);
  });
});

describe('station summary', () => {
  it('counts hours over the limit, completeness and the daily VN_AQI of a full day', async () => {
    const points: Point[] = [];
    // One Vietnamese day: 20 hours at 30 µg/m³ PM2.5, 4 hours at 80 (over the 45 µg/m³ 24-hour limit).
    for (let h = 0; h < 24; h++) points.push(air(T0 + h * HOUR_MS + 60_000, h < 20 ? 30 : 80));
    await store.write(points);
    const station = {
      id: 's1',
      kind: 'air' as const,
      name: 'S1',
      areaId: null,
      lat: null,
      lon: null,
      online: true,
      lastReadingAt: null,
    };
    const s = await stationSummary(store, station, T0, T0 + 2 * 24 * HOUR_MS, T0 + 36 * HOUR_MS);
    expect(s.completeness).toEqual({ expectedHours: 36, hoursWithData: 24, percent: 66.7 });
    expect(s.exceedances.find((e) => e.parameter === 'pm25')).toMatchObject({
      hours: 4,
      hoursWithData: 24,
      limit: 45,
    });
    expect(s.daily[0]?.date).toBe('2026-11-29');
    expect(s.daily[0]?.value).toBeGreaterThan(0);
    expect(s.daily[1]).toMatchObject({ date: '2026-11-30', value: null });
    expect(s.daily[1]?.reason).toBeTruthy();
  });
});
