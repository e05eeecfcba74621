import { CRON_MONTHS, CRON_WEEKDAYS, cronProblem } from '@xaso/device-profiles/contract';

/** A cron expression (the contract's node-cron dialect) expanded into the values each field allows. */
export interface CronSets {
  seconds: number[];
  minutes: number[];
  hours: number[];
  daysOfMonth: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Classic cron: when both day fields are restricted a day matches either of them. */
  dayOr: boolean;
}

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

/** Throws when the expression is not valid cron (callers validate with the contract's CronSchema first). */
export function cronSets(expression: string): CronSets {
  const problem = cronProblem(expression);
  if (problem) throw new Error(`invalid cron: ${problem}`);
  const parts = expression.trim().split(/\s+/);
  const [sec, min, hour, dom, month, dow] = parts.length === 6 ? parts : ['0', ...parts];
  const weekdays = new Set(expandField(dow ?? '*', 0, 7).map((d) => (d === 7 ? 0 : d)));
  return {
    seconds: expandField(sec ?? '0', 0, 59),
    minutes: expandField(min ?? '*', 0, 59),
    hours: expandField(hour ?? '*', 0, 23),
    daysOfMonth: new Set(expandField(dom ?? '*', 1, 31)),
    months: new Set(expandField(month ?? '*', 1, 12)),
    weekdays,
    dayOr: dom !== '*' && dow !== '*',
  };
}

export function dayMatches(
  sets: CronSets,
  day: { dayOfMonth: number; month: number; weekday: number },
): boolean {
  if (!sets.months.has(day.month)) return false;
  const byDate = sets.daysOfMonth.has(day.dayOfMonth);
  const byWeekday = sets.weekdays.has(day.weekday);
  return sets.dayOr ? byDate || byWeekday : byDate && byWeekday;
}
