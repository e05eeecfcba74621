import { describe, expect, it } from 'vitest';
import { BroadcastError, parseInput } from '../../../console/src/broadcast/errors.js';
import { findConflicts } from '../../../console/src/broadcast/schedule/conflicts.js';
import { occurrences } from '../../../console/src/broadcast/schedule/occurrences.js';
import { RecurrenceSchema, startRules } from '../../../console/src/broadcast/schedule/recurrence.js';
import { ScheduleInputSchema } from '../../../console/src/broadcast/schedule/schedule-record.js';
import { localToEpoch, toLocalIso } from '../../../console/src/broadcast/time.js';

const H = 3_600_000;

describe('recurrence compiled to the contract', () => {
  it('turns daily and weekly into cron in local time and dates into one `at` each', () => {
    expect(startRules({ kind: 'daily', time: '06:30' })).toEqual([{ cron: '0 30 6 * * *' }]);
    expect(startRules({ kind: 'weekly', days: ['fri', 'mon', 'mon'], time: '17:00:15' })).toEqual([
      { cron: '15 0 17 * * 1,5' },
    ]);
    expect(startRules({ kind: 'dates', dates: ['2026-12-02', '2026-12-01'], time: '07:00' })).toEqual([
      { at: Date.parse('2026-12-01T00:00:00Z') },
      { at: Date.parse('2026-12-02T00:00:00Z') },
    ]);
    expect(startRules({ kind: 'once', date: '2026-12-01', time: '06:00' })).toEqual([
      { at: Date.parse('2026-11-30T23:00:00Z') },
    ]);
  });

  it('expands occurrences in Asia/Ho_Chi_Minh, not UTC', () => {
    // 06:00 local is 23:00 UTC the day before: a UTC-based expansion would be off by a day.
    const from = localToEpoch('2026-12-01');
    const starts = occurrences([{ cron: '0 0 6 * * 2' }], from, from + 14 * 24 * H);
    expect(starts.map(toLocalIso)).toEqual(['2026-12-01T06:00:00+07:00', '2026-12-08T06:00:00+07:00']);
    const lists = occurrences([{ cron: '*/30 5 1,15 * *' }], from, from + 20 * 24 * H);
    expect(lists.map(toLocalIso)).toEqual([
      '2026-12-01T05:00:00+07:00',
      '2026-12-01T05:30:00+07:00',
      '2026-12-15T05:00:00+07:00',
      '2026-12-15T05:30:00+07:00',
    ]);
  });

  it('names the field of an invalid cron or recurrence', () => {
    const bad = (value: unknown) => {
      try {
        parseInput(ScheduleInputSchema, value);
      } catch (err) {
        if (err instanceof BroadcastError) return err;
      }
      throw new Error('expected a BroadcastError');
    };
    const base = {
      title: 'Bản tin sáng',
      target: { kind: 'area', areaId: 'xa-a' },
      playlist: ['a'.repeat(64)],
    };
    const cron = bad({ ...base, recurrence: { kind: 'cron', cron: '61 6 * * *' } });
    expect(cron.status).toBe(400);
    expect(cron.field).toBe('recurrence.cron');
    expect(cron.message).toMatch(/minute/);
    expect(bad({ ...base, recurrence: { kind: 'weekly', days: ['funday'], time: '06:00' } }).field).toBe(
      'recurrence.days.0',
    );
    expect(bad({ ...base, recurrence: { kind: 'daily', time: '25:00' } }).field).toBe('recurrence.time');
    expect(bad({ ...base, recurrence: { kind: 'dates', dates: ['2026-02-30'], time: '06:00' } }).field).toBe(
      'recurrence.dates.0',
    );
    expect(bad({ ...base, recurrence: { kind: 'hourly' } }).field).toBe('recurrence.kind');
    expect(RecurrenceSchema.safeParse({ kind: 'cron', cron: '0 6 * * mon-fri' }).success).toBe(true);
  });
});

describe('conflict detection', () => {
  const day = localToEpoch('2026-12-01');
  const slot = (id: string, clusters: string[], cron: string, durationMs: number) => ({
    id,
    title: id,
    clusters,
    rules: [{ cron }],
    validFrom: day,
    validTo: day + 60 * 24 * H,
    durationMs,
  });

  it('finds overlapping slots on shared clusters and reports the first overlap in local time', () => {
    const morning = slot('morning', ['c1', 'c2'], '0 0 6 * * *', 20 * 60_000);
    const news = slot('news', ['c2', 'c3'], '0 10 6 * * 1', 5 * 60_000);
    const [conflict, ...rest] = findConflicts(news, [morning], day);
    expect(rest).toEqual([]);
    expect(conflict?.scheduleId).toBe('morning');
    expect(conflict?.clusters).toEqual(['c2']);
    expect(conflict?.first.candidate).toBe('2026-12-07T06:10:00+07:00');
    expect(conflict?.overlaps).toBeGreaterThanOrEqual(8);
  });

  it('does not flag back-to-back slots, other clusters, or slots outside the validity window', () => {
    const morning = slot('morning', ['c1'], '0 0 6 * * *', 10 * 60_000);
    expect(findConflicts(slot('after', ['c1'], '0 10 6 * * *', 60_000), [morning], day)).toEqual([]);
    expect(findConflicts(slot('elsewhere', ['c9'], '0 0 6 * * *', 60_000), [morning], day)).toEqual([]);
    const later = {
      ...slot('later', ['c1'], '0 0 6 * * *', 60_000),
      validFrom: day + 61 * 24 * H,
      validTo: null,
    };
    expect(findConflicts(later, [morning], day)).toEqual([]);
  });
});
