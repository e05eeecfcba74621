import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provinceTree } from './areas.js';
import { startClusters, stopClusters } from './clusters.js';
import type { SimulatedCluster } from './clusters.js';
import { audioItem, startStack } from './stack.js';
import type { Stack } from './stack.js';
import { until } from './wait.js';

const notice = audioItem('Thông báo tiêm chủng', 60_000);
let stack: Stack;
let sims: SimulatedCluster[];

beforeAll(async () => {
  // Xã Tân Lập (xa-a) requires approval; Xã Phước Vinh (xa-b) does not.
  stack = await startStack({ broker: 'mosquitto', areas: provinceTree(['xa-a']) });
  stack.audio.set(notice.id, notice);
  stack.place('a1', 'xa-a');
  stack.place('a2', 'thon-a1', ['ven-song']);
  stack.place('b1', 'xa-b', ['ven-song']);
  sims = await startClusters({
    url: stack.mqttUrl,
    ids: ['a1', 'a2', 'b1'],
    groupsOf: (id) => stack.registry.getDevice(id)?.groups ?? [],
    publicKeyPem: stack.ctx.signer.publicKeyPem,
  });
}, 30_000);

afterAll(async () => {
  await stopClusters(sims ?? []);
  await stack?.close();
});

const sim = (id: string) => sims.find((s) => s.id === id);

