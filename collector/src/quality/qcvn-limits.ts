/**
 * National limits as data, for the alarm engine and the console.
 * QCVN 05:2023/BTNMT (ambient air), Table 1, µg/Nm³ (we compare station µg/m³ readings directly).
 * QCVN 08:2023/BTNMT (surface water): Table 1 limits that protect human health apply to every water body;
 * Table 2 classifies rivers, streams, canals and ditches into levels A (best) … D (worst) — we encode the
 * bounds of A, B and C; a value worse than C is level D.
 */
export const QCVN_05_2023 = 'QCVN 05:2023/BTNMT';
export const QCVN_08_2023 = 'QCVN 08:2023/BTNMT';
export type QcvnStandard = typeof QCVN_05_2023 | typeof QCVN_08_2023;

export type Averaging = '1h' | '8h' | '24h' | 'year' | 'sample';
export type WaterLevel = 'A' | 'B' | 'C';

interface LimitBase {
  standard: QcvnStandard;
  medium: 'air' | 'water';
  /** Channel name as the device profiles use it (pm25, o3, ph, do, cod, nh4 …). */
  parameter: string;
  averaging: Averaging;
  unit: string;
  /** Table 2 level of QCVN 08:2023; absent for limits that hold for every level. */
  level?: WaterLevel;
  /** Inclusive YYYY-MM-DD dates between which the value applies (Asia/Ho_Chi_Minh). */
  validFrom?: string;
  validUntil?: string;
  source: string;
}

export type QcvnLimit =
  | (LimitBase & { comparison: 'max'; limit: number })
  | (LimitBase & { comparison: 'min'; limit: number })
  | (LimitBase & { comparison: 'range'; limit: readonly [number, number] });

const air = (
  parameter: string,
  averaging: Averaging,
  limit: number,
  extra: Partial<LimitBase> = {},
): QcvnLimit => ({
  standard: QCVN_05_2023,
  medium: 'air',
  parameter,
  averaging,
  comparison: 'max',
  limit,
  unit: 'µg/m³',
  source: 'Bảng 1',
  ...extra,
});

export const QCVN_05_LIMITS: readonly QcvnLimit[] = [
  air('so2', '1h', 350),
  air('so2', '24h', 125),
  air('so2', 'year', 50),
  air('co', '1h', 30000),
  air('co', '8h', 10000),
  air('no2', '1h', 200),
  air('no2', '24h', 100),
  air('no2', 'year', 40),
  air('o3', '1h', 200),
  air('o3', '8h', 120),
  air('tsp', '1h', 300),
  air('tsp', '24h', 200),
  air('tsp', 'year', 100),
  air('pm10', '24h', 100),
  air('pm10', 'year', 50),
  air('pm25', '24h', 50, { validUntil: '2025-12-31' }),
  air('pm25', '24h', 45, { validFrom: '2026-01-01' }),
  air('pm25', 'year', 25),
];

const water = (
  parameter: string,
  comparison: 'max' | 'min',
  limit: number,
  extra: Partial<LimitBase> = {},
): QcvnLimit => ({
  standard: QCVN_08_2023,
  medium: 'water',
  parameter,
  averaging: 'sample',
  comparison,
  limit,
  unit: 'mg/L',
  source: 'Bảng 1',
  ...extra,
});

const river = (level: WaterLevel) => ({ level, source: 'Bảng 2 (sông, suối, kênh, mương, khe, rạch)' });

export const QCVN_08_LIMITS: readonly QcvnLimit[] = [
  // Table 1: every surface water body.
  water('nitrite', 'max', 0.05),
  water('nh4', 'max', 0.3),
  water('as', 'max', 0.01),
  water('cd', 'max', 0.005),
  water('pb', 'max', 0.02),
  water('cr6', 'max', 0.01),
  water('cu', 'max', 0.1),
  water('zn', 'max', 0.5),
  water('hg', 'max', 0.001),
  // Table 2, rivers: levels A, B, C.
  { ...water('ph', 'max', 0, river('A')), comparison: 'range', limit: [6.5, 8.5], unit: 'pH' },
  { ...water('ph', 'max', 0, river('B')), comparison: 'range', limit: [6.0, 8.5], unit: 'pH' },
  { ...water('ph', 'max', 0, river('C')), comparison: 'range', limit: [6.0, 8.5], unit: 'pH' },
  water('bod5', 'max', 4, river('A')),
  water('bod5', 'max', 6, river('B')),
  water('bod5', 'max', 10, river('C')),
  water('cod', 'max', 10, river('A')),
  water('cod', 'max', 15, river('B')),
  water('cod', 'max', 20, river('C')),
  water('toc', 'max', 4, river('A')),
  water('toc', 'max', 6, river('B')),
  water('toc', 'max', 8, river('C')),
  water('tss', 'max', 25, river('A')),
  water('tss', 'max', 100, river('B')),
  water('do', 'min', 6.0, river('A')),
  water('do', 'min', 5.0, river('B')),
  water('do', 'min', 4.0, river('C')),
];

export const QCVN_LIMITS: readonly QcvnLimit[] = [...QCVN_05_LIMITS, ...QCVN_08_LIMITS];

/** Limits in force on a date; for water, Table 1 plus the chosen Table 2 level. */
export function limitsInForce(
  date: string,
  options: { medium?: 'air' | 'water'; waterLevel?: WaterLevel } = {},
): QcvnLimit[] {
  return QCVN_LIMITS.filter(
    (l) =>
      (options.medium === undefined || l.medium === options.medium) &&
      (l.validFrom === undefined || date >= l.validFrom) &&
      (l.validUntil === undefined || date <= l.validUntil) &&
      (l.level === undefined || l.level === (options.waterLevel ?? 'B')),
  );
}
