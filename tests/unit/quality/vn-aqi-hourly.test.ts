import { describe, expect, it } from 'vitest';
import {
  AQI_CATEGORIES,
  HOUR_MS,
  type HourlyRecord,
  aqiCategory,
  hourlyAqi,
  nowcast,
  rgbHex,
  subIndex,
  toHourlySeries,
} from '../../../collector/src/quality/index.js';

// Hour t = 2024-01-05T20:00+07:00; series helpers build the hours t−11 … t.
const T = Date.parse('2024-01-05T20:00:00+07:00');
const hoursBack = (values: (number | null)[], key: 'pm25' | 'pm10'): HourlyRecord[] =>
  values.flatMap((v, i) => (v === null ? [] : [{ time: T - i * HOUR_MS, values: { [key]: v } }]));

describe('NowCast (Decision 1459 §2.2.1.a)', () => {
  it("reproduces the decision's worked example (§2.3.a): NowCast = 20.3 µg/m³", () => {
    // c1 = 20:00 … c12 = 09:00. Cmin = 16.5, Cmax = 26.9 → w* = 16.5/26.9 = 0.6134 > 0.5 → w = w*.
    // NowCast = Σ w^(i−1)·ci / Σ w^(i−1) = 20.27 (the decision rounds w to 0.61 and prints 20.3).
    const c = [20.6, 19.6, 22.4, 20.3, 16.5, 19.0, 16.5, 19.5, 23.5, 20.5, 24.7, 26.9];
    const r = nowcast(c);
    if (!r.ok) throw new Error(r.reason);
    expect(r.wStar).toBeCloseTo(16.5 / 26.9, 10);
    expect(r.w).toBe(r.wStar);
    expect(r.value).toBeCloseTo(20.3, 1);
    // AQI = (50 − 0)/(25 − 0) × (20.27 − 0) + 0 = 40.5 → 41, as the decision's §2.3.b.
    expect(subIndex('pm25', r.value).value).toBe(41);
  });

  it('uses w = 1/2 when w* ≤ 1/2 (PM2.5 rising fast → AQI 106)', () => {
    // c = 80, 40, 20, then 10 for nine hours. w* = 10/80 = 0.125 ≤ 0.5 → w = 0.5.
    // Σw = 1 + 0.5 + … + 0.5^11 = 2 − 2^−11 = 1.99951171875
    // Σw·c = 80 + 20 + 5 + 10 × (0.5^3 + … + 0.5^11) = 105 + 10 × 0.24951171875 = 107.4951171875
    // NowCast = 107.4951171875 / 1.99951171875 = 53.7607
    // 50 < 53.76 ≤ 80 → AQI = (150 − 100)/(80 − 50) × (53.7607 − 50) + 100 = 106.27 → 106
    const c = [80, 40, 20, 10, 10, 10, 10, 10, 10, 10, 10, 10];
    const r = nowcast(c);
    if (!r.ok) throw new Error(r.reason);
    expect(r.wStar).toBe(0.125);
    expect(r.w).toBe(0.5);
    expect(r.value).toBeCloseTo(107.4951171875 / 1.99951171875, 10);
    expect(r.value).toBeCloseTo(53.7607, 4);
    expect(subIndex('pm25', r.value).value).toBe(106);
  });

  it('gives the plain value for a steady series (PM10 100 µg/m³ for 12 h → AQI 75)', () => {
    // w* = 100/100 = 1 → all weights 1 → NowCast = 100. AQI = (100 − 50)/(150 − 50) × (100 − 50) + 50 = 75.
    const series = toHourlySeries(hoursBack(Array(12).fill(100), 'pm10'));
    const r = hourlyAqi(series, T);
    expect(r.sub.pm10).toBe(75);
    expect(r.concentrations.pm10).toBe(100);
  });

  it('drops missing hours from both sums (w^(i−1) = 0 when ci is missing)', () => {
    // c1 = 40, c2 missing, c3 = 20, rest missing. w* = 20/40 = 0.5 ≤ 0.5 → w = 0.5.
    // NowCast = (1 × 40 + 0.25 × 20) / (1 + 0.25) = 45 / 1.25 = 36
    // AQI = (100 − 50)/(50 − 25) × (36 − 25) + 50 = 72
    const series = toHourlySeries(hoursBack([40, null, 20], 'pm25'));
    const r = hourlyAqi(series, T);
    expect(r.concentrations.pm25).toBeCloseTo(36, 10);
    expect(r.sub.pm25).toBe(72);
    expect(r.aqi).toBe(72);
    expect(r.dominant).toBe('pm25');
  });

  it('needs at least 2 of c1, c2, c3', () => {
    const ok = nowcast([null, 30, 30, null, null, null, null, null, null, null, null, null]);
    expect(ok.ok).toBe(true);
    const notOk = nowcast([30, null, null, 30, 30, 30, 30, 30, 30, 30, 30, 30]);
    expect(notOk).toEqual({ ok: false, reason: 'too few hours in the last 3 for NowCast (1 of 3, need 2)' });
    const r = hourlyAqi(toHourlySeries(hoursBack([30, null, null, 30, 30, 30], 'pm25')), T);
    expect(r.sub.pm25).toBeNull();
    expect(r.subReasons.pm25).toMatch(/too few hours in the last 3/);
  });

  it('gives 0 for an all-zero window and refuses negative input', () => {
    const zero = nowcast(Array(12).fill(0));
    expect(zero.ok && zero.value).toBe(0);
    expect(() => nowcast([-1, ...Array(11).fill(1)])).toThrow(RangeError);
    expect(() => nowcast([1, 2])).toThrow(/exactly 12/);
  });
});

