import { CommandSchema, topics } from '@xaso/device-profiles/contract';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLocalIso } from '../../../console/src/broadcast/time.js';
import { ensurePackage } from '../../harness/index.js';
import { startConsoleStack } from '../console/fixture.js';
import type { ConsoleStack } from '../console/fixture.js';
import { until } from './wait.js';

let stack: ConsoleStack;
let gateway: MqttClient;
const commands: unknown[] = [];

beforeAll(async () => {
  await ensurePackage('espeak-ng', '/usr/bin/espeak-ng');
  // The real console with the real audio library: CAP text becomes speech through ctx.audio.synthesize.
  stack = await startConsoleStack();
  const cluster = await stack.createCluster('loa-hoa-binh', 'ap-hoa-binh');
  gateway = await stack.connect(cluster);
  gateway.on('message', (_topic, payload) => commands.push(JSON.parse(payload.toString('utf8'))));
  await gateway.subscribeAsync(topics.groupCommand('xa-tan-bien'), { qos: 1 });
}, 60_000);

afterAll(async () => {
  await gateway?.endAsync(true);
  await stack?.close();
});

describe('a CAP alert without audio', () => {
  it('is spoken by the text-to-speech engine and sent as an emergency with the new audio item', async () => {
    const now = Math.floor(Date.now() / 1000) * 1000;
    const xml = `<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>TB-speech-1</identifier><sender>ubnd@tanbien.vn</sender><sent>${toLocalIso(now)}</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><language>vi-VN</language><category>Fire</category><event>Cháy rừng</event>
    <urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty>
    <expires>${toLocalIso(now + 3_600_000)}</expires>
    <headline>Cháy rừng ở Ấp Hòa Bình</headline>
    <instruction>Người dân tránh xa khu vực rừng phòng hộ.</instruction>
    <area><areaDesc>Xã Tân Biên</areaDesc></area>
  </info>
</alert>`;
    const approver = await stack.login('approver');
    const res = await approver.fetch('/api/cap', {
      method: 'POST',
      headers: { 'content-type': 'application/cap+xml' },
      body: xml,
    });
    const outcome = (await res.json()) as { action: string; broadcastId: string; areaIds: string[] };
    expect([res.status, outcome.action, outcome.areaIds]).toEqual([201, 'broadcast', ['xa-tan-bien']]);
    const raw = await until('emergency command', () => commands[0], 10_000);
    const command = CommandSchema.parse(raw);
    if (command.body.type !== 'play') throw new Error('expected a play command');
    const spoken = command.body.playlist[0];
    expect(command.body.priority).toBe('emergency');
    expect(spoken?.path).toBe(`/media/${spoken?.audioId}`);
    expect(spoken?.durationMs).toBeGreaterThan(1000);
    const item = stack.ctx.audio.get(spoken?.audioId ?? '');
    expect(item?.title).toBe('CAP TB-speech-1');
  }, 60_000);
});
