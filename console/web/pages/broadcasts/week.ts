/**
 * Week arithmetic for the broadcast calendar in Asia/Ho_Chi_Minh. Vietnam has kept UTC+7 without daylight
 * saving since 1975, so a fixed offset is exact and the browser's own zone never matters.
 */
export const VN_OFFSET_MS = 7 * 3_600_000;
export const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** Weekday names as the schedule API spells them, Monday first like a Vietnamese calendar. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local Monday 00:00 (epoch ms) of the week containing `ms`. */
export function weekStart(ms: number): number {
  const local = ms + VN_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  // 1970-01-01 was a Thursday: day 0 → index 3 with Monday as 0.
  const mondayIndex = (day + 3) % 7;
  return (day - mondayIndex) * DAY_MS - VN_OFFSET_MS;
}

export function addWeeks(start: number, weeks: number): number {
  return start + weeks * WEEK_MS;
}

/** YYYY-MM-DD of the local day containing `ms`, the form the API and `<input type=date>` use. */
export function localDate(ms: number): string {
  return new Date(ms + VN_OFFSET_MS).toISOString().slice(0, 10);
}

/** HH:MM (24 h) local. */
export function localTime(ms: number): string {
  return new Date(ms + VN_OFFSET_MS).toISOString().slice(11, 16);
}

/** Minutes since local midnight. */
export function minuteOfDay(ms: number): number {
  return Math.floor(((ms + VN_OFFSET_MS) % DAY_MS) / 60_000);
}

/** 0 = Monday … 6 = Sunday for a time inside the week starting at `start`; -1 outside it. */
export function dayOfWeek(ms: number, start: number): number {
  const index = Math.floor((ms - start) / DAY_MS);
  return index >= 0 && index < 7 ? index : -1;
}

export interface Timed {
  start: number;
  end: number;
}

export interface Placed<T extends Timed> {
  item: T;
  day: number;
  /** Minutes since local midnight where the block starts and ends (clipped to the day). */
  fromMinute: number;
  toMinute: number;
  /** Side-by-side lanes for overlapping blocks of the same day. */
  lane: number;
  lanes: number;
}

/**
 * Places occurrences in the week's day columns. Blocks shorter than `minMinutes` are drawn that tall so
 * they stay clickable, and lanes are assigned on the drawn size so nothing hides under anything else.
 */
export function layoutWeek<T extends Timed>(
  items: readonly T[],
  start: number,
  minMinutes = 30,
): Placed<T>[] {
  const byDay: Placed<T>[][] = Array.from({ length: 7 }, () => []);
  for (const item of [...items].sort((a, b) => a.start - b.start)) {
    const day = dayOfWeek(item.start, start);
    if (day < 0) continue;
    const fromMinute = minuteOfDay(item.start);
    const length = Math.max(minMinutes, Math.ceil((item.end - item.start) / 60_000));
    byDay[day]?.push({
      item,
      day,
      fromMinute,
      toMinute: Math.min(24 * 60, fromMinute + length),
      lane: 0,
      lanes: 1,
    });
  }
  for (const blocks of byDay) assignLanes(blocks);
  return byDay.flat();
}

/** Greedy lanes within clusters of mutually overlapping blocks (blocks sorted by start). */
function assignLanes<T extends Timed>(blocks: Placed<T>[]): void {
  let group: Placed<T>[] = [];
  let groupEnd = -1;
  const close = () => {
    const lanes = Math.max(1, ...group.map((b) => b.lane + 1));
    for (const b of group) b.lanes = lanes;
  };
  for (const block of blocks) {
    if (block.fromMinute >= groupEnd && group.length > 0) {
      close();
      group = [];
    }
    const laneEnds: number[] = [];
    for (const b of group) laneEnds[b.lane] = Math.max(laneEnds[b.lane] ?? 0, b.toMinute);
    let lane = laneEnds.findIndex((end) => end <= block.fromMinute);
    if (lane < 0) lane = laneEnds.length;
    block.lane = lane;
    group.push(block);
    groupEnd = Math.max(groupEnd, block.toMinute);
  }
  if (group.length > 0) close();
}

/** The hours the grid shows: a working day (05–21) widened to include every block. */
export function hourRange<T extends Timed>(placed: readonly Placed<T>[]): { first: number; last: number } {
  let first = 5;
  let last = 21;
  for (const p of placed) {
    first = Math.min(first, Math.floor(p.fromMinute / 60));
    last = Math.max(last, Math.ceil(p.toMinute / 60) - 1);
  }
  return { first, last: Math.min(23, last) };
}

/** dd/mm/yyyy of an API date YYYY-MM-DD. */
export function dateText(date: string): string {
  return date.split('-').reverse().join('/');
}

/** dd/mm/yyyy HH:mm of a local ISO time as the API writes it ("2027-01-04T06:00:00+07:00"). */
export function localIsoText(iso: string): string {
  return `${dateText(iso.slice(0, 10))} ${iso.slice(11, 16)}`;
}

/** "24/12/2026" (or 24-12-2026, 1/2/2027) → "2026-12-24"; undefined when it is not a calendar date. */
export function parseDateText(text: string): string | undefined {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  if (!m) return undefined;
  const iso = `${m[3]}-${(m[2] ?? '').padStart(2, '0')}-${(m[1] ?? '').padStart(2, '0')}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(iso) ? iso : undefined;
}

/** "6:05", "06:05" or "6h05" → "06:05" (24-hour); undefined otherwise. */
export function parseTimeText(text: string): string | undefined {
  const m = /^\s*([01]?\d|2[0-3])\s*[:hH.]\s*([0-5]\d)\s*$/.exec(text);
  return m ? `${(m[1] ?? '').padStart(2, '0')}:${m[2]}` : undefined;
}
