import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ScheduleSchema, topics } from '@xaso/device-profiles/contract';
import type { Schedule } from '@xaso/device-profiles/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudioView } from '../../../console/src/audio/scoped-items.js';
import { makeSample } from '../../unit/console-audio/samples.js';
import { until } from '../console-broadcast/wait.js';
import { startConsoleStack } from '../console/fixture.js';
import type { ApiClient, Cluster, ConsoleStack } from '../console/fixture.js';

type Result = { item: AudioView; created: boolean };
type Problem = { error: string; field?: string; message: string };
type Listing = { items: AudioView[]; total: number };

let stack: ConsoleStack;
/** Operator of Xã Tân Biên (commune A). */
let opA: ApiClient;
/** Operator of Xã Tân Lập (commune B). */
let opB: ApiClient;
/** An operator placed at the province itself: province staff without being an admin. */
let provinceOp: ApiClient;
let admin: ApiClient;
let clusterA: Cluster;
const files: Record<string, Buffer> = {};
let itemA: AudioView;
let itemB: AudioView;
let itemProvince: AudioView;

async function upload(client: ApiClient, name: string, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(files[name] ?? Buffer.alloc(0))]), name);
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  const res = await client.fetch('/api/audio', { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as Result & Problem };
}

async function added(client: ApiClient, name: string, fields: Record<string, string> = {}) {
  const res = await upload(client, name, fields);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.item;
}

const ids = (listing: Listing) => listing.items.map((i) => i.id).sort();
const weekly = (areaId: string, playlist: string[], time = '17:00') => ({
  title: `Bản tin ${time}`,
  target: { kind: 'area', areaId },
  recurrence: { kind: 'weekly', days: ['tue'], time },
  playlist,
});

