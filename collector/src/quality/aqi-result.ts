import { POLLUTANTS, type Pollutant } from './aqi-breakpoints.js';

/** A VN_AQI value (hourly or daily) with its sub-indices and, when something is missing, why. */
export interface AqiResult {
  aqi: number | null;
  dominant: Pollutant | null;
  /** Other pollutants whose sub-index equals the dominant one's. */
  tiedWith: Pollutant[];
  sub: Record<Pollutant, number | null>;
  /** Why a sub-index is null, per pollutant. */
  subReasons: Partial<Record<Pollutant, string>>;
  /** Concentration each sub-index was computed from (NowCast for hourly PM), µg/m³. */
  concentrations: Partial<Record<Pollutant, number>>;
  /** Pollutants at or above their table's last breakpoint (the decision's "≥" level): the value is capped. */
  topOfScale: Pollutant[];
  /** Present only when `aqi` is null. */
  reason?: string;
}

export interface SubIndexOutcome {
  sub: Partial<Record<Pollutant, number>>;
  topOfScale: Pollutant[];
  subReasons: Partial<Record<Pollutant, string>>;
  concentrations: Partial<Record<Pollutant, number>>;
}

/**
 * AQI = max(AQI_x) (Section 2.2.1.c / 2.2.2.c), refused without a PM2.5 or PM10 sub-index (Section 2.1.b:
 * "bắt buộc phải có tối thiểu 01 trong 02 thông số PM10, PM2.5"). Ties name the first in POLLUTANTS order.
 */
export function combineSubIndices(outcome: SubIndexOutcome): AqiResult {
  const sub = Object.fromEntries(POLLUTANTS.map((p) => [p, outcome.sub[p] ?? null])) as Record<
    Pollutant,
    number | null
  >;
  const base = {
    sub,
    subReasons: outcome.subReasons,
    concentrations: outcome.concentrations,
    topOfScale: outcome.topOfScale,
    tiedWith: [] as Pollutant[],
  };
  if (sub.pm25 === null && sub.pm10 === null) {
    const why = (['pm25', 'pm10'] as const).map((p) => `${p}: ${outcome.subReasons[p] ?? 'no data'}`);
    return {
      ...base,
      aqi: null,
      dominant: null,
      reason: `VN_AQI needs a PM2.5 or PM10 sub-index (${why.join('; ')})`,
    };
  }
  let best: Pollutant | null = null;
  for (const p of POLLUTANTS) {
    const v = sub[p];
    if (v !== null && (best === null || v > (sub[best] ?? -1))) best = p;
  }
  const aqi = best === null ? null : sub[best];
  const tiedWith = POLLUTANTS.filter((p) => p !== best && sub[p] !== null && sub[p] === aqi);
  return { ...base, aqi, dominant: best, tiedWith };
}
