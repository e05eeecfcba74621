import { AckSchema, ScheduleSchema, topics } from '@xaso/device-profiles/contract';
import { CommandSchema } from '@xaso/device-profiles/contract';
import { verifyMessage } from '@xaso/device-profiles/signing';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudioItem } from '../../../console/src/app/env.js';
import { startConsoleStack } from '../console/fixture.js';
import type { ConsoleStack } from '../console/fixture.js';
import { audioItem } from './stack.js';
import { until } from './wait.js';

const item = audioItem('Thông báo của ấp', 30_000);
const catalog = new Map<string, AudioItem>([[item.id, item]]);
let stack: ConsoleStack;
let gateway: MqttClient;
const inbox: { topic: string; json: unknown }[] = [];

beforeAll(async () => {
  stack = await startConsoleStack({ start: { audio: { get: (id) => catalog.get(id) } } });
  const cluster = await stack.createCluster('loa-thanh-binh', 'ap-thanh-binh');
  gateway = await stack.connect(cluster);
  gateway.on('message', (topic, payload) => {
    const json: unknown = JSON.parse(payload.toString('utf8'));
    inbox.push({ topic, json });
    // Behave like a gateway: verify, then acknowledge.
    if (!verifyMessage(json, stack.ctx.signer.publicKeyPem)) return;
    const ref =
      topic === topics.schedule(cluster.id)
        ? { kind: 'schedule' as const, version: ScheduleSchema.parse(json).version }
        : { kind: 'command' as const, commandId: CommandSchema.parse(json).id };
    const ack = AckSchema.parse({ v: 1, deviceId: cluster.id, ref, status: 'received', ts: Date.now() });
    gateway.publish(topics.ack(cluster.id), JSON.stringify(ack), { qos: 1 });
  });
  await gateway.subscribeAsync(
    [
      topics.schedule(cluster.id),
      topics.command(cluster.id),
      ...cluster.groups.map((g) => topics.groupCommand(g)),
    ],
    { qos: 1 },
  );
}, 60_000);

afterAll(async () => {
  await gateway?.endAsync(true);
  await stack?.close();
});

describe('the broadcast API inside the real console (sessions, CSRF, broker ACL)', () => {
  it('lets a signed-in operator schedule for their commune; the cluster verifies and acknowledges it', async () => {
    const operator = await stack.login('operator');
    expect((await stack.client().get('/api/schedules')).status).toBe(401);
    const res = await operator.post('/api/schedules', {
      title: 'Loa ấp buổi chiều',
      target: { kind: 'area', areaId: 'xa-tan-bien' },
      recurrence: { kind: 'weekly', days: ['mon', 'thu'], time: '17:30' },
      playlist: [item.id],
    });
    expect(res.status).toBe(201);
    const schedule = await until('retained schedule', () =>
      inbox.find((m) => m.topic === topics.schedule('loa-thanh-binh')),
    );
    expect(ScheduleSchema.parse(schedule.json).entries[0]?.cron).toBe('0 30 17 * * 1,4');
    await until('in sync', async () => {
      const sync = await operator.get<{ state: string }>('/api/schedules/sync/loa-thanh-binh');
      return sync.body.state === 'in-sync';
    });
    // Replacing it republishes a newer version with the new time.
    const { id } = (res.body as { schedule: { id: string } }).schedule;
    const first = ScheduleSchema.parse(schedule.json).version;
    const put = await operator.put(`/api/schedules/${id}`, {
      title: 'Loa ấp buổi chiều',
      target: { kind: 'area', areaId: 'xa-tan-bien' },
      recurrence: { kind: 'weekly', days: ['mon', 'thu'], time: '16:45' },
      playlist: [item.id],
    });
    expect(put.status).toBe(200);
    const replaced = await until('new version', () =>
      inbox
        .filter((m) => m.topic === topics.schedule('loa-thanh-binh'))
        .map((m) => ScheduleSchema.parse(m.json))
        .find((s) => s.version > first),
    );
    expect(replaced.entries.map((e) => [e.id, e.cron])).toEqual([[id, '0 45 16 * * 1,4']]);
    const outside = await operator.post<{ field: string }>('/api/schedules', {
      title: 'x',
      target: { kind: 'area', areaId: 'xa-tan-lap' },
      recurrence: { kind: 'daily', time: '05:00' },
      playlist: [item.id],
    });
    expect([outside.status, outside.body.field]).toEqual([403, 'target']);
  });

  it("sends an approver's emergency through the commune's group topic and streams delivery", async () => {
    const approver = await stack.login('approver');
    const res = await approver.post<{ id: string; commandIds: string[] }>('/api/broadcasts/emergency', {
      targets: [{ kind: 'area', areaId: 'xa-tan-bien' }],
      playlist: [item.id],
    });
    expect(res.status).toBe(201);
    const stream = await approver.fetch(`/api/broadcasts/${res.body.id}/delivery/stream`);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body?.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (reader && !text.includes('"delivered":true')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    await reader?.cancel();
    expect(text).toContain('event: progress');
    expect(text).toContain('"delivered":true');
    const command = inbox.find((m) => m.topic === topics.groupCommand('xa-tan-bien'));
    expect(CommandSchema.parse(command?.json).body).toMatchObject({ type: 'play', priority: 'emergency' });
  });

  it('lists its routes in the OpenAPI document', async () => {
    const doc = await stack
      .client()
      .get<{ paths: Record<string, Record<string, unknown>> }>('/api/openapi.json');
    expect(doc.status).toBe(200);
    for (const [path, method] of [
      ['/api/schedules', 'post'],
      ['/api/schedules/{id}', 'put'],
      ['/api/broadcasts/emergency', 'post'],
      ['/api/broadcasts/{id}/delivery/stream', 'get'],
      ['/api/cap', 'post'],
      ['/api/bulletins/{id}/order', 'post'],
    ] as const) {
      expect(doc.body.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
  });
});
