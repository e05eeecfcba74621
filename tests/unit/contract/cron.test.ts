import { CronSchema, cronProblem } from '@xaso/device-profiles/contract';
import { describe, expect, it } from 'vitest';

describe('cronProblem', () => {
  it.each([
    ['every minute', '* * * * *'],
    ['06:30 daily', '30 6 * * *'],
    ['with seconds', '0 30 6 * * *'],
    ['steps', '*/15 */2 * * *'],
    ['ranges and lists', '0,30 6-8,17-19 1-15 * 1-5'],
    ['range with step', '0 8-18/2 * * *'],
    ['month names', '0 7 1 jan,jul *'],
    ['weekday names, any case', '0 7 * * MON-fri'],
    ['Sunday as 7', '0 7 * * 7'],
    ['extra spaces', '  0   7 * *   *  '],
    ['seconds at the edges', '59 59 23 31 12 0'],
  ])('accepts %s: %s', (_what, expr) => {
    expect(cronProblem(expr)).toBeNull();
    expect(CronSchema.safeParse(expr).success).toBe(true);
  });

  it.each([
    ['too few fields', '* * * *', /expected 5 or 6 fields, got 4/],
    ['too many fields', '* * * * * * *', /got 7/],
    ['empty', '', /got 1/],
    ['minute 60', '60 * * * *', /minute field "60": 60 is outside 0–59/],
    ['second 60', '60 * * * * *', /second field "60": 60 is outside 0–59/],
    ['hour 24', '0 24 * * *', /hour field "24": 24 is outside 0–23/],
    ['day 0', '0 0 0 * *', /day of month field "0": 0 is outside 1–31/],
    ['month 13', '0 0 1 13 *', /month field "13"/],
    ['weekday 8', '0 0 * * 8', /day of week field "8"/],
    ['unknown month name', '0 0 1 foo *', /"foo" is not a number or a name/],
    ['a month name in the hour field', '0 jan * * *', /hour field "jan": "jan" is not a number$/],
    ['a weekday name in the month field', '0 0 1 mon *', /month field/],
    ['a prototype key as a name', '0 0 1 constructor *', /"constructor" is not a number or a name/],
    ['zero step', '*/0 * * * *', /step "0" must be a positive number/],
    ['non-numeric step', '*/x * * * *', /step "x"/],
    ['double step', '*/2/3 * * * *', /malformed/],
    ['backwards range', '0 18-6 * * *', /range "18-6" runs backwards/],
    ['open range', '0 6- * * *', /range "6-" is malformed/],
    ['three-part range', '0 1-2-3 * * *', /malformed/],
    ['empty list item', '0,,5 * * * *', /malformed/],
    ['negative number', '-5 * * * *', /malformed|not a number/],
    ['question mark (Quartz)', '0 0 ? * *', /not a number/],
  ])('refuses %s with a reason', (_what, expr, reason) => {
    expect(cronProblem(expr)).toMatch(reason);
    const parsed = CronSchema.safeParse(expr);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/^invalid cron: /);
  });
});