describe('sub-index interpolation (Công thức 1, Table 2)', () => {
  it('computes each gas by hand', () => {
    // O3 1-h 250: (150 − 100)/(300 − 200) × (250 − 200) + 100 = 125
    expect(subIndex('o3_1h', 250).value).toBe(125);
    // CO 20 000: (100 − 50)/(30 000 − 10 000) × (20 000 − 10 000) + 50 = 75
    expect(subIndex('co', 20000).value).toBe(75);
    // SO2 200: (100 − 50)/(350 − 125) × (200 − 125) + 50 = 66.67 → 67
    expect(subIndex('so2', 200).exact).toBeCloseTo(66.667, 3);
    expect(subIndex('so2', 200).value).toBe(67);
    // NO2 150: (100 − 50)/(200 − 100) × (150 − 100) + 50 = 75
    expect(subIndex('no2', 150).value).toBe(75);
    // PM10 380 (350 < 380 ≤ 420): (300 − 200)/(420 − 350) × (380 − 350) + 200 = 242.86 → 243
    expect(subIndex('pm10', 380).value).toBe(243);
  });

  it("matches the decision's hourly example (§2.3.b), except NO2's printed rounding", () => {
    // O3 136.1: 50/160 × 136.1 = 42.53 → 43 (decision: 43)
    expect(subIndex('o3_1h', 136.1).value).toBe(43);
    // NO2 118.7: 50/100 × 18.7 + 50 = 59.35 → 59 (decision prints 60; no rounding rule gives 60 here and
    // still matches its other examples, so we keep half-up rounding — see docs/air-water-indices.md).
    expect(subIndex('no2', 118.7).exact).toBeCloseTo(59.35, 10);
    expect(subIndex('no2', 118.7).value).toBe(59);
  });

  it('is continuous at breakpoints: exactly at, and just above', () => {
    expect(subIndex('pm25', 25).value).toBe(50);
    // 25.1 → 50 + 50/25 × 0.1 = 50.2 → 50 ; 25.3 → 50.6 → 51
    expect(subIndex('pm25', 25.1).value).toBe(50);
    expect(subIndex('pm25', 25.3).value).toBe(51);
    expect(subIndex('pm10', 150).value).toBe(100);
    expect(subIndex('pm10', 151).value).toBe(101); // 100 + 50/100 × 1 = 100.5 → 101 (half up)
    expect(subIndex('no2', 0).value).toBe(0);
  });

  it('maps concentrations at or above the top breakpoint to level 8 (I = 500)', () => {
    expect(subIndex('pm25', 500)).toEqual({ exact: 500, value: 500, atTopOfScale: true });
    expect(subIndex('pm25', 900)).toEqual({ exact: 500, value: 500, atTopOfScale: true });
    expect(subIndex('co', 150000).value).toBe(500);
    expect(subIndex('pm25', 499.9).atTopOfScale).toBe(false);
    // O3 8-h stops at level 6: 400 µg/m³ → 300.
    expect(subIndex('o3_8h', 400)).toEqual({ exact: 300, value: 300, atTopOfScale: true });
    expect(() => subIndex('pm25', -0.1)).toThrow(RangeError);
    // An hour of PM2.5 NowCast 600 reports AQI 500 and says it is capped.
    const r = hourlyAqi(toHourlySeries(hoursBack(Array(12).fill(600), 'pm25')), T);
    expect([r.aqi, r.topOfScale]).toEqual([500, ['pm25']]);
  });
});