beforeAll(async () => {
  // Normalisation is covered by the audio tests; here it would only slow the setup down.
  stack = await startConsoleStack({ config: { audio: { loudness: { enabled: false } } } });
  const specs = [
    ['a.mp3', 1],
    ['b.mp3', 2],
    ['tinh.mp3', 3],
    ['a2.mp3', 4],
  ] as const;
  await Promise.all(
    specs.map(async ([name, seconds]) => {
      files[name] = await readFile(await makeSample(stack.dir, name, 'mp3', { seconds }));
    }),
  );
  await stack.createUser('op-tan-lap', ['operator'], ['xa-tan-lap']);
  await stack.createUser('op-tinh', ['operator'], ['tay-ninh']);
  opA = await stack.login('operator');
  opB = await stack.login('op-tan-lap');
  provinceOp = await stack.login('op-tinh');
  admin = await stack.login('admin');
  clusterA = await stack.createCluster('loa-tan-bien-01', 'xa-tan-bien');
  await stack.createCluster('loa-tan-lap-01', 'xa-tan-lap');
  itemA = await added(opA, 'a.mp3', { title: 'Lịch tiêm phòng Tân Biên' });
  itemB = await added(opB, 'b.mp3', { title: 'Họp dân Tân Lập' });
  itemProvince = await added(provinceOp, 'tinh.mp3', { title: 'Bản tin tỉnh', areaId: '' });
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

describe('the audio library scoped to areas', () => {
  it('gives each upload its owner: the commune of its operator, or the province when province staff say so', () => {
    expect(itemA).toMatchObject({
      ownerAreaId: 'xa-tan-bien',
      ownerAreaName: 'Xã Tân Biên',
      shared: false,
      canManage: true,
    });
    expect(itemB).toMatchObject({ ownerAreaId: 'xa-tan-lap', ownerAreaName: 'Xã Tân Lập' });
    expect(itemProvince).toMatchObject({ ownerAreaId: null, ownerAreaName: null, shared: false });
  });

  it('lists to operator A their own items and province-level ones, filtered by mine / shared', async () => {
    const all = await opA.get<Listing>('/api/audio');
    expect(all.status).toBe(200);
    expect(ids(all.body)).toEqual([itemA.id, itemProvince.id].sort());
    expect(all.body.total).toBe(2);
    const province = all.body.items.find((i) => i.id === itemProvince.id);
    expect(province?.canManage).toBe(false);
    expect(ids((await opA.get<Listing>('/api/audio?scope=mine')).body)).toEqual([itemA.id]);
    expect(ids((await opA.get<Listing>('/api/audio?scope=shared')).body)).toEqual([itemProvince.id]);
    expect(ids((await opA.get<Listing>('/api/audio?q=hop%20dan')).body)).toEqual([]);
    const bad = await opA.get<Problem>('/api/audio?scope=everyone');
    expect(bad.status).toBe(400);
  });

  it('hides commune B’s item from operator A: get, preview, patch and delete answer 404', async () => {
    expect((await opA.get<Problem>(`/api/audio/${itemB.id}`)).status).toBe(404);
    expect((await opA.fetch(`/api/audio/${itemB.id}/content`)).status).toBe(404);
    const patched = await opA.patch<Problem>(`/api/audio/${itemB.id}`, { title: 'Đổi tên' });
    expect(patched.status).toBe(404);
    expect(patched.body.field).toBe('id');
    expect((await opA.delete(`/api/audio/${itemB.id}`)).status).toBe(404);
    const still = await opB.get<AudioView>(`/api/audio/${itemB.id}`);
    expect(still.body.title).toBe('Họp dân Tân Lập');
  });

  it('lets operator A use but not change province-level items (403 naming the id)', async () => {
    expect((await opA.get(`/api/audio/${itemProvince.id}`)).status).toBe(200);
    const patched = await opA.patch<Problem>(`/api/audio/${itemProvince.id}`, { title: 'Của tôi' });
    expect(patched.status).toBe(403);
    expect(patched.body).toMatchObject({ error: 'forbidden', field: 'id' });
    expect((await opA.delete<Problem>(`/api/audio/${itemProvince.id}`)).status).toBe(403);
    const own = await opA.patch<AudioView>(`/api/audio/${itemA.id}`, { title: 'Lịch tiêm phòng đợt 2' });
    expect(own.status).toBe(200);
    expect(own.body.title).toBe('Lịch tiêm phòng đợt 2');
  });

  it('refuses schedules, play-now and emergencies with commune B’s item (403 naming the playlist entry)', async () => {
    const schedule = await opA.post<Problem>(
      '/api/schedules',
      weekly('xa-tan-bien', [itemProvince.id, itemB.id]),
    );
    expect(schedule.status).toBe(403);
    expect(schedule.body.field).toBe('playlist.1');
    const check = await opA.post<Problem>('/api/schedules/check', {
      schedule: weekly('xa-tan-bien', [itemB.id]),
    });
    expect(check.status).toBe(403);
    expect(check.body.field).toBe('playlist.0');
    const targets = [{ kind: 'area', areaId: 'xa-tan-bien' }];
    const now = await opA.post<Problem>('/api/broadcasts', { kind: 'play', targets, playlist: [itemB.id] });
    expect(now.status).toBe(403);
    expect(now.body.field).toBe('playlist.0');
    const emergency = await opA.post<Problem>('/api/broadcasts/emergency', { targets, playlist: [itemB.id] });
    expect(emergency.status).toBe(403);
    const nothing = await admin.get<{ broadcasts: unknown[] }>('/api/broadcasts');
    expect(nothing.body.broadcasts).toEqual([]);
  });

  it('keeps the owner and the actor from widening it: no foreign area, no province-level from communes', async () => {
    const foreign = await upload(opA, 'a2.mp3', { areaId: 'xa-tan-lap' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.field).toBe('areaId');
    const provincial = await upload(opA, 'a2.mp3', { areaId: '' });
    expect(provincial.status).toBe(403);
    const unknown = await upload(provinceOp, 'a2.mp3', { areaId: 'xa-khong-co' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.field).toBe('areaId');
    const share = await opA.patch<Problem>(`/api/audio/${itemA.id}`, { shared: true });
    expect(share.status).toBe(403);
    expect(share.body.field).toBe('shared');
    const move = await opA.patch<Problem>(`/api/audio/${itemA.id}`, { areaId: null });
    expect(move.status).toBe(403);
    expect(move.body.field).toBe('areaId');
  });

  it('refuses the same content from another commune without handing over the owner’s item', async () => {
    const copy = await upload(opB, 'a.mp3', { title: 'Bản sao' });
    expect(copy.status).toBe(409);
    expect(copy.body).toMatchObject({ error: 'exists-elsewhere', field: 'file' });
    expect(JSON.stringify(copy.body)).not.toContain('Tân Biên');
    const again = await upload(opA, 'a.mp3');
    expect(again.status).toBe(200);
    expect(again.body.item.id).toBe(itemA.id);
  });

  it('shows province staff everything and lets them choose the owner area', async () => {
    expect(ids((await admin.get<Listing>('/api/audio')).body)).toEqual(
      [itemA.id, itemB.id, itemProvince.id].sort(),
    );
    const seen = (await provinceOp.get<Listing>('/api/audio')).body;
    expect(ids(seen)).toEqual([itemA.id, itemB.id, itemProvince.id].sort());
    expect(seen.items.every((i) => i.canManage)).toBe(true);
    const forB = await added(provinceOp, 'a2.mp3', { title: 'Gửi Tân Lập', areaId: 'xa-tan-lap' });
    expect(forB).toMatchObject({ ownerAreaId: 'xa-tan-lap', uploadedBy: 'op-tinh' });
    expect(ids((await opB.get<Listing>('/api/audio?scope=mine')).body)).toEqual([itemB.id, forB.id].sort());
    const moved = await provinceOp.patch<AudioView>(`/api/audio/${forB.id}`, { areaId: null });
    expect(moved.body).toMatchObject({ ownerAreaId: null, canManage: true });
    expect((await provinceOp.delete(`/api/audio/${forB.id}`)).status).toBe(204);
  });

  it('lets an admin share commune B’s item: A can then use it, but only province staff change it', async () => {
    const shared = await admin.patch<AudioView>(`/api/audio/${itemB.id}`, { shared: true });
    expect(shared.status).toBe(200);
    expect(shared.body).toMatchObject({ shared: true, ownerAreaId: 'xa-tan-lap' });
    expect(ids((await opA.get<Listing>('/api/audio?scope=shared')).body)).toEqual(
      [itemB.id, itemProvince.id].sort(),
    );
    expect((await opB.patch(`/api/audio/${itemB.id}`, { title: 'x' })).status).toBe(403);
    const scheduled = await opA.post('/api/schedules', weekly('xa-tan-bien', [itemA.id, itemB.id]));
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(201);
  });

  it('still serves every item a cluster’s schedule names to that cluster’s device credentials', async () => {
    // The admin may use any item, so commune B's own recording ends up in a schedule of commune A too.
    expect((await admin.patch(`/api/audio/${itemB.id}`, { shared: false })).status).toBe(200);
    const res = await admin.post(
      '/api/schedules',
      weekly('xa-tan-bien', [itemB.id, itemProvince.id], '19:00'),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const gateway = await stack.connect(clusterA);
    let latest: Schedule | undefined;
    gateway.on('message', (topic, payload) => {
      if (topic === topics.schedule(clusterA.id)) latest = ScheduleSchema.parse(JSON.parse(String(payload)));
    });
    await gateway.subscribeAsync(topics.schedule(clusterA.id), { qos: 1 });
    const schedule = await until('the schedule naming both items', () =>
      latest && latest.entries.length === 2 ? latest : undefined,
    );
    const paths = [...new Set(schedule.entries.flatMap((e) => e.playlist.map((p) => p.path)))];
    expect(paths.sort()).toEqual([itemA.path, itemB.path, itemProvince.path].sort());
    const basic = `Basic ${Buffer.from(`${clusterA.username}:${clusterA.password}`).toString('base64')}`;
    for (const path of paths) {
      const download = await fetch(`${stack.url}${path}`, { headers: { authorization: basic } });
      expect(download.status, path).toBe(200);
      const sha = createHash('sha256')
        .update(Buffer.from(await download.arrayBuffer()))
        .digest('hex');
      expect(path).toBe(`/media/${sha}`);
    }
  });

  it('audits every change with its actor', async () => {
    const audit = await admin.get<{ entries: Array<{ action: string; actor: string; target: string }> }>(
      '/api/audit?action=audio.',
    );
    const actions = audit.body.entries.map((e) => `${e.action}:${e.actor}:${e.target}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        `audio.upload:test-operator:${itemA.id}`,
        `audio.upload:op-tan-lap:${itemB.id}`,
        `audio.upload:op-tinh:${itemProvince.id}`,
        `audio.update:test-operator:${itemA.id}`,
        `audio.share:test-admin:${itemB.id}`,
        `audio.unshare:test-admin:${itemB.id}`,
        expect.stringMatching(/^audio\.move:op-tinh:/),
        expect.stringMatching(/^audio\.delete:op-tinh:/),
      ]),
    );
  });
});
