import { DAY_MS, localDayFields, localDayStart } from '../time.js';
import { cronSets, dayMatches } from './cron-sets.js';
import type { StartRule } from './recurrence.js';

/** Enough for any realistic programme; an every-minute cron over a year is cut off here. */
export const MAX_OCCURRENCES = 20_000;

/** Start times (epoch ms, ascending) of the rules within [from, to). */
export function occurrences(rules: readonly StartRule[], from: number, to: number): number[] {
  const out: number[] = [];
  for (const rule of rules) {
    if ('at' in rule) {
      if (rule.at >= from && rule.at < to) out.push(rule.at);
      continue;
    }
    const sets = cronSets(rule.cron);
    for (let day = localDayStart(from); day < to && out.length < MAX_OCCURRENCES; day += DAY_MS) {
      if (!dayMatches(sets, localDayFields(day))) continue;
      for (const h of sets.hours)
        for (const m of sets.minutes)
          for (const s of sets.seconds) {
            const t = day + ((h * 60 + m) * 60 + s) * 1000;
            if (t >= from && t < to) out.push(t);
          }
    }
  }
  return out.sort((a, b) => a - b).slice(0, MAX_OCCURRENCES);
}
