import { describe, expect, it } from 'vitest';
import {
  WQI_CATEGORIES,
  computeWqi,
  doSaturationMgL,
  doSaturationPercent,
  wqiCategory,
} from '../../../collector/src/quality/index.js';

describe('DO % saturation (Decision 1460)', () => {
  it('follows the decision polynomial', () => {
    // T = 25 °C: 14.652 − 0.41022 × 25 + 0.007991 × 625 − 0.000077774 × 15625
    //          = 14.652 − 10.2555 + 4.994375 − 1.21521875 = 8.17565625 mg/L
    expect(doSaturationMgL(25)).toBeCloseTo(8.17565625, 10);
    // DO 7.0 mg/L → 7.0 / 8.17565625 × 100 = 85.620 %
    expect(doSaturationPercent(7, 25)).toBeCloseTo(85.62004, 4);
  });
});

describe('VN_WQI (Decision 1460)', () => {
  const labSample = {
    ph: 7.0, // 6 ≤ pH ≤ 8.5 → q = 100
    temperature: 25,
    do: 7.0, // 85.620 %: 75 + (100 − 75) × (85.620 − 75)/(88 − 75) = 95.423
    bod5: 5, // (4, 6]: 100 − (100 − 75) × (5 − 4)/(6 − 4) = 87.5
    cod: 12, // (10, 15]: 100 − 25 × 2/5 = 90
    nh4: 0.45, // (0.3, 0.6]: 75 − 25 × 0.15/0.3 = 62.5
    po4: 0.15, // (0.1, 0.2]: 100 − 25 × 0.05/0.1 = 87.5
    coliform: 6000, // (5000, 7500]: 75 − 25 × 1000/2500 = 65
    ecoli: 30, // (20, 50]: 100 − 25 × 10/30 = 91.667
  };

  it('computes a sample with groups I, IV and V by hand', () => {
    // WQI_IV = (95.423 + 87.5 + 90 + 62.5 + 87.5)/5 = 84.585 ; WQI_V = (65 + 91.667)/2 = 78.333
    // WQI = (100/100) × [84.585² × 78.333]^(1/3) = 82.447 → 82 → "Tốt"
    const r = computeWqi(labSample);
    expect(r.q.do).toBeCloseTo(95.42315, 4);
    expect(r.q).toMatchObject({ ph: 100, bod5: 87.5, cod: 90, nh4: 62.5, po4: 87.5, coliform: 65 });
    expect(r.q.ecoli).toBeCloseTo(91.6667, 4);
    expect(r.groups.IV).toBeCloseTo(84.58463, 4);
    expect(r.groups.V).toBeCloseTo(78.33333, 4);
    expect(r.exact).toBeCloseTo(82.44731, 4);
    expect(r.wqi).toBe(82);
    expect(r.category?.nameVi).toBe('Tốt');
    expect(r.category?.rgb).toEqual([0, 228, 0]);
  });

  it('multiplies in heavy metals (geometric mean) and pesticides', () => {
    // As 0.015 → (0.01, 0.02]: 100 − 25 × 0.5 = 87.5 ; Cu 0.05 ≤ 0.1 → 100. WQI_III = √(87.5 × 100) = 93.541
    // WQI = 82.447 × 0.93541 = 77.122 → 77
    const withMetals = computeWqi({ ...labSample, as: 0.015, cu: 0.05 });
    expect(withMetals.groups.III).toBeCloseTo(93.54143, 4);
    expect(withMetals.wqi).toBe(77);
    // Aldrin 0.2 µg/L > 0.1 → q = 10 → WQI_II = 10 → WQI = 82.447 × 0.1 = 8.24 → 8 "Ô nhiễm rất nặng"
    const withPesticide = computeWqi({ ...labSample, aldrin: 0.2 });
    expect(withPesticide.q.aldrin).toBe(10);
    expect(withPesticide.wqi).toBe(8);
    expect(withPesticide.category?.nameVi).toBe('Ô nhiễm rất nặng');
    expect(computeWqi({ ...labSample, aldrin: 0.1 }).wqi).toBe(82);
  });

  it("returns null for the water probe's own parameters and names the missing groups", () => {
    // The profile gives pH (group I) and DO, COD, NH4 (group IV): 2 of the 5 groups, need 3.
    const r = computeWqi({
      ph: 7.2,
      temperature: 28,
      do: 6.5,
      cod: 12,
      nh4: 0.2,
      turbidity: 15,
      tss: 30,
      conductivity: 250,
    });
    expect(r.wqi).toBeNull();
    expect(r.category).toBeNull();
    expect(r.reason).toMatch(/needs at least 3 of the 5 parameter groups, have I, IV/);
    expect(r.reason).toMatch(/II \(pesticides/);
    expect(r.reason).toMatch(/III \(heavy metals/);
    expect(r.reason).toMatch(/V \(microbiological: coliform, ecoli\)/);
    expect(r.notes).toEqual([
      'turbidity: not a VN_WQI parameter; ignored',
      'tss: not a VN_WQI parameter; ignored',
      'conductivity: not a VN_WQI parameter; ignored',
    ]);
    // Add a coliform count (group V) and the index can be computed.
    expect(
      computeWqi({ ph: 7.2, temperature: 28, do: 6.5, cod: 12, nh4: 0.2, coliform: 2000 }).wqi,
    ).not.toBeNull();
  });

  it('requires group IV with at least 3 parameters', () => {
    const r = computeWqi({ ph: 7, cod: 12, nh4: 0.2, coliform: 2000, cu: 0.05 });
    expect(r.wqi).toBeNull();
    expect(r.reason).toMatch(
      /group IV \(organic and nutrients\) is mandatory with at least 3 parameters, have 2/,
    );
    const noTemp = computeWqi({ ph: 7, do: 7, cod: 12, nh4: 0.2, coliform: 2000 });
    expect(noTemp.wqi).toBeNull();
    expect(noTemp.notes).toContain('do: needs temperature to compute % saturation; left out');
  });

  it('uses the group IV mean when group V is absent (groups I, III, IV present)', () => {
    // IV: cod 10 → 100, nh4 0.3 → 100, bod5 4 → 100 → 100; III: zn 0.5 → 100; I: pH 5.75 → 50 + 50 × 0.25/0.5 = 75
    // WQI = 0.75 × 1 × 100 = 75
    const r = computeWqi({ ph: 5.75, cod: 10, nh4: 0.3, bod5: 4, zn: 0.5 });
    expect(r.q.ph).toBe(75);
    expect(r.wqi).toBe(75);
  });

  it('handles table edges: pH bands, repeated breakpoints, above the last breakpoint', () => {
    const q = (s: Parameters<typeof computeWqi>[0]) => computeWqi(s).q;
    expect(q({ ph: 5.5 }).ph).toBe(50);
    expect(q({ ph: 5.4 }).ph).toBe(10);
    expect(q({ ph: 8.75 }).ph).toBe(75);
    expect(q({ ph: 9.2 }).ph).toBe(10);
    expect(q({ nh4: 0.3 }).nh4).toBe(100);
    expect(q({ nh4: 0.33 }).nh4).toBeCloseTo(72.5, 10); // 75 − 25 × 0.03/0.3
    expect(q({ nh4: 7 }).nh4).toBe(10);
    expect(q({ no2: 0.05 }).no2).toBe(100);
    expect(q({ no2: 0.051 }).no2).toBe(10);
    expect(q({ coliform: 12000 }).coliform).toBe(10);
    expect(q({ temperature: 25, do: 1 }).do).toBe(10); // 12 % < 20 %
  });

  it('rejects unknown or impossible parameters', () => {
    expect(() => computeWqi({ ph: 15 })).toThrow();
    expect(() => computeWqi({ cod: -1 })).toThrow();
    expect(() => computeWqi({ bod: 3 } as never)).toThrow();
  });

  it('has the six bands of Table 1', () => {
    expect(WQI_CATEGORIES.map((c) => [c.min, c.max, c.nameVi])).toEqual([
      [91, 100, 'Rất tốt'],
      [76, 90, 'Tốt'],
      [51, 75, 'Trung bình'],
      [26, 50, 'Xấu'],
      [10, 25, 'Kém'],
      [0, 9, 'Ô nhiễm rất nặng'],
    ]);
    expect(wqiCategory(91).rgb).toEqual([51, 51, 255]);
    expect(wqiCategory(10).nameVi).toBe('Kém');
    expect(() => wqiCategory(101)).toThrow(RangeError);
  });
});
