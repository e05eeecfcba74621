import { describe, expect, it } from 'vitest';
import {
  QCVN_05_LIMITS,
  QCVN_08_LIMITS,
  type QcvnLimit,
  limitsInForce,
  qcvnThresholdRules,
} from '../../../collector/src/quality/index.js';

const find = (table: readonly QcvnLimit[], parameter: string, averaging: string, level?: string) =>
  table.filter((l) => l.parameter === parameter && l.averaging === averaging && l.level === level);

describe('QCVN 05:2023/BTNMT Table 1 (µg/m³)', () => {
  it.each([
    ['so2', '1h', 350],
    ['so2', '24h', 125],
    ['so2', 'year', 50],
    ['co', '1h', 30000],
    ['co', '8h', 10000],
    ['no2', '1h', 200],
    ['no2', '24h', 100],
    ['no2', 'year', 40],
    ['o3', '1h', 200],
    ['o3', '8h', 120],
    ['tsp', '1h', 300],
    ['tsp', '24h', 200],
    ['tsp', 'year', 100],
    ['pm10', '24h', 100],
    ['pm10', 'year', 50],
    ['pm25', 'year', 25],
  ])('%s %s ≤ %d', (parameter, averaging, limit) => {
    const [l, ...more] = find(QCVN_05_LIMITS, parameter, averaging);
    expect(more).toEqual([]);
    expect(l).toMatchObject({ comparison: 'max', limit, unit: 'µg/m³', standard: 'QCVN 05:2023/BTNMT' });
  });

  it('switches PM2.5 24-hour from 50 to 45 on 2026-01-01', () => {
    const pm25 = (date: string) =>
      limitsInForce(date, { medium: 'air' }).filter((l) => l.parameter === 'pm25' && l.averaging === '24h');
    expect(pm25('2025-12-31').map((l) => l.limit)).toEqual([50]);
    expect(pm25('2026-01-01').map((l) => l.limit)).toEqual([45]);
  });
});

describe('QCVN 08:2023/BTNMT (surface water)', () => {
  it('has the Table 1 health limits that bind every level', () => {
    expect(find(QCVN_08_LIMITS, 'nh4', 'sample')[0]).toMatchObject({
      comparison: 'max',
      limit: 0.3,
      unit: 'mg/L',
    });
    expect(find(QCVN_08_LIMITS, 'nitrite', 'sample')[0]?.limit).toBe(0.05);
    expect(find(QCVN_08_LIMITS, 'hg', 'sample')[0]?.limit).toBe(0.001);
  });

  it('classifies rivers by Table 2 levels A, B, C', () => {
    expect(find(QCVN_08_LIMITS, 'ph', 'sample', 'A')[0]).toMatchObject({
      comparison: 'range',
      limit: [6.5, 8.5],
    });
    expect(find(QCVN_08_LIMITS, 'ph', 'sample', 'B')[0]?.limit).toEqual([6.0, 8.5]);
    expect(find(QCVN_08_LIMITS, 'do', 'sample', 'A')[0]).toMatchObject({ comparison: 'min', limit: 6.0 });
    expect(find(QCVN_08_LIMITS, 'do', 'sample', 'C')[0]?.limit).toBe(4.0);
    expect(find(QCVN_08_LIMITS, 'bod5', 'sample', 'B')[0]?.limit).toBe(6);
    expect(find(QCVN_08_LIMITS, 'cod', 'sample', 'C')[0]?.limit).toBe(20);
    expect(find(QCVN_08_LIMITS, 'tss', 'sample', 'A')[0]?.limit).toBe(25);
    expect(find(QCVN_08_LIMITS, 'tss', 'sample', 'C')).toEqual([]); // level C/D differ only by floating waste
    expect(QCVN_08_LIMITS.some((l) => l.parameter === 'turbidity')).toBe(false);
  });

  it('selects Table 1 plus one level for a station', () => {
    const water = limitsInForce('2026-11-23', { medium: 'water', waterLevel: 'A' });
    expect(water.filter((l) => l.parameter === 'cod').map((l) => l.limit)).toEqual([10]);
    expect(water.some((l) => l.parameter === 'nh4')).toBe(true);
  });
});

describe('QCVN → alarm rules', () => {
  it('builds valid threshold rules with unique ids, without annual limits', () => {
    const rules = qcvnThresholdRules({ date: '2026-11-23', waterLevel: 'B', raiseAfterMs: 600_000 });
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    expect(rules.some((r) => r.averaging === 'year')).toBe(false);
    const pm25 = rules.find((r) => r.channel === 'pm25');
    expect(pm25).toMatchObject({
      id: 'qcvn-air-pm25-24h',
      averaging: '24h',
      limit: 45,
      raiseAfterMs: 600_000,
    });
    expect(rules.find((r) => r.id === 'qcvn-water-do-sample-b')).toMatchObject({
      comparison: 'min',
      limit: 5,
    });
  });
});
