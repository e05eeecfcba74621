/** Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving), so local time is a fixed shift. */
const VIETNAM_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

/** Local hour of day in Vietnam, 0 ≤ h < 24. */
export function localHour(timeMs: number): number {
  const ms = (((timeMs + VIETNAM_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS;
  return ms / 3_600_000;
}

/** Index of the local calendar day, used to decide per-day events such as episodes. */
export function localDay(timeMs: number): number {
  return Math.floor((timeMs + VIETNAM_OFFSET_MS) / DAY_MS);
}

/** Start of the local day containing `timeMs`, in epoch milliseconds. */
export function localMidnight(timeMs: number): number {
  return localDay(timeMs) * DAY_MS - VIETNAM_OFFSET_MS;
}

/** A bell around `peakHour` with width `sigmaHours`, wrapping over midnight; 1 at the peak. */
export function bell(hour: number, peakHour: number, sigmaHours: number): number {
  let d = Math.abs(hour - peakHour);
  d = Math.min(d, 24 - d);
  return Math.exp(-(d * d) / (2 * sigmaHours * sigmaHours));
}

/** Cosine cycle: 1 at `peakHour`, -1 twelve hours later. */
export function cycle(hour: number, peakHour: number): number {
  return Math.cos(((hour - peakHour) / 24) * 2 * Math.PI);
}

/** Traffic shape: morning (≈07:30) and evening (≈18:30) rush hours on top of a night floor. */
export function rushHours(hour: number): number {
  return 0.9 * bell(hour, 7.5, 1.3) + 0.8 * bell(hour, 18.5, 1.6);
}

/** Sunlight from about 06:00 to 18:00, peaking at noon; 0 at night. */
export function daylight(hour: number): number {
  return Math.max(0, Math.sin(((hour - 6) / 12) * Math.PI));
}
