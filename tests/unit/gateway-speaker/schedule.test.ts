import type { ScheduleEntry } from '@xaso/device-profiles/contract';
import { topics } from '@xaso/device-profiles/contract';
import { slotsBetween } from '@xaso/gateway-firmware-ts';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../harness/index.js';
import { DiskAudio } from './parts.js';
import { type RoleRig, roleRig, signedCommand, signedSchedule } from './role-harness.js';

const SCHEDULE = topics.schedule('spk-1');
const CMD = topics.command('spk-1');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function entry(id: string, fields: Partial<ScheduleEntry> & { playlist: ScheduleEntry['playlist'] }) {
  return {
    id,
    broadcastId: `b-${id}`,
    title: `Bản tin ${id}`,
    validFrom: Date.now() - 86_400_000,
    volume: 60,
    priority: 'normal',
    ...fields,
  };
}

describe('slot times in Asia/Ho_Chi_Minh', () => {
  const base = {
    id: 'e',
    broadcastId: 'b',
    title: 't',
    playlist: [],
    volume: 50,
    priority: 'normal' as const,
  };

  it('finds 06:30 Vietnam time as 23:30 UTC of the day before, newest first, inside the validity window', () => {
    const e: ScheduleEntry = { ...base, cron: '0 30 6 * * *', validFrom: Date.UTC(2026, 0, 1) };
    const slots = slotsBetween(e, Date.UTC(2026, 0, 10), Date.UTC(2026, 0, 13), 10);
    expect(slots.map((t) => new Date(t).toISOString())).toEqual([
      '2026-01-12T23:30:00.000Z',
      '2026-01-11T23:30:00.000Z',
      '2026-01-10T23:30:00.000Z',
    ]);
    const windowed = { ...e, validFrom: Date.UTC(2026, 0, 11), validTo: Date.UTC(2026, 0, 12) };
    expect(slotsBetween(windowed, Date.UTC(2026, 0, 10), Date.UTC(2026, 0, 13), 10)).toEqual([
      Date.UTC(2026, 0, 11, 23, 30),
    ]);
  });

  it('honours weekdays and 5-field crons, and stops at the limit', () => {
    // 5 Jan 2026 is a Monday; weekdays 1-5 at 17:00 local = 10:00 UTC.
    const e: ScheduleEntry = { ...base, cron: '0 17 * * 1-5', validFrom: 0 };
    const week = slotsBetween(e, Date.UTC(2026, 0, 4), Date.UTC(2026, 0, 11), 10);
    expect(week).toHaveLength(5);
    expect(new Date(week[0] ?? 0).toISOString()).toBe('2026-01-09T10:00:00.000Z');
    expect(slotsBetween({ ...e, cron: '*/10 * * * * *' }, 0, Date.UTC(2026, 0, 11), 3)).toHaveLength(3);
  });
});

describe('the schedule runs locally', () => {
  let rig: RoleRig | undefined;
  afterEach(async () => {
    await rig?.role.stop();
    rig = undefined;
  });

  it('acks the version, starts a slot within 1 s of its time, and reports scheduleVersion', async () => {
    rig = await roleRig();
    const { context, audio } = rig;
    const at = Date.now() + 800;
    context.deliver(SCHEDULE, signedSchedule(3, [entry('noon', { at, playlist: [audio.add('n', 200)] })]));
    expect(context.acks.map((a) => [a.ref, a.status])).toEqual([
      [{ kind: 'schedule', version: 3 }, 'received'],
      [{ kind: 'schedule', version: 3 }, 'done'],
    ]);
    expect(rig.role.health().speaker?.scheduleVersion).toBe(3);
    await context.until('slot played', () => context.playback('end').length === 1, 5000);
    const start = context.playback('start')[0];
    expect(start).toMatchObject({ entryId: 'noon', scheduleVersion: 3, scheduledAt: at });
    expect(Math.abs((start?.at ?? 0) - at)).toBeLessThan(1000);
  });

  it('a newer version replaces the running one: only the new slots play; the old version is refused', async () => {
    rig = await roleRig();
    const { context, audio } = rig;
    const at = Date.now() + 800;
    const v1 = signedSchedule(1, [entry('old', { at, playlist: [audio.add('o', 100)] })]);
    context.deliver(SCHEDULE, v1);
    const v2 = signedSchedule(2, [entry('new', { at, playlist: [audio.add('n', 100)] })]);
    context.deliver(SCHEDULE, v2);
    await context.until('slot played', () => context.playback('end').length === 1, 5000);
    await sleep(300);
    expect(context.playback('start').map((e) => e.entryId)).toEqual(['new']);
    context.deliver(SCHEDULE, v1);
    expect(context.events.at(-1)?.event).toMatchObject({ kind: 'refused', reason: 'stale-version' });
    // The retained copy of the running version arriving again is not an error.
    const before = context.events.length;
    context.deliver(SCHEDULE, v2);
    expect(context.events.length).toBe(before);
  });

  it('a slot blocked past the grace window by another broadcast is reported missed, not played late', async () => {
    rig = await roleRig({ graceMs: 1000 });
    const { context, audio } = rig;
    const talk = signedCommand({
      type: 'play',
      broadcastId: 'talk',
      priority: 'priority',
      playlist: [audio.add('talk', 1600)],
    });
    context.deliver(CMD, talk);
    const at = Date.now() + 300;
    context.deliver(SCHEDULE, signedSchedule(1, [entry('slot', { at, playlist: [audio.add('s', 100)] })]));
    await context.until('talk done', () => context.acksOf(talk.id).includes('done'), 5000);
    await sleep(100);
    const missed = context.playback('missed');
    expect(missed).toHaveLength(1);
    expect(missed[0]).toMatchObject({ entryId: 'slot', scheduledAt: at });
    expect(missed[0]?.reason).toMatch(/could not start in time/);
    expect(context.playback('start').map((e) => e.broadcastId)).toEqual(['talk']);
  });

  it('after downtime: slots older than the grace window are missed (once), a recent one starts late', async () => {
    const dataDir = await tempDir('xs-spk-down-');
    const audio = new DiskAudio(await tempDir('xs-spk-audio-'));
    rig = await roleRig({ graceMs: 1000 }, { dataDir, audio });
    const item = audio.add('x', 100);
    const now = Date.now();
    rig.context.deliver(
      SCHEDULE,
      signedSchedule(4, [
        entry('early', { at: now + 400, playlist: [item] }),
        entry('late', { at: now + 1500, playlist: [item] }),
      ]),
    );
    await rig.role.stop();
    rig = undefined;
    await sleep(1700);
    // 'early' is 1.3 s overdue (beyond the 1 s grace): missed; 'late' is 0.2 s overdue: plays now.
    rig = await roleRig({ graceMs: 1000 }, { dataDir, audio });
    await rig.context.until('late slot played', () => rig?.context.playback('end').length === 1, 3000);
    const missed = rig.context.playback('missed');
    expect(missed.map((e) => e.entryId)).toEqual(['early']);
    expect(missed[0]?.reason).toMatch(/gateway was not running since/);
    expect(rig.context.playback('start')[0]).toMatchObject({ entryId: 'late', scheduledAt: now + 1500 });
    await rig.role.stop();
    // A third boot neither repeats the played slot nor reports the missed one again.
    rig = await roleRig({ graceMs: 1000 }, { dataDir, audio });
    await sleep(200);
    expect(rig.context.playback()).toEqual([]);
    expect(rig.role.health().speaker?.scheduleVersion).toBe(4);
  });
});