describe('approval of broadcasts and schedules', () => {
  it("holds an operator's play-now in an approval area until an approver approves it; both names are kept", async () => {
    const res = await stack.call('opA', 'POST', '/broadcasts', {
      kind: 'play',
      targets: [{ kind: 'cluster', clusterId: 'a2' }],
      playlist: [notice.id],
      priority: 'priority',
    });
    expect(res.status).toBe(202);
    const pending = (await res.json()) as { id: string; status: string; createdBy: string };
    expect(pending.status).toBe('pending-approval');
    await new Promise((r) => setTimeout(r, 200));
    expect(sim('a2')?.commands).toEqual([]);

    const queue = (await (await stack.call('approver', 'GET', '/approvals')).json()) as {
      broadcasts: { id: string }[];
    };
    expect(queue.broadcasts.map((b) => b.id)).toContain(pending.id);
    // An operator cannot approve, not even their own.
    expect((await stack.call('opA', 'POST', `/broadcasts/${pending.id}/approve`)).status).toBe(403);

    const approved = await stack.call('approver', 'POST', `/broadcasts/${pending.id}/approve`, {
      note: 'đồng ý',
    });
    expect(approved.status).toBe(200);
    const sent = (await approved.json()) as { status: string; createdBy: string; approvedBy: string };
    expect(sent).toMatchObject({ status: 'sent', createdBy: 'op-tan-lap', approvedBy: 'chu-tich' });
    const command = await until('a2 plays', () => sim('a2')?.commands[0]);
    expect(command.target).toEqual({ kind: 'device', deviceId: 'a2' });
    expect(command.body).toMatchObject({ type: 'play', priority: 'priority', broadcastId: pending.id });
    const actions = stack.audit.filter((e) => e.target === pending.id).map((e) => [e.action, e.actor]);
    expect(actions).toEqual([
      ['broadcast.request', 'op-tan-lap'],
      ['broadcast.approve', 'chu-tich'],
    ]);
    // Deciding twice is refused.
    expect((await stack.call('approver', 'POST', `/broadcasts/${pending.id}/reject`)).status).toBe(409);
  });

  it('rejects without sending, and lets operators elsewhere (no approval) send at once', async () => {
    const res = await stack.call('opA', 'POST', '/broadcasts', {
      kind: 'live',
      targets: [{ kind: 'area', areaId: 'xa-a' }],
      url: 'http://radio.example.vn:8000/vov1',
      durationS: 600,
      fallback: notice.id,
    });
    const pending = (await res.json()) as { id: string };
    const rejected = await stack.call('approver', 'POST', `/broadcasts/${pending.id}/reject`, {
      note: 'sai giờ',
    });
    expect(await rejected.json()).toMatchObject({
      status: 'rejected',
      approvedBy: 'chu-tich',
      decisionNote: 'sai giờ',
    });

    const direct = await stack.call('opB', 'POST', '/broadcasts', {
      kind: 'live',
      targets: [{ kind: 'area', areaId: 'xa-b' }],
      url: 'http://radio.example.vn:8000/vov1',
    });
    expect(direct.status).toBe(201);
    const live = await until('b1 relays', () => sim('b1')?.commands.find((c) => c.body.type === 'live'));
    expect(live.target).toEqual({ kind: 'group', groupId: 'xa-b' });
    expect(live.body).toMatchObject({ type: 'live', url: 'http://radio.example.vn:8000/vov1' });
    expect(sim('a1')?.commands.some((c) => c.body.type === 'live')).toBe(false);
  });

  it("sends an approver's emergency at once but queues an operator's emergency at the head of the line", async () => {
    const op = await stack.call('opA', 'POST', '/broadcasts/emergency', {
      targets: [{ kind: 'area', areaId: 'xa-a' }],
      playlist: [notice.id],
    });
    expect(op.status).toBe(202);
    const queued = (await op.json()) as { id: string };
    const queue = (await (await stack.call('approver', 'GET', '/approvals')).json()) as {
      broadcasts: { id: string }[];
    };
    expect(queue.broadcasts[0]?.id).toBe(queued.id);

    const boss = await stack.call('approver', 'POST', '/broadcasts/emergency', {
      targets: [{ kind: 'area', areaId: 'xa-a' }],
      playlist: [notice.id],
    });
    expect(boss.status).toBe(201);
    const sent = (await boss.json()) as { id: string; approvedBy: string };
    expect(sent.approvedBy).toBe('chu-tich');
    await until('a1 emergency', () =>
      sim('a1')?.commands.find((c) => c.body.type === 'play' && c.body.broadcastId === sent.id),
    );
    // A stop goes out on the same topics and closes the broadcast.
    const stop = await stack.call('approver', 'POST', `/broadcasts/${sent.id}/stop`);
    expect(((await stop.json()) as { status: string }).status).toBe('stopped');
    await until('a1 stop', () =>
      sim('a1')?.commands.find((c) => c.body.type === 'stop' && c.body.broadcastId === sent.id),
    );
  });

  it('keeps operators to their areas and reaches a registry group with one publish', async () => {
    const outside = await stack.call('opB', 'POST', '/broadcasts', {
      kind: 'play',
      targets: [
        { kind: 'area', areaId: 'xa-b' },
        { kind: 'cluster', clusterId: 'a1' },
      ],
      playlist: [notice.id],
    });
    expect(outside.status).toBe(403);
    expect(((await outside.json()) as { field: string }).field).toBe('targets.1');
    const emergencyViaPost = await stack.call('admin', 'POST', '/broadcasts', {
      kind: 'play',
      targets: [{ kind: 'area', areaId: 'xa-b' }],
      playlist: [notice.id],
      priority: 'emergency',
    });
    expect(emergencyViaPost.status).toBe(400);

    const group = await stack.call('admin', 'POST', '/broadcasts', {
      kind: 'play',
      targets: [
        { kind: 'group', groupId: 'ven-song' },
        { kind: 'cluster', clusterId: 'b1' },
      ],
      playlist: [notice.id],
    });
    expect(group.status).toBe(201);
    const b = (await group.json()) as { id: string; clusters: string[]; commandIds: string[] };
    expect(b.clusters).toEqual(['a2', 'b1']);
    expect(b.commandIds).toHaveLength(1);
    await until('both delivered', async () => {
      const p = (await (await stack.call('admin', 'GET', `/broadcasts/${b.id}/delivery`)).json()) as {
        finished: boolean;
      };
      return p.finished;
    });
  });

  it('holds an operator schedule in an approval area until approved, then publishes it', async () => {
    const res = await stack.call('opA', 'POST', '/schedules', {
      title: 'Lịch tiêm chủng',
      target: { kind: 'cluster', clusterId: 'a1' },
      recurrence: { kind: 'dates', dates: ['2030-01-02', '2030-01-09'], time: '07:30' },
      playlist: [notice.id],
    });
    expect(res.status).toBe(201);
    const saved = (await res.json()) as {
      schedule: { id: string; status: string };
      published: Record<string, number>;
    };
    expect(saved.schedule.status).toBe('pending-approval');
    const waiting = (await (await stack.call('opA', 'GET', '/schedules?status=pending-approval')).json()) as {
      schedules: { id: string }[];
    };
    expect(waiting.schedules.map((s) => s.id)).toEqual([saved.schedule.id]);
    const bogus = await stack.call('opA', 'GET', '/broadcasts?status=maybe');
    expect([bogus.status, ((await bogus.json()) as { field: string }).field]).toEqual([400, 'status']);
    expect(saved.published).toEqual({});
    const approved = await stack.call('approver', 'POST', `/schedules/${saved.schedule.id}/approve`);
    expect(await approved.json()).toMatchObject({
      status: 'active',
      approvedBy: 'chu-tich',
      createdBy: 'op-tan-lap',
    });
    const schedule = await until('a1 schedule', () => sim('a1')?.schedules.at(-1));
    expect(schedule.entries.map((e) => [e.id, e.at])).toEqual([
      [saved.schedule.id, Date.parse('2030-01-02T00:30:00Z')],
      [`${saved.schedule.id}.1`, Date.parse('2030-01-09T00:30:00Z')],
    ]);
  });
});
