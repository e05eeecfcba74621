/**
 * VN_WQI sub-index tables, Decision 1460/QĐ-TCMT (2019), Section 2: q_i against breakpoints BP_i.
 * A repeated breakpoint (e.g. N-NH4 0.3, 0.3) is a step in the table: the value jumps between those levels.
 * Values above the last breakpoint take q = 10 (the lowest level). Units: mg/L unless noted.
 */
export interface QTable {
  bp: readonly number[];
  q: readonly number[];
}

const Q_LEVELS = [100, 75, 50, 25, 10] as const;

/** Table for groups IV (organic, nutrients) and V (microbiological), q = 100, 75, 50, 25, 10. */
export const ORGANIC_NUTRIENT_MICROBIAL_TABLES = {
  bod5: { bp: [4, 6, 15, 25, 50], q: Q_LEVELS },
  cod: { bp: [10, 15, 30, 50, 150], q: Q_LEVELS },
  toc: { bp: [4, 6, 15, 25, 50], q: Q_LEVELS },
  nh4: { bp: [0.3, 0.3, 0.6, 0.9, 5], q: Q_LEVELS },
  no3: { bp: [2, 5, 10, 15, 15], q: Q_LEVELS },
  no2: { bp: [0.05, 0.05], q: [100, 10] },
  po4: { bp: [0.1, 0.2, 0.3, 0.5, 4], q: Q_LEVELS },
  coliform: { bp: [2500, 5000, 7500, 10000, 10000], q: Q_LEVELS },
  ecoli: { bp: [20, 50, 100, 200, 200], q: Q_LEVELS },
} as const satisfies Record<string, QTable>;

/** Group III (heavy metals), mg/L. */
export const HEAVY_METAL_TABLES = {
  as: { bp: [0.01, 0.02, 0.05, 0.1, 0.1], q: Q_LEVELS },
  cd: { bp: [0.005, 0.005, 0.008, 0.01, 0.1], q: Q_LEVELS },
  pb: { bp: [0.02, 0.02, 0.04, 0.05, 0.5], q: Q_LEVELS },
  cr6: { bp: [0.01, 0.02, 0.04, 0.05, 0.1], q: Q_LEVELS },
  cu: { bp: [0.1, 0.2, 0.5, 1, 2], q: Q_LEVELS },
  zn: { bp: [0.5, 1, 1.5, 2, 3], q: Q_LEVELS },
  hg: { bp: [0.001, 0.001, 0.0015, 0.002, 0.01], q: Q_LEVELS },
} as const satisfies Record<string, QTable>;

/** Group II (pesticides), µg/L: q = 100 at or below the limit, 10 above it. */
export const PESTICIDE_LIMITS = {
  aldrin: 0.1,
  bhc: 0.02,
  dieldrin: 0.1,
  ddts: 1.0,
  heptachlor: 0.2,
} as const;

/** Group I: pH. Outside 5.5…9 q = 10; 6…8.5 is 100. */
export const PH_TABLE: QTable = { bp: [5.5, 6, 8.5, 9], q: [50, 100, 100, 50] };

/** DO as % saturation. Outside 20…200 % q = 10; 88…112 % is 100. */
export const DO_SATURATION_TABLE: QTable = {
  bp: [20, 50, 75, 88, 112, 125, 150, 200],
  q: [25, 50, 75, 100, 100, 75, 50, 25],
};

/**
 * q for a value on a table whose q falls as the concentration rises (Công thức 1 of the decision, i.e. linear
 * interpolation between (BP_i, q_i) and (BP_{i+1}, q_{i+1})).
 */
export function qFalling(table: QTable, c: number): number {
  const { bp, q } = table;
  if (c <= bp[0]!) return q[0]!;
  const last = bp.length - 1;
  if (c > bp[last]!) return q[last]!;
  for (let i = 0; i < last; i++) {
    const lo = bp[i]!;
    const hi = bp[i + 1]!;
    if (hi > lo && c > lo && c <= hi) return interpolate(lo, q[i]!, hi, q[i + 1]!, c);
  }
  return q[last]!;
}

/** q on a two-sided table (pH, DO %): piecewise linear inside [first, last] breakpoint, 10 outside. */
export function qBanded(table: QTable, c: number): number {
  const { bp, q } = table;
  if (c < bp[0]! || c > bp[bp.length - 1]!) return 10;
  for (let i = 0; i < bp.length - 1; i++) {
    const lo = bp[i]!;
    const hi = bp[i + 1]!;
    if (c >= lo && c <= hi) return interpolate(lo, q[i]!, hi, q[i + 1]!, c);
  }
  return 10;
}

function interpolate(x0: number, y0: number, x1: number, y1: number, x: number): number {
  return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
}

/**
 * Saturated dissolved oxygen (mg/L) at temperature T (°C), the decision's polynomial:
 * DO_bh = 14.652 − 0.41022·T + 0.0079910·T² − 0.000077774·T³; DO% = DO / DO_bh × 100.
 */
export function doSaturationMgL(temperatureC: number): number {
  const t = temperatureC;
  return 14.652 - 0.41022 * t + 0.007991 * t ** 2 - 0.000077774 * t ** 3;
}

export function doSaturationPercent(doMgL: number, temperatureC: number): number {
  return (doMgL / doSaturationMgL(temperatureC)) * 100;
}
