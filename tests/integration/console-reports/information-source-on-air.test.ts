import { createHash } from 'node:crypto';
import { CommandSchema, topics } from '@xaso/device-profiles/contract';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../console-broadcast/wait.js';
import { type ConsoleStack, startConsoleStack } from '../console/fixture.js';
import { FakeProvince, provinceSettings, toneWav } from './fake-province.js';

interface InfoBulletin {
  id: string;
  status: string;
  audioId: string | null;
  decidedBy: string | null;
}
interface QueuedBulletin {
  id: string;
  level: string;
  title: string;
  areaId: string;
  status: string;
  scheduleId: string | null;
  decidedBy: string | null;
}
interface BroadcastRow {
  id: string;
  priority: string;
  origin: string;
  status: string;
  request: { playlist?: string[] };
}

/** Circular 39's three levels from the province's system to the loudspeakers, without and with the commune. */
describe('bulletins of the information source system go on air by their Circular 39 level', () => {
  let stack: ConsoleStack;
  let province: FakeProvince;
  let gateway: MqttClient;
  const commands: unknown[] = [];

  beforeAll(async () => {
    province = new FakeProvince();
    await province.start();
    const wav = toneWav(1);
    province.files.set('/files/tin.wav', wav);
    const now = Date.now();
    const bulletin = (id: string, level: string, title: string) => ({
      id,
      level,
      title,
      kind: 'audio',
      audioUrl: `${province.url}/files/tin.wav`,
      sha256: createHash('sha256').update(wav).digest('hex'),
      validFrom: new Date(now - 60_000).toISOString(),
      validTo: new Date(now + 86_400_000).toISOString(),
      stationCodes: ['xa-tan-bien'],
      issuer: 'Sở Văn hóa, Thể thao và Du lịch',
    });
    province.bulletins = [
      bulletin('kc-1', 'khan-cap', 'Cảnh báo lũ quét'),
      bulletin('ut-1', 'uu-tien', 'Thông báo tiêm chủng'),
      bulletin('tt-1', 'thong-thuong', 'Tuyên truyền an toàn giao thông'),
    ];
    stack = await startConsoleStack({
      config: {
        audio: { loudness: { enabled: false } },
        informationSource: provinceSettings(province.url),
      },
    });
    const cluster = await stack.createCluster('loa-ttn-01', 'ap-hoa-binh');
    gateway = await stack.connect(cluster);
    gateway.on('message', (_topic, payload) => commands.push(JSON.parse(payload.toString('utf8'))));
    await gateway.subscribeAsync(topics.groupCommand('xa-tan-bien'), { qos: 1 });
  }, 60_000);

  afterAll(async () => {
    await gateway?.endAsync(true);
    await stack?.close();
    await province?.stop();
  });

  it('plays an emergency bulletin at once on the commune’s clusters, in the province’s name', async () => {
    const operator = await stack.login('operator');
    const sent = await until(
      'emergency broadcast',
      async () => {
        const res = await operator.get<{ broadcasts: BroadcastRow[] }>('/api/broadcasts');
        return res.body.broadcasts.find((b) => b.origin === 'information-source');
      },
      20_000,
    );
    expect(sent).toMatchObject({ priority: 'emergency', status: 'sent' });
    const raw = await until('play command on the group topic', () => commands[0], 10_000);
    const command = CommandSchema.parse(raw);
    if (command.body.type !== 'play') throw new Error('expected a play command');
    expect(command.body.priority).toBe('emergency');
    const info = await operator.get<InfoBulletin>('/api/information-source/bulletins?status=approved');
    const kc = (info.body as unknown as { bulletins: InfoBulletin[] }).bulletins.find((b) => b.id === 'kc-1');
    expect(command.body.playlist[0]?.audioId).toBe(kc?.audioId);
    expect(kc?.decidedBy).toBe('Hệ thống thông tin nguồn (Sở Văn hóa, Thể thao và Du lịch)');
    await until('receipts', async () =>
      province.receipts.some((r) => r.bulletinId === 'kc-1' && r.status === 'da-duyet'),
    );
  }, 40_000);

  it('puts a priority bulletin into the programme without waiting for the commune', async () => {
    const operator = await stack.login('operator');
    const queued = await until('priority bulletin scheduled', async () => {
      const res = await operator.get<{ bulletins: QueuedBulletin[] }>('/api/bulletins');
      return res.body.bulletins.find((b) => b.title === 'Thông báo tiêm chủng' && b.status === 'scheduled');
    });
    expect(queued).toMatchObject({ level: 'priority', areaId: 'xa-tan-bien' });
    const schedule = await operator.get<{ priority: string; origin: string }>(
      `/api/schedules/${queued.scheduleId}`,
    );
    expect(schedule.status).toBe(200);
    expect(schedule.body).toMatchObject({ priority: 'priority', origin: 'bulletin' });
    // Nothing of the normal bulletin reaches the programme before the commune decides.
    const all = await operator.get<{ bulletins: QueuedBulletin[] }>('/api/bulletins');
    expect(all.body.bulletins.some((b) => b.title === 'Tuyên truyền an toàn giao thông')).toBe(false);
  }, 30_000);

  it('schedules a normal bulletin once an approver accepts it, in the approver’s name', async () => {
    const approver = await stack.login('approver');
    await until('normal bulletin pending', async () => {
      const res = await approver.get<{ bulletins: InfoBulletin[] }>(
        '/api/information-source/bulletins?status=pending-approval',
      );
      return res.body.bulletins.some((b) => b.id === 'tt-1');
    });
    const decided = await approver.post<InfoBulletin>('/api/information-source/bulletins/tt-1/decision', {
      decision: 'approve',
    });
    expect(decided.status).toBe(200);
    const queued = await until('normal bulletin scheduled', async () => {
      const res = await approver.get<{ bulletins: QueuedBulletin[] }>('/api/bulletins');
      return res.body.bulletins.find(
        (b) => b.title === 'Tuyên truyền an toàn giao thông' && b.status !== 'awaiting-acceptance',
      );
    });
    expect(queued).toMatchObject({ level: 'normal', status: 'scheduled', decidedBy: 'test-approver' });
    const schedule = await approver.get<{ playlist: string[] }>(`/api/schedules/${queued.scheduleId}`);
    expect(schedule.body.playlist).toEqual([decided.body.audioId]);
  }, 30_000);
});
