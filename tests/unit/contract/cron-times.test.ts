import { cronProblem, cronSets, cronTimes, dayMatches } from '@xaso/device-profiles/contract';
import cron from 'node-cron';
import { describe, expect, it } from 'vitest';
import { rng as random } from '../../harness/random.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function fieldOf(rand: () => number, lo: number, hi: number, names?: string[]): string {
  const n = () => lo + Math.floor(rand() * (hi - lo + 1));
  const token = (v: number) =>
    names && rand() < 0.3 ? (names[v - (lo === 1 ? 1 : 0)] ?? String(v)) : String(v);
  const part = (): string => {
    const r = rand();
    if (r < 0.25) return '*';
    if (r < 0.45) return token(n());
    const a = n();
    const b = a + Math.floor(rand() * (hi - a + 1));
    if (r < 0.65) return `${token(a)}-${token(b)}`;
    if (r < 0.8) return `*/${1 + Math.floor(rand() * 6)}`;
    return `${a}-${b}/${1 + Math.floor(rand() * 4)}`;
  };
  return rand() < 0.2 ? `${part()},${part()}` : part();
}

function expression(rand: () => number): string {
  const fields = [
    fieldOf(rand, 0, 59),
    fieldOf(rand, 0, 59),
    fieldOf(rand, 0, 23),
    fieldOf(rand, 1, 31),
    fieldOf(rand, 1, 12, MONTHS),
    fieldOf(rand, 0, 6, DAYS),
  ];
  return (rand() < 0.5 ? fields : fields.slice(1)).join(' ');
}

/** node-cron keeps a list's overlaps twice (`*,42-54/4`); what fires is the set. */
function values(xs: readonly number[]): number[] {
  return [...new Set(xs)].sort((a, b) => a - b);
}

/** Vietnam-local calendar fields of an instant. */
function localDay(ms: number) {
  const d = new Date(ms + 7 * 3_600_000);
  return { dayOfMonth: d.getUTCDate(), month: d.getUTCMonth() + 1, weekday: d.getUTCDay() };
}

describe('the contract reads cron exactly as node-cron, which fires the gateway’s schedules', () => {
  it('expands each field to the values node-cron parses, for 400 random expressions', () => {
    const rand = random(20261130);
    for (let i = 0; i < 400; i++) {
      const expr = expression(rand);
      expect(cronProblem(expr), expr).toBeNull();
      const ours = cronSets(expr);
      const theirs = cron.parse(expr);
      expect(ours.seconds, expr).toEqual(values(theirs.second));
      expect(ours.minutes, expr).toEqual(values(theirs.minute));
      expect(ours.hours, expr).toEqual(values(theirs.hour));
      expect(
        [...ours.daysOfMonth].sort((a, b) => a - b),
        expr,
      ).toEqual(values(theirs.dayOfMonth.map(Number)));
      expect(
        [...ours.months].sort((a, b) => a - b),
        expr,
      ).toEqual(values(theirs.month));
      expect(
        [...ours.weekdays].sort((a, b) => a - b),
        expr,
      ).toEqual(values(theirs.dayOfWeek.map((d) => Number(d) % 7)));
    }
  });

  it('plays on the same days as node-cron’s matcher in Asia/Ho_Chi_Minh, both day fields restricted included', () => {
    const rand = random(7);
    const start = Date.UTC(2026, 0, 1) - 7 * 3_600_000;
    let restrictedBoth = 0;
    for (let i = 0; i < 120; i++) {
      const expr = expression(rand);
      const parts = expr.split(' ');
      if (parts.at(-3) !== '*' && parts.at(-1) !== '*') restrictedBoth++;
      const sets = cronSets(expr);
      const task = cron.createTask(expr, () => undefined, { timezone: 'Asia/Ho_Chi_Minh' });
      for (let day = 0; day < 400; day += 3) {
        const midnight = start + day * 86_400_000;
        const first =
          midnight +
          ((sets.hours[0] ?? 0) * 3600 + (sets.minutes[0] ?? 0) * 60 + (sets.seconds[0] ?? 0)) * 1000;
        expect(dayMatches(sets, localDay(midnight)), `${expr} on ${new Date(first).toISOString()}`).toBe(
          task.match(new Date(first)),
        );
      }
    }
    expect(restrictedBoth).toBeGreaterThan(20);
  });

  it('lists start times in either order and stops where the caller stops', () => {
    const sets = cronSets('0 30 6,17 * * mon-fri');
    // Monday 7 Dec 2026 to Monday 14 Dec 2026, Vietnam time.
    const from = Date.parse('2026-12-07T00:00:00+07:00');
    const to = Date.parse('2026-12-14T00:00:00+07:00');
    const asc = [...cronTimes(sets, from, to)];
    expect(asc).toHaveLength(10);
    expect(new Date(asc[0] ?? 0).toISOString()).toBe('2026-12-06T23:30:00.000Z');
    expect([...cronTimes(sets, from, to, 'desc')]).toEqual([...asc].reverse());
    expect([...cronTimes(sets, from, from)]).toEqual([]);
    const firstTwo: number[] = [];
    for (const t of cronTimes(cronSets('* * * * *'), from, from + 365 * 86_400_000)) {
      firstTwo.push(t);
      if (firstTwo.length === 2) break;
    }
    expect(firstTwo).toEqual([from, from + 60_000]);
  });
});
