import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  addWeeks,
  dayOfWeek,
  hourRange,
  layoutWeek,
  localDate,
  localIsoText,
  localTime,
  parseDateText,
  parseTimeText,
  weekStart,
} from '../../../console/web/pages/broadcasts/week.js';

/** Epoch ms of a Vietnamese wall-clock time. */
const vn = (iso: string) => Date.parse(`${iso}+07:00`);
const at = (iso: string, minutes: number) => ({ start: vn(iso), end: vn(iso) + minutes * 60_000 });

describe('broadcast calendar week arithmetic (Asia/Ho_Chi_Minh)', () => {
  it('starts the week on Monday 00:00 Vietnam time, whatever the UTC day', () => {
    // Sunday 23:30 in Hanoi is still the week of Monday 23/11; Monday 00:30 is the next week.
    expect(localDate(weekStart(vn('2026-11-29T23:30:00')))).toBe('2026-11-23');
    expect(weekStart(vn('2026-11-30T00:30:00'))).toBe(vn('2026-11-30T00:00:00'));
    // 17:30 UTC on Sunday is already Monday 00:30 in Vietnam.
    expect(localDate(weekStart(Date.parse('2026-11-29T17:30:00Z')))).toBe('2026-11-30');
    expect(localDate(addWeeks(vn('2026-11-30T00:00:00'), -1))).toBe('2026-11-23');
    expect(localTime(vn('2026-12-01T18:05:00'))).toBe('18:05');
    expect(localIsoText('2027-01-04T06:00:00+07:00')).toBe('04/01/2027 06:00');
  });

  it('puts each occurrence in its day column, clipped to the week', () => {
    const start = vn('2026-11-30T00:00:00');
    expect(dayOfWeek(vn('2026-12-06T23:59:00'), start)).toBe(6);
    expect(dayOfWeek(vn('2026-12-07T00:00:00'), start)).toBe(-1);
    const placed = layoutWeek([at('2026-12-02T06:00:00', 10), at('2026-12-09T06:00:00', 10)], start);
    expect(placed.map((p) => [p.day, p.fromMinute, p.toMinute])).toEqual([[2, 360, 390]]);
    expect(start + 7 * DAY_MS).toBe(vn('2026-12-07T00:00:00'));
  });

  it('sets overlapping blocks side by side and keeps short ones tall enough to click', () => {
    const start = vn('2026-11-30T00:00:00');
    const placed = layoutWeek(
      [
        at('2026-11-30T06:00:00', 60),
        at('2026-11-30T06:20:00', 10),
        at('2026-11-30T06:50:00', 5),
        at('2026-11-30T08:00:00', 1),
      ],
      start,
    );
    expect(placed.map((p) => [localTime(p.item.start), p.lane, p.lanes])).toEqual([
      ['06:00', 0, 2],
      ['06:20', 1, 2],
      // 06:50 starts while 06:00–07:00 still plays, just as 06:20's block (drawn 30 min tall) ends.
      ['06:50', 1, 2],
      ['08:00', 0, 1],
    ]);
    expect(placed[3]?.toMinute).toBe(8 * 60 + 30);
  });

  it('shows 05:00–21:00 and widens to early or late broadcasts', () => {
    const start = vn('2026-11-30T00:00:00');
    expect(hourRange(layoutWeek([at('2026-11-30T06:00:00', 10)], start))).toEqual({ first: 5, last: 21 });
    expect(
      hourRange(layoutWeek([at('2026-11-30T04:15:00', 10), at('2026-12-01T22:40:00', 10)], start)),
    ).toEqual({ first: 4, last: 23 });
  });

  it('reads dates as dd/mm/yyyy and times as 24-hour, refusing what is not a real date or time', () => {
    expect(parseDateText('24/12/2026')).toBe('2026-12-24');
    expect(parseDateText(' 1-2-2027 ')).toBe('2027-02-01');
    expect(parseDateText('29/02/2027')).toBeUndefined();
    expect(parseDateText('12/24/2026')).toBeUndefined();
    expect(parseDateText('2026-12-24')).toBeUndefined();
    expect(parseTimeText('6:05')).toBe('06:05');
    expect(parseTimeText('18h30')).toBe('18:30');
    expect(parseTimeText('24:00')).toBeUndefined();
    expect(parseTimeText('6:5')).toBeUndefined();
  });
});
