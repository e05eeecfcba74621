import { ScheduleSchema, topics } from '@xaso/device-profiles/contract';
import { verifyMessage } from '@xaso/device-profiles/signing';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provinceTree } from './areas.js';
import { startClusters, stopClusters } from './clusters.js';
import type { SimulatedCluster } from './clusters.js';
import { audioItem, startStack } from './stack.js';
import type { Stack } from './stack.js';
import { until } from './wait.js';

const morning = audioItem('Bản tin buổi sáng', 10 * 60_000);
const news = audioItem('Thời sự', 5 * 60_000);
let stack: Stack;
let sims: SimulatedCluster[];
const passwords = new Map<string, string>();

beforeAll(async () => {
  stack = await startStack({ broker: 'ours', areas: provinceTree() });
  for (const a of [morning, news]) stack.audio.set(a.id, a);
  for (const [id, area] of [
    ['c1', 'xa-a'],
    ['c2', 'thon-a1'],
    ['c3', 'xa-b'],
  ] as const) {
    stack.place(id, area);
    passwords.set(id, stack.registry.rotateSecret(id).password);
  }
  sims = await startClusters({
    url: stack.mqttUrl,
    ids: ['c1', 'c3'],
    groupsOf: (id) => stack.registry.getDevice(id)?.groups ?? [],
    publicKeyPem: stack.ctx.signer.publicKeyPem,
    credentials: (id) => ({ username: id, password: passwords.get(id) ?? '' }),
  });
}, 60_000);

afterAll(async () => {
  await stopClusters(sims ?? []);
  await stack?.close();
});

const daily = (time: string) => ({ kind: 'daily', time });

