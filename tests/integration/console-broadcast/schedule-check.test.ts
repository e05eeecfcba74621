import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localToEpoch } from '../../../console/src/broadcast/time.js';
import { provinceTree } from './areas.js';
import { audioItem, startStack } from './stack.js';
import type { Stack } from './stack.js';

const morning = audioItem('Bản tin buổi sáng (kiểm tra)', 10 * 60_000);
let stack: Stack;
let firstId = '';

const body = (areaId: string, time: string) => ({
  title: `Bản tin ${time}`,
  target: { kind: 'area', areaId },
  recurrence: { kind: 'daily', time },
  playlist: [morning.id],
  validFrom: '2027-01-04',
});

beforeAll(async () => {
  // Xã Tân Lập (xa-a) requires approval.
  stack = await startStack({ broker: 'mosquitto', areas: provinceTree(['xa-a']) });
  stack.audio.set(morning.id, morning);
  stack.place('c1', 'xa-a');
  stack.place('c2', 'thon-a1');
  stack.place('c3', 'xa-b');
  const res = await stack.call('approver', 'POST', '/schedules', body('xa-a', '06:00'));
  expect(res.status).toBe(201);
  firstId = ((await res.json()) as { schedule: { id: string } }).schedule.id;
}, 30_000);

afterAll(async () => {
  await stack?.close();
});

describe('POST /schedules/check: a dry run of a save', () => {
  it('reports the overlap it would have without storing anything, and whether it would wait for approval', async () => {
    const res = await stack.call('opA', 'POST', '/schedules/check', { schedule: body('xa-a', '06:05') });
    expect(res.status).toBe(200);
    const check = (await res.json()) as {
      conflicts: { scheduleId: string; first: { existing: string } }[];
      clusters: string[];
      durationMs: number;
      needsApproval: boolean;
    };
    expect(check.conflicts.map((c) => c.scheduleId)).toEqual([firstId]);
    expect(check.conflicts[0]?.first.existing).toBe('2027-01-04T06:00:00+07:00');
    expect(check.clusters).toEqual(['c1', 'c2']);
    expect(check.durationMs).toBe(10 * 60_000);
    expect(check.needsApproval).toBe(true);
    const list = (await (await stack.call('opA', 'GET', '/schedules')).json()) as { schedules: unknown[] };
    expect(list.schedules).toHaveLength(1);
  });

  it('leaves the schedule being edited out, and finds nothing on other clusters', async () => {
    const editing = await stack.call('approver', 'POST', '/schedules/check', {
      schedule: body('xa-a', '06:05'),
      id: firstId,
    });
    expect(((await editing.json()) as { conflicts: unknown[]; needsApproval: boolean }).conflicts).toEqual(
      [],
    );
    const elsewhere = await stack.call('approver', 'POST', '/schedules/check', {
      schedule: body('xa-b', '06:05'),
    });
    const other = (await elsewhere.json()) as { conflicts: unknown[]; needsApproval: boolean };
    expect(other).toMatchObject({ conflicts: [], needsApproval: false });
  });

  it('refuses bad input and targets outside the user areas, naming the field', async () => {
    const bad = await stack.call('opA', 'POST', '/schedules/check', {
      schedule: { ...body('xa-a', '06:05'), recurrence: { kind: 'daily', time: '25:00' } },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { field: string }).field).toBe('schedule.recurrence.time');
    const outside = await stack.call('opA', 'POST', '/schedules/check', { schedule: body('xa-b', '07:00') });
    expect(outside.status).toBe(403);
    expect(((await outside.json()) as { field: string }).field).toBe('target');
    expect(
      (await stack.call('tech', 'POST', '/schedules/check', { schedule: body('xa-a', '07:00') })).status,
    ).toBe(403);
  });
});

describe('GET /schedules/calendar and /broadcast-targets', () => {
  it('lists a week of occurrences for an area, with their end from the playlist duration', async () => {
    const res = await stack.call('opA', 'GET', '/schedules/calendar?from=2027-01-04&days=7&areaId=thon-a1');
    expect(res.status).toBe(200);
    const week = (await res.json()) as { occurrences: { scheduleId: string; start: number; end: number }[] };
    const first = localToEpoch('2027-01-04', '06:00');
    expect(week.occurrences.map((o) => o.start)).toEqual(
      Array.from({ length: 7 }, (_, i) => first + i * 86_400_000),
    );
    expect(week.occurrences[0]?.end).toBe(first + 10 * 60_000);
    const elsewhere = await stack.call('opA', 'GET', '/schedules/calendar?from=2027-01-04&areaId=xa-b');
    expect(((await elsewhere.json()) as { occurrences: unknown[] }).occurrences).toEqual([]);
    const bad = await stack.call('opA', 'GET', '/schedules/calendar?from=04/01/2027');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { field: string }).field).toBe('from');
  });

  it("gives an operator their areas (and the ones above, not actionable) with each area's clusters", async () => {
    const res = await stack.call('opA', 'GET', '/broadcast-targets');
    const { areas } = (await res.json()) as {
      areas: { id: string; mayAct: boolean; clusters: { id: string }[]; totalClusters: number }[];
    };
    expect(areas.map((a) => [a.id, a.mayAct]).sort()).toEqual([
      ['thon-a1', true],
      ['tinh', false],
      ['xa-a', true],
    ]);
    const commune = areas.find((a) => a.id === 'xa-a');
    expect(commune?.clusters.map((c) => c.id)).toEqual(['c1']);
    expect(commune?.totalClusters).toBe(2);
  });

  it('documents the three routes in the OpenAPI document', () => {
    const doc = stack.broadcasting.routes.getOpenAPIDocument({
      openapi: '3.0.0',
      info: { title: 'Xã Số', version: '1' },
    });
    expect(Object.keys(doc.paths ?? {})).toEqual(
      expect.arrayContaining(['/schedules/check', '/schedules/calendar', '/broadcast-targets']),
    );
    expect(doc.paths?.['/schedules/check']?.post?.requestBody).toBeDefined();
  });
});
