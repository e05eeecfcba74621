import { describe, expect, it } from 'vitest';
import {
  HOUR_MS,
  type HourlyRecord,
  dailyAqi,
  subIndex,
  toHourlySeries,
  vietnamDate,
  vietnamDayStart,
} from '../../../collector/src/quality/index.js';

const DATE = '2024-03-10';
const START = Date.parse(`${DATE}T00:00:00+07:00`);
type Row = HourlyRecord['values'];
/** 24 hours of the day, local 00:00 … 23:00, from a per-hour function. */
const day = (f: (hour: number) => Row): HourlyRecord[] =>
  Array.from({ length: 24 }, (_, h) => ({ time: START + h * HOUR_MS, values: f(h) }));

describe('daily VN_AQI (Decision 1459 §2.2.2)', () => {
  it("matches the decision's daily example (§2.3.c) sub-index by sub-index", () => {
    // O3 8-h max 89.3: 50/100 × 89.3 = 44.65 → 45 ; O3 1-h max 114.6: 50/160 × 114.6 = 35.8 → 36
    // NO2 1-h max 130.8: 50/100 × 30.8 + 50 = 65.4 → 65 ; PM2.5 24-h 55.7: 50/30 × 5.7 + 100 = 109.5 → 110
    expect(subIndex('o3_8h', 89.3).value).toBe(45);
    expect(subIndex('o3_1h', 114.6).value).toBe(36);
    expect(subIndex('no2', 130.8).value).toBe(65);
    expect(subIndex('pm25', 55.7).value).toBe(110);
  });

  it('computes a whole day by hand: PM 24-h mean, NO2 1-h max, O3 max of its 1-h and 8-h sub-indices', () => {
    // PM2.5: 55.7 every hour → mean 55.7 → 110.
    // NO2: 50 every hour, 130.8 at 09:00 → max 130.8 → 65.
    // O3: 80 every hour, 114.6 at 14:00. 1-h max 114.6 → 36.
    //   8-h averages end at each hour of the day over hours t−7…t; the previous day is absent, so windows
    //   ending 00:00…04:00 have 1…5 hours (< 6, invalid) and 19 windows are valid (≥ 18).
    //   Max 8-h = (7 × 80 + 114.6)/8 = 84.325 → 50/100 × 84.325 = 42.16 → 42. O3 = max(36, 42) = 42.
    const series = toHourlySeries(
      day((h) => ({ pm25: 55.7, no2: h === 9 ? 130.8 : 50, o3: h === 14 ? 114.6 : 80 })),
    );
    const r = dailyAqi(series, DATE);
    expect(r.sub).toEqual({ pm25: 110, pm10: null, o3: 42, no2: 65, so2: null, co: null });
    expect(r.o3.max1h).toBe(114.6);
    expect(r.o3.max8h).toBeCloseTo(84.325, 10);
    expect([r.o3.sub1h, r.o3.sub8h]).toEqual([36, 42]);
    expect(r.aqi).toBe(110);
    expect(r.dominant).toBe('pm25');
    expect(r.subReasons.pm10).toBe('0 of 24 hours present, need 18');
  });

  it('leaves the 8-hour O3 out when its daily maximum exceeds 400 µg/m³', () => {
    // O3 500 all day, PM10 20. 8-h max 500 > 400 → 1-h only: (300 − 200)/(800 − 400) × (500 − 400) + 200 = 225.
    // (Had the 8-h value been used it would be 300, the top of its scale.)
    const r = dailyAqi(toHourlySeries(day(() => ({ o3: 500, pm10: 20 }))), DATE);
    expect(r.o3.sub8h).toBeNull();
    expect(r.sub.o3).toBe(225);
    expect(r.aqi).toBe(225);
    expect(r.dominant).toBe('o3');
    expect(r.topOfScale).toEqual([]);
  });

  it('needs 18 of 24 hours (our completeness default) and says how many it had', () => {
    const hours17 = toHourlySeries(day((h) => (h < 17 ? { pm25: 10 } : {})));
    const r17 = dailyAqi(hours17, DATE);
    expect(r17.aqi).toBeNull();
    expect(r17.subReasons.pm25).toBe('17 of 24 hours present, need 18');
    expect(r17.reason).toMatch(/pm25: 17 of 24 hours present, need 18/);
    const hours18 = toHourlySeries(day((h) => (h < 18 ? { pm25: 10 } : {})));
    // 18 hours of 10 → mean 10 → 50/25 × 10 = 20
    expect(dailyAqi(hours18, DATE).aqi).toBe(20);
    // The caller may relax it.
    expect(dailyAqi(hours17, DATE, { minHours: 12 }).aqi).toBe(20);
  });

  it('reports why O3 is missing when neither its 1-h nor 8-h statistic is complete', () => {
    const r = dailyAqi(toHourlySeries(day((h) => ({ pm25: 10, ...(h < 10 ? { o3: 50 } : {}) }))), DATE);
    expect(r.sub.o3).toBeNull();
    expect(r.subReasons.o3).toMatch(/1-hour: 10 of 24 hours present, need 18/);
    expect(r.subReasons.o3).toMatch(/8-hour: \d+ valid 8-hour averages, need 18/);
    expect(r.aqi).toBe(20);
  });

  it('counts the calendar day in Asia/Ho_Chi_Minh (UTC+7)', () => {
    // 16:00Z is 23:00 local on the 10th; 17:00Z is 00:00 on the 11th.
    expect(vietnamDate(Date.parse('2024-03-10T16:00:00Z'))).toBe('2024-03-10');
    expect(vietnamDate(Date.parse('2024-03-10T17:00:00Z'))).toBe('2024-03-11');
    expect(vietnamDayStart('2024-03-10')).toBe(Date.parse('2024-03-09T17:00:00Z'));
    // An hour of the next local day does not count towards this one.
    const records = day(() => ({ pm25: 10 }));
    records.push({ time: START + 24 * HOUR_MS, values: { pm25: 400 } });
    expect(dailyAqi(toHourlySeries(records), DATE).aqi).toBe(20);
    expect(() => vietnamDayStart('2024-02-30')).toThrow(/not a calendar date/);
  });
});
