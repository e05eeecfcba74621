import { describe, expect, it } from 'vitest';
import { ScheduleInputSchema } from '../../../console/src/broadcast/schedule/schedule-record.js';
import type { ScheduleRecord, TargetArea } from '../../../console/web/pages/broadcasts/broadcast-api.js';
import { answeredInOrder, deliveryCounts } from '../../../console/web/pages/broadcasts/delivery-counts.js';
import { recurrenceText } from '../../../console/web/pages/broadcasts/recurrence-text.js';
import { draftOf, emptyDraft, toInput } from '../../../console/web/pages/broadcasts/schedule-form.js';
import {
  actionableAreas,
  clustersOf,
  targetName,
} from '../../../console/web/pages/broadcasts/target-tree.js';
import { localDate } from '../../../console/web/pages/broadcasts/week.js';
import { confirmationWord, matchesConfirmation } from '../../../console/web/pages/emergency/confirmation.js';

const AUDIO = 'a'.repeat(64);

const area = (id: string, parentId: string | null, name: string, mayAct: boolean, clusters: string[]) =>
  ({
    id,
    parentId,
    name,
    kind: parentId ? 'commune' : 'province',
    requiresApproval: false,
    mayAct,
    clusters: clusters.map((c) => ({ id: c, name: `Cụm loa ${c}` })),
    totalClusters: clusters.length,
  }) satisfies TargetArea;

const AREAS: TargetArea[] = [
  area('tay-ninh', null, 'Tỉnh Tây Ninh', false, []),
  area('tn-tan-bien', 'tay-ninh', 'Xã Tân Biên (Tây Ninh cũ)', true, ['tb-1', 'tb-2']),
  area('thon-1', 'tn-tan-bien', 'Thôn 1', true, ['t1-1']),
];

describe('schedule editor draft → API input', () => {
  it('asks for the first missing field instead of sending half a schedule', () => {
    const draft = emptyDraft('2026-12-01');
    expect(toInput(draft)).toEqual({ missing: 'title' });
    expect(toInput({ ...draft, title: 'Bản tin' })).toEqual({ missing: 'target' });
    const full = { ...draft, title: 'Bản tin', target: { kind: 'area' as const, areaId: 'tn-tan-bien' } };
    expect(toInput({ ...full, playlist: [AUDIO] })).toEqual({ missing: 'recurrence.time' });
    expect(toInput({ ...full, playlist: [AUDIO], time: '06:00', kind: 'weekly' })).toEqual({
      missing: 'recurrence.days',
    });
  });

  it('builds input the server schema accepts, with the validity window only for repeating kinds', () => {
    const base = {
      ...emptyDraft('2026-12-01'),
      title: '  Bản tin sáng ',
      target: { kind: 'area' as const, areaId: 'tn-tan-bien' },
      playlist: [AUDIO],
      time: '06:00',
      validFrom: '2026-12-07',
      validTo: '2026-12-31',
    };
    const weekly = toInput({ ...base, kind: 'weekly', days: ['mon', 'thu'] });
    expect('input' in weekly && ScheduleInputSchema.parse(weekly.input)).toMatchObject({
      title: 'Bản tin sáng',
      recurrence: { kind: 'weekly', days: ['mon', 'thu'], time: '06:00' },
      validFrom: '2026-12-07',
      validTo: '2026-12-31',
    });
    const dates = toInput({ ...base, kind: 'dates', dates: ['2026-12-24', '2026-12-02'] });
    expect('input' in dates && dates.input).toMatchObject({
      recurrence: { kind: 'dates', dates: ['2026-12-02', '2026-12-24'] },
    });
    expect('input' in dates && 'validFrom' in dates.input).toBe(false);
  });

  it('turns a stored schedule back into a draft (validTo is exclusive on the server, inclusive here)', () => {
    const record = {
      id: 's-1',
      title: 'Bản tin',
      target: { kind: 'area', areaId: 'tn-tan-bien' },
      recurrence: { kind: 'daily', time: '18:30:00' },
      playlist: [AUDIO],
      volume: 70,
      priority: 'priority',
      validFrom: Date.parse('2026-12-07T00:00:00+07:00'),
      validTo: Date.parse('2027-01-01T00:00:00+07:00'),
      status: 'active',
      origin: 'commune',
      warnings: [],
      createdBy: 'op',
      approvedBy: null,
      createdAt: 0,
      updatedAt: 0,
    } satisfies ScheduleRecord;
    expect(draftOf(record, localDate)).toMatchObject({
      kind: 'daily',
      time: '18:30',
      validFrom: '2026-12-07',
      validTo: '2026-12-31',
      priority: 'priority',
      volume: 70,
    });
    expect(
      draftOf({ ...record, recurrence: { kind: 'cron', cron: '0 6 * * *' } }, localDate),
    ).toBeUndefined();
  });

  it('words a recurrence in Vietnamese with Monday-first day names', () => {
    expect(recurrenceText({ kind: 'weekly', days: ['sun', 'mon'], time: '19:30' })).toBe(
      'Hằng tuần (Thứ Hai, Chủ Nhật) lúc 19:30',
    );
    expect(recurrenceText({ kind: 'once', date: '2026-12-24', time: '08:00:00' })).toBe(
      'Một lần, ngày 24/12/2026 lúc 08:00',
    );
  });
});

