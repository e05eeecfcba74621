import { cronSets, cronTimes } from '@xaso/device-profiles/contract';
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
    for (const t of cronTimes(cronSets(rule.cron), from, to)) {
      out.push(t);
      if (out.length >= MAX_OCCURRENCES) break;
    }
  }
  return out.sort((a, b) => a - b).slice(0, MAX_OCCURRENCES);
}