describe('schedules over HTTP, compiled, signed and published retained', () => {
  it('saves a daily schedule for a commune and every cluster in it gets a signed, acknowledged version', async () => {
    const res = await stack.call('opA', 'POST', '/schedules', {
      title: 'Bản tin sáng',
      target: { kind: 'area', areaId: 'xa-a' },
      recurrence: daily('06:00'),
      playlist: [morning.id],
      validFrom: '2026-12-01',
      volume: 70,
    });
    expect(res.status).toBe(201);
    const saved = (await res.json()) as {
      schedule: { id: string; status: string };
      published: Record<string, number>;
    };
    expect(saved.schedule.status).toBe('active');
    expect(Object.keys(saved.published).sort()).toEqual(['c1', 'c2']);

    const c1 = sims[0];
    const received = await until('c1 schedule', () => c1?.schedules.at(-1));
    expect(received.version).toBe(saved.published.c1);
    expect(received.entries).toHaveLength(1);
    expect(received.entries[0]).toMatchObject({
      broadcastId: saved.schedule.id,
      cron: '0 0 6 * * *',
      validFrom: Date.parse('2026-11-30T17:00:00Z'),
      volume: 70,
      priority: 'normal',
      playlist: [{ audioId: morning.id, path: `/media/${morning.id}`, durationMs: morning.durationMs }],
    });
    expect(sims[1]?.schedules).toEqual([]);

    // A gateway that connects later reads the retained schedule and verifies the console's signature.
    const late = await mqtt.connectAsync(stack.mqttUrl, {
      clientId: 'c2',
      username: 'c2',
      password: passwords.get('c2') ?? '',
      reconnectPeriod: 0,
    });
    const retained = new Promise<{ payload: string; retain: boolean }>((resolve) =>
      late.on('message', (_t, payload, packet) =>
        resolve({ payload: payload.toString(), retain: packet.retain }),
      ),
    );
    await late.subscribeAsync(topics.schedule('c2'), { qos: 1 });
    const got = await retained;
    await late.endAsync();
    expect(got.retain).toBe(true);
    const json: unknown = JSON.parse(got.payload);
    expect(verifyMessage(json, stack.ctx.signer.publicKeyPem)).toBe(true);
    expect(verifyMessage({ ...(json as object), version: 1 }, stack.ctx.signer.publicKeyPem)).toBe(false);
    expect(ScheduleSchema.parse(json).version).toBe(saved.published.c2);

    const sync = await until('c1 in sync', async () => {
      const r = (await (await stack.call('tech', 'GET', '/schedules/sync')).json()) as {
        clusters: { clusterId: string; state: string; version: number; ackedVersion: number | null }[];
      };
      return r.clusters.find((c) => c.clusterId === 'c1' && c.state === 'in-sync') ? r : undefined;
    });
    expect(sync.clusters.find((c) => c.clusterId === 'c2')?.state).toBe('pending');
  });

  it('refuses an overlapping slot on the same cluster with 409 naming it, and saves it when told to', async () => {
    const overlapping = {
      title: 'Thời sự thứ Hai',
      target: { kind: 'cluster', clusterId: 'c1' },
      recurrence: { kind: 'weekly', days: ['mon'], time: '06:05' },
      playlist: [news.id],
      validFrom: '2026-12-01',
    };
    const res = await stack.call('opA', 'POST', '/schedules', overlapping);
    expect(res.status).toBe(409);
    const body = (await res.json()) as {
      field: string;
      message: string;
      conflicts: { title: string; clusters: string[]; first: { candidate: string } }[];
    };
    expect(body.field).toBe('recurrence');
    expect(body.message).toContain('Bản tin sáng');
    expect(body.conflicts).toMatchObject([
      { title: 'Bản tin sáng', clusters: ['c1'], first: { candidate: '2026-12-07T06:05:00+07:00' } },
    ]);
    // The same slot on a cluster of another commune does not clash.
    const elsewhere = await stack.call('opB', 'POST', '/schedules', {
      ...overlapping,
      target: { kind: 'cluster', clusterId: 'c3' },
    });
    expect(elsewhere.status).toBe(201);
    const forced = await stack.call('opA', 'POST', '/schedules', { ...overlapping, allowConflicts: true });
    expect(forced.status).toBe(201);
    const saved = (await forced.json()) as { schedule: { id: string; warnings: unknown[] } };
    expect(saved.schedule.warnings).toHaveLength(1);
    const c1 = sims[0];
    await until('c1 with two entries', () => c1?.schedules.at(-1)?.entries.length === 2);

    const before = c1?.schedules.at(-1)?.version ?? 0;
    const del = await stack.call('opA', 'DELETE', `/schedules/${saved.schedule.id}`);
    expect(del.status).toBe(200);
    const after = await until(
      'c1 republished',
      () => (c1?.schedules.at(-1)?.version ?? 0) > before && c1?.schedules.at(-1),
    );
    expect(after.entries.map((e) => e.title)).toEqual(['Bản tin sáng']);
  });

  it('answers bad input with 4xx naming the field', async () => {
    const base = {
      title: 'x',
      target: { kind: 'area', areaId: 'xa-a' },
      recurrence: daily('20:00'),
      playlist: [news.id],
    };
    const cases: [string, unknown, number, string][] = [
      ['opA', { ...base, recurrence: { kind: 'cron', cron: '0 25 * * *' } }, 400, 'recurrence.cron'],
      ['opA', { ...base, recurrence: { kind: 'weekly', days: [], time: '06:00' } }, 400, 'recurrence.days'],
      ['opA', { ...base, playlist: ['f'.repeat(64)] }, 422, 'playlist.0'],
      ['opA', { ...base, playlist: ['not-a-hash'] }, 400, 'playlist.0'],
      ['opA', { ...base, target: { kind: 'area', areaId: 'xa-z' } }, 404, 'target.areaId'],
      ['opA', { ...base, target: { kind: 'cluster', clusterId: 'c404' } }, 404, 'target.clusterId'],
      ['opA', { ...base, target: { kind: 'group', groupId: 'nobody' } }, 404, 'target.groupId'],
      ['opA', { ...base, validFrom: '2026-12-10', validTo: '2026-12-01' }, 400, 'validTo'],
      [
        'opA',
        { ...base, recurrence: { kind: 'once', date: '2020-01-01', time: '06:00' } },
        422,
        'recurrence',
      ],
      ['opB', base, 403, 'target'],
    ];
    for (const [user, body, status, field] of cases) {
      const res = await stack.call(user as 'opA', 'POST', '/schedules', body);
      const json = (await res.json()) as { field?: string; message?: string };
      expect([res.status, json.field], JSON.stringify(body)).toEqual([status, field]);
      expect(json.message).toContain(field);
    }
    const notJson = await stack.call('opA', 'POST', '/schedules', '{oops');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { field: string }).field).toBe('body');
    expect((await stack.call('tech', 'POST', '/schedules', base)).status).toBe(403);
  });
});