describe('targets, confirmation and delivery counts', () => {
  it('counts distinct clusters an area reaches, including everything below it', () => {
    expect(clustersOf(AREAS, [{ kind: 'area', areaId: 'tn-tan-bien' }])).toEqual(['t1-1', 'tb-1', 'tb-2']);
    expect(
      clustersOf(AREAS, [
        { kind: 'area', areaId: 'thon-1' },
        { kind: 'cluster', clusterId: 't1-1' },
        { kind: 'cluster', clusterId: 'tb-2' },
      ]),
    ).toEqual(['t1-1', 'tb-2']);
    expect(actionableAreas(AREAS).map((a) => a.id)).toEqual(['tn-tan-bien', 'thon-1']);
    expect(targetName(AREAS, { kind: 'cluster', clusterId: 'tb-2' })).toBe('Cụm loa tb-2');
  });

  it('asks for the area name without the district, and diacritics must be right', () => {
    const word = confirmationWord(AREAS, [{ kind: 'area', areaId: 'tn-tan-bien' }]);
    expect(word).toBe('Xã Tân Biên');
    expect(matchesConfirmation('  xã   tân biên ', word)).toBe(true);
    expect(matchesConfirmation('xa tan bien', word)).toBe(false);
    expect(matchesConfirmation('', '')).toBe(false);
  });

  it('reads the tracker: answered is delivered, failed includes refused, answers in arrival order', () => {
    const progress = {
      broadcastId: 'b-1',
      sentAt: 0,
      expected: 4,
      counts: { received: 0, playing: 1, done: 1, failed: 0, refused: 1 },
      answered: 3,
      delivered: false,
      finished: false,
      silent: ['c4'],
      receivedLatencyMs: { p50: 20, p99: 40, max: 40 },
      clusters: [
        { clusterId: 'c1', status: 'done' as const, latencyMs: { received: 40, playing: 50, done: 900 } },
        { clusterId: 'c2', status: 'playing' as const, latencyMs: { received: 10, playing: 30 } },
        { clusterId: 'c3', status: 'refused' as const, latencyMs: { refused: 20 } },
        { clusterId: 'c4', status: null, latencyMs: {} },
      ],
    };
    expect(deliveryCounts(progress)).toEqual({
      total: 4,
      delivered: 3,
      playing: 1,
      done: 1,
      failed: 1,
      silent: 1,
    });
    expect(answeredInOrder(progress).map((c) => c.clusterId)).toEqual(['c2', 'c3', 'c1']);
  });
});