describe('hourly VN_AQI (§2.2.1.c)', () => {
  it('takes the largest sub-index and names the dominant pollutant', () => {
    // PM2.5 steady 30 → NowCast 30 → 50 + (100 − 50)/(50 − 25) × 5 = 60.
    const withGases = new Map(toHourlySeries(hoursBack(Array(12).fill(30), 'pm25')));
    withGases.set(T, { pm25: 30, o3: 250, co: 20000 }); // O3 125, CO 75
    const r = hourlyAqi(withGases, T);
    expect(r.sub).toEqual({ pm25: 60, pm10: null, o3: 125, no2: null, so2: null, co: 75 });
    expect(r.aqi).toBe(125);
    expect(r.dominant).toBe('o3');
    expect(r.tiedWith).toEqual([]);
    expect(r.subReasons.no2).toBe('no 1-hour average for this hour');
  });

  it('breaks ties by the order pm25, pm10, o3, no2, so2, co and lists the others', () => {
    // PM2.5 steady 50 → 100; NO2 200 → 100.
    const s1 = new Map(toHourlySeries(hoursBack(Array(12).fill(50), 'pm25')));
    s1.set(T, { pm25: 50, no2: 200 });
    const r1 = hourlyAqi(s1, T);
    expect([r1.aqi, r1.dominant, r1.tiedWith]).toEqual([100, 'pm25', ['no2']]);
    // PM10 steady 150 → 100; O3 200 → 100.
    const s2 = new Map(toHourlySeries(hoursBack(Array(12).fill(150), 'pm10')));
    s2.set(T, { pm10: 150, o3: 200 });
    const r2 = hourlyAqi(s2, T);
    expect([r2.aqi, r2.dominant, r2.tiedWith]).toEqual([100, 'pm10', ['o3']]);
  });

  it('refuses an AQI without PM2.5 or PM10, but still reports the gas sub-indices', () => {
    const r = hourlyAqi(toHourlySeries([{ time: T, values: { o3: 250 } }]), T);
    expect(r.aqi).toBeNull();
    expect(r.dominant).toBeNull();
    expect(r.sub.o3).toBe(125);
    expect(r.reason).toMatch(/needs a PM2.5 or PM10 sub-index/);
    expect(r.reason).toMatch(/pm25: too few hours in the last 3 for NowCast \(0 of 3, need 2\)/);
  });

  it('rejects bad series input clearly', () => {
    expect(() => toHourlySeries([{ time: T + 60_000, values: {} }])).toThrow(/not the start of an hour/);
    expect(() =>
      toHourlySeries([
        { time: T, values: {} },
        { time: T, values: {} },
      ]),
    ).toThrow(/duplicate hour/);
    expect(() => toHourlySeries([{ time: T, values: { pm25: -3 } }])).toThrow(/pm25/);
  });
});

describe('categories (§1.4 Table 1)', () => {
  it('has the six official bands, names and RGB colours', () => {
    expect(AQI_CATEGORIES.map((c) => [c.min, c.max, c.nameVi, rgbHex(c.rgb)])).toEqual([
      [0, 50, 'Tốt', '#00e400'],
      [51, 100, 'Trung bình', '#ffff00'],
      [101, 150, 'Kém', '#ff7e00'],
      [151, 200, 'Xấu', '#ff0000'],
      [201, 300, 'Rất xấu', '#8f3f97'],
      [301, 500, 'Nguy hại', '#7e0023'],
    ]);
  });

  it('classifies band edges', () => {
    expect(aqiCategory(50).nameVi).toBe('Tốt');
    expect(aqiCategory(51).nameVi).toBe('Trung bình');
    expect(aqiCategory(150).nameEn).toBe('Poor');
    expect(aqiCategory(201).rgb).toEqual([143, 63, 151]);
    expect(aqiCategory(500).nameVi).toBe('Nguy hại');
    expect(aqiCategory(301).healthVi).toMatch(/^Cảnh báo khẩn cấp về sức khỏe/);
    expect(() => aqiCategory(501)).toThrow(RangeError);
    expect(() => aqiCategory(50.5)).toThrow(RangeError);
  });
});
