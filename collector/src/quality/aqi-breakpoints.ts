/**
 * VN_AQI breakpoint table, Decision 1459/QĐ-TCMT (2019), Section 2.2.1.b, Table 2 (Bảng 2).
 * All concentrations in µg/m³, CO included. Level 8 of the table reads "≥" the top breakpoint.
 */
export const POLLUTANTS = ['pm25', 'pm10', 'o3', 'no2', 'so2', 'co'] as const;
export type Pollutant = (typeof POLLUTANTS)[number];

/** Index value I_i for each level i = 1…8 (Table 2, column I_i). */
export const AQI_LEVELS = [0, 50, 100, 150, 200, 300, 400, 500] as const;

export type BreakpointScale = 'pm25' | 'pm10' | 'o3_1h' | 'o3_8h' | 'no2' | 'so2' | 'co';

/** BP_i per level; O3 8-h stops at level 6 (I = 300): Table 2 has "-" for levels 7 and 8. */
export const BREAKPOINTS: Record<BreakpointScale, readonly number[]> = {
  o3_1h: [0, 160, 200, 300, 400, 800, 1000, 1200],
  o3_8h: [0, 100, 120, 170, 210, 400],
  co: [0, 10000, 30000, 45000, 60000, 90000, 120000, 150000],
  so2: [0, 125, 350, 550, 800, 1600, 2100, 2630],
  no2: [0, 100, 200, 700, 1200, 2350, 3100, 3850],
  pm10: [0, 50, 150, 250, 350, 420, 500, 600],
  pm25: [0, 25, 50, 80, 150, 250, 350, 500],
};

export interface SubIndex {
  /** Unrounded AQI_x from the decision's linear formula (Công thức 1/2). */
  exact: number;
  /** Rounded to an integer, as Section 2.2.1.c / 2.2.2.c require. */
  value: number;
  /** True when C ≥ the table's last breakpoint: the decision maps it to that level's I (500, or 300 for O3 8-h). */
  atTopOfScale: boolean;
}

/** Half-up rounding to an integer; the decision says "làm tròn thành số nguyên" without naming a rule.
 * The 1e-9 absorbs binary floating-point error so an exact ".5" (e.g. 109.5) is not read as 109.4999….
 */
export function roundIndex(x: number): number {
  return Math.floor(x + 0.5 + 1e-9);
}

/**
 * AQI_x = (I_{i+1} − I_i)/(BP_{i+1} − BP_i) × (C − BP_i) + I_i  with BP_i ≤ C ≤ BP_{i+1}.
 * The table's segments share their end points, so a concentration exactly at a breakpoint gives the same
 * value from either side.
 */
export function subIndex(scale: BreakpointScale, concentration: number): SubIndex {
  if (!Number.isFinite(concentration) || concentration < 0) {
    throw new RangeError(`concentration must be a finite number ≥ 0 µg/m³, got ${concentration}`);
  }
  const bp = BREAKPOINTS[scale];
  const top = bp[bp.length - 1]!;
  const topLevel = AQI_LEVELS[bp.length - 1]!;
  if (concentration >= top) return { exact: topLevel, value: topLevel, atTopOfScale: true };
  for (let i = 0; i < bp.length - 1; i++) {
    const lo = bp[i]!;
    const hi = bp[i + 1]!;
    if (concentration >= lo && concentration <= hi) {
      const iLo = AQI_LEVELS[i]!;
      const iHi = AQI_LEVELS[i + 1]!;
      const exact = ((iHi - iLo) / (hi - lo)) * (concentration - lo) + iLo;
      return { exact, value: roundIndex(exact), atTopOfScale: false };
    }
  }
  throw new RangeError(`no breakpoint segment for ${concentration} on scale ${scale}`);
}
