import type { ScheduleEntry } from '@xaso/device-profiles/contract';
import cron from 'node-cron';

/** Asia/Ho_Chi_Minh has been UTC+7 with no daylight saving since 1975: local days are fixed offsets. */
const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

export function inValidity(entry: ScheduleEntry, at: number): boolean {
  return at >= entry.validFrom && (entry.validTo === undefined || at < entry.validTo);
}

/**
 * Start times of an entry in (from, to], newest first, at most `limit`, inside the validity window.
 * Times come from the parsed second/minute/hour fields of each local day; whether a day counts is asked of
 * node-cron's own matcher, so its day-of-month/day-of-week rules apply unchanged.
 */
export function slotsBetween(entry: ScheduleEntry, from: number, to: number, limit: number): number[] {
  if (entry.at !== undefined)
    return entry.at > from && entry.at <= to && inValidity(entry, entry.at) ? [entry.at] : [];
  if (entry.cron === undefined || to <= from) return [];
  const fields = cron.parse(entry.cron);
  const matcher = cron.createTask(entry.cron, () => undefined, { timezone: 'Asia/Ho_Chi_Minh' });
  const found: number[] = [];
  const lastDay = Math.floor((to + VIETNAM_OFFSET_MS) / DAY_MS);
  const firstDay = Math.floor((from + VIETNAM_OFFSET_MS) / DAY_MS);
  const desc = (xs: readonly number[]) => [...xs].sort((a, b) => b - a);
  const hours = desc(fields.hour);
  const minutes = desc(fields.minute);
  const seconds = desc(fields.second);
  for (let day = lastDay; day >= firstDay; day--) {
    const dayStart = day * DAY_MS - VIETNAM_OFFSET_MS;
    if (!dayMatches(matcher, dayStart, hours, minutes, seconds)) continue;
    for (const h of hours)
      for (const m of minutes)
        for (const s of seconds) {
          const t = dayStart + ((h * 60 + m) * 60 + s) * 1000;
          if (t <= from || t > to || !inValidity(entry, t)) continue;
          found.push(t);
          if (found.length >= limit) return found;
        }
  }
  return found;
}

/** Month, day-of-month and day-of-week are whole-day rules: the day's earliest candidate time decides. */
function dayMatches(
  matcher: ReturnType<typeof cron.createTask>,
  dayStart: number,
  hours: readonly number[],
  minutes: readonly number[],
  seconds: readonly number[],
): boolean {
  const h = hours.at(-1) ?? 0;
  const m = minutes.at(-1) ?? 0;
  const s = seconds.at(-1) ?? 0;
  return matcher.match(new Date(dayStart + ((h * 60 + m) * 60 + s) * 1000));
}
