import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localToEpoch } from '../../../console/src/broadcast/time.js';
import { provinceTree } from './areas.js';
import { startClusters, stopClusters } from './clusters.js';
import type { SimulatedCluster } from './clusters.js';
import { audioItem, startStack } from './stack.js';
import type { Stack } from './stack.js';
import { until } from './wait.js';

const own = audioItem('Chương trình của xã', 15 * 60_000);
const bulletin = audioItem('Bản tin tỉnh', 5 * 60_000);
let stack: Stack;
let sims: SimulatedCluster[];

beforeAll(async () => {
  stack = await startStack({ broker: 'mosquitto', areas: provinceTree() });
  for (const a of [own, bulletin]) stack.audio.set(a.id, a);
  stack.place('a1', 'xa-a');
  sims = await startClusters({
    url: stack.mqttUrl,
    ids: ['a1'],
    groupsOf: (id) => stack.registry.getDevice(id)?.groups ?? [],
    publicKeyPem: stack.ctx.signer.publicKeyPem,
  });
  // The commune's own priority item every day 18:00–18:15.
  const res = await stack.call('opA', 'POST', '/schedules', {
    title: 'Chương trình của xã',
    target: { kind: 'area', areaId: 'xa-a' },
    recurrence: { kind: 'daily', time: '18:00' },
    playlist: [own.id],
    priority: 'priority',
  });
  expect(res.status).toBe(201);
}, 30_000);

afterAll(async () => {
  await stopClusters(sims ?? []);
  await stack?.close();
});

const incoming = (level: string, time: string) => ({
  level,
  title: `Bản tin ${level} ${time}`,
  source: 'Hệ thống thông tin nguồn tỉnh',
  areaId: 'xa-a',
  playlist: [bulletin.id],
  date: '2030-03-04',
  time,
});
const entries = () => sims[0]?.schedules.at(-1)?.entries ?? [];

describe('bulletins from above by Circular 39 level', () => {
  it('puts a priority bulletin straight into the programme when it clashes with nothing', async () => {
    const res = await stack.call('approver', 'POST', '/bulletins', incoming('priority', '07:00'));
    expect(res.status).toBe(201);
    const b = (await res.json()) as { status: string; scheduleId: string };
    expect(b.status).toBe('scheduled');
    await until('entry', () => entries().find((e) => e.broadcastId === b.scheduleId));
    const entry = entries().find((e) => e.broadcastId === b.scheduleId);
    expect(entry).toMatchObject({ priority: 'priority', at: localToEpoch('2030-03-04', '07:00') });
  });

  it('asks the commune operator to order a priority bulletin that clashes with its own priority item', async () => {
    const res = await stack.call('approver', 'POST', '/bulletins', incoming('priority', '18:05'));
    const b = (await res.json()) as { id: string; status: string; clash: { title: string } };
    expect(b.status).toBe('needs-ordering');
    expect(b.clash.title).toBe('Chương trình của xã');
    // Another commune's operator may not decide.
    expect(
      (await stack.call('opB', 'POST', `/bulletins/${b.id}/order`, { order: 'commune-first' })).status,
    ).toBe(403);
    const bad = await stack.call('opA', 'POST', `/bulletins/${b.id}/order`, { order: 'whenever' });
    expect(((await bad.json()) as { field: string }).field).toBe('order');
    const ordered = await stack.call('opA', 'POST', `/bulletins/${b.id}/order`, { order: 'commune-first' });
    const done = (await ordered.json()) as { status: string; scheduleId: string; order: string };
    expect(done).toMatchObject({ status: 'scheduled', order: 'commune-first' });
    // It plays when the commune's item ends (18:15).
    await until('ordered entry', () => entries().find((e) => e.broadcastId === done.scheduleId));
    expect(entries().find((e) => e.broadcastId === done.scheduleId)?.at).toBe(
      localToEpoch('2030-03-04', '18:15'),
    );
  });

  it('keeps a normal bulletin out of the programme until the operator accepts it, or drops it on reject', async () => {
    const res = await stack.call('approver', 'POST', '/bulletins', incoming('normal', '09:00'));
    const b = (await res.json()) as { id: string; status: string };
    expect(b.status).toBe('awaiting-acceptance');
    const before = entries().length;
    const accepted = await stack.call('opA', 'POST', `/bulletins/${b.id}/accept`);
    const done = (await accepted.json()) as { status: string; scheduleId: string; decidedBy: string };
    expect(done).toMatchObject({ status: 'scheduled', decidedBy: 'op-tan-lap' });
    await until('accepted entry', () => entries().length === before + 1);
    expect(entries().find((e) => e.broadcastId === done.scheduleId)?.priority).toBe('normal');

    const other = (await (
      await stack.call('approver', 'POST', '/bulletins', incoming('normal', '10:00'))
    ).json()) as {
      id: string;
    };
    const rejected = await stack.call('opA', 'POST', `/bulletins/${other.id}/reject`);
    expect(((await rejected.json()) as { status: string }).status).toBe('rejected');
    expect((await stack.call('opA', 'POST', `/bulletins/${other.id}/accept`)).status).toBe(409);
    const unknownArea = await stack.call('approver', 'POST', '/bulletins', {
      ...incoming('normal', '10:00'),
      areaId: 'xa-z',
    });
    expect([unknownArea.status, ((await unknownArea.json()) as { field: string }).field]).toEqual([
      404,
      'areaId',
    ]);
  });
});
