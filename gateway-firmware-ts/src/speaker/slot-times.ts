import { type ScheduleEntry, cronSets, cronTimes } from '@xaso/device-profiles/contract';

export function inValidity(entry: ScheduleEntry, at: number): boolean {
  return at >= entry.validFrom && (entry.validTo === undefined || at < entry.validTo);
}

/**
 * Start times of an entry in (from, to], newest first, at most `limit`, inside the validity window. The
 * contract's reading of the cron dialect, the same the console's calendar uses (a test holds it to node-cron).
 */
export function slotsBetween(entry: ScheduleEntry, from: number, to: number, limit: number): number[] {
  if (entry.at !== undefined)
    return entry.at > from && entry.at <= to && inValidity(entry, entry.at) ? [entry.at] : [];
  if (entry.cron === undefined || to <= from || limit <= 0) return [];
  const found: number[] = [];
  for (const t of cronTimes(cronSets(entry.cron), from + 1, to + 1, 'desc')) {
    if (!inValidity(entry, t)) continue;
    found.push(t);
    if (found.length >= limit) break;
  }
  return found;
}
