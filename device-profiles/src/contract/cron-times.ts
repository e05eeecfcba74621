import { CRON_MONTHS, CRON_WEEKDAYS, cronProblem } from './cron.js';

/**
 * The one reading of the contract's cron dialect into start times, so the console's calendar and conflict
 * checks and the gateway's catch-up agree on when a schedule plays (node-cron then fires them on time).
 */
export interface CronSets {
  /** Ascending. */
  seconds: number[];
  minutes: number[];
  hours: number[];
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  weekdays: ReadonlySet<number>;
}

/** Schedules are in Asia/Ho_Chi_Minh: UTC+7 with no daylight saving since 1975, so days are fixed offsets. */
export const VIETNAM_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

// Month and weekday names never share a field, so one lookup serves both (cronProblem checked the field).
const NAMES: Readonly<Record<string, number>> = { ...CRON_MONTHS, ...CRON_WEEKDAYS };

function tokenValue(token: string): number {
  return /^\d+$/.test(token) ? Number(token) : (NAMES[token.toLowerCase()] ?? Number.NaN);
}

function expandField(field: string, lo: number, hi: number): number[] {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '*', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let from = lo;
    let to = hi;
    if (range !== '*') {
      const [a = '', b] = range.split('-');
      from = tokenValue(a);
      to = b === undefined ? (stepText === undefined ? from : hi) : tokenValue(b);
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return [...out].sort((x, y) => x - y);
}

/** Throws when the expression is not valid cron (validate with the contract's CronSchema first). */
export function cronSets(expression: string): CronSets {
  const problem = cronProblem(expression);
  if (problem) throw new Error(`invalid cron: ${problem}`);
  const parts = expression.trim().split(/\s+/);
  const [sec, min, hour, dom, month, dow] = parts.length === 6 ? parts : ['0', ...parts];
  return {
    seconds: expandField(sec ?? '0', 0, 59),
    minutes: expandField(min ?? '*', 0, 59),
    hours: expandField(hour ?? '*', 0, 23),
    daysOfMonth: new Set(expandField(dom ?? '*', 1, 31)),
    months: new Set(expandField(month ?? '*', 1, 12)),
    weekdays: new Set(expandField(dow ?? '*', 0, 7).map((d) => (d === 7 ? 0 : d))),
  };
}

/**
 * Whether a local day (its date fields in Vietnam time) is one the expression plays on. Day of month AND
 * day of week must both match, as node-cron (which fires the gateway's schedules) reads them, unlike
 * classic Vixie cron's "either" when both are restricted.
 */
export function dayMatches(
  sets: CronSets,
  day: { dayOfMonth: number; month: number; weekday: number },
): boolean {
  return sets.months.has(day.month) && sets.daysOfMonth.has(day.dayOfMonth) && sets.weekdays.has(day.weekday);
}

/** Start of the Vietnam-local day holding `ms`, as epoch ms. */
export function vietnamDayStart(ms: number): number {
  return Math.floor((ms + VIETNAM_OFFSET_MS) / DAY_MS) * DAY_MS - VIETNAM_OFFSET_MS;
}

function dayFields(dayStart: number): { dayOfMonth: number; month: number; weekday: number } {
  const d = new Date(dayStart + VIETNAM_OFFSET_MS);
  return { dayOfMonth: d.getUTCDate(), month: d.getUTCMonth() + 1, weekday: d.getUTCDay() };
}

/**
 * Start times in [from, to) in time order ('asc') or newest first ('desc'); a generator, so a caller that
 * needs a few stops early even over a long range.
 */
export function* cronTimes(sets: CronSets, from: number, to: number, order: 'asc' | 'desc' = 'asc') {
  if (to <= from) return;
  const asc = order === 'asc';
  const first = vietnamDayStart(from);
  const last = vietnamDayStart(to - 1);
  const inDay = (xs: readonly number[]) => (asc ? xs : [...xs].reverse());
  const hours = inDay(sets.hours);
  const minutes = inDay(sets.minutes);
  const seconds = inDay(sets.seconds);
  for (let day = asc ? first : last; asc ? day <= last : day >= first; day += asc ? DAY_MS : -DAY_MS) {
    if (!dayMatches(sets, dayFields(day))) continue;
    for (const h of hours)
      for (const m of minutes)
        for (const s of seconds) {
          const t = day + ((h * 60 + m) * 60 + s) * 1000;
          if (t >= from && t < to) yield t;
        }
  }
}
