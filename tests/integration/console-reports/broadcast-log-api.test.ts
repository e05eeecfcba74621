import { join } from 'node:path';
import { topics } from '@xaso/device-profiles/contract';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Collector, startCollector } from '../../../collector/src/collector.js';
import { CollectorConfigSchema } from '../../../collector/src/config/schema.js';
import { BroadcastStore } from '../../../console/src/broadcast/live/broadcast-store.js';
import { BroadcastRequestSchema } from '../../../console/src/broadcast/live/request.js';
import { ScheduleStore } from '../../../console/src/broadcast/schedule/schedule-store.js';
import { localDayStart } from '../../../console/src/reports/local-time.js';
import { startMosquitto, tempDir } from '../../harness/index.js';
import { type ConsoleStack, startConsoleStack } from '../console/fixture.js';

type Mosquitto = Awaited<ReturnType<typeof startMosquitto>>;
interface LogBody {
  rows: {
    clusterId: string;
    outcome: string;
    title: string;
    requestedBy: string | null;
    approvedBy: string | null;
  }[];
  total: { played: number; failed: number; missed: number };
}

async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// Yesterday in Vietnam: recent enough for the collector, and never in the future whatever the hour.
const reportDay = new Date(Date.now() + 7 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
const DAY = localDayStart(reportDay);
const at = (h: number, m = 0) => DAY + (h * 60 + m) * 60_000;

describe('broadcast log report over HTTP from real collector ingest', () => {
  let mosquitto: Mosquitto;
  let collector: Collector;
  let stack: ConsoleStack;
  let stateDb: string;

  beforeAll(async () => {
    const dir = await tempDir('xs-report-test');
    stateDb = join(dir, 'state.db');
    mosquitto = await startMosquitto();
    collector = await startCollector(
      CollectorConfigSchema.parse({
        mqtt: { url: mosquitto.url, clientId: 'collector-report', protocolVersion: 5 },
        store: { kind: 'embedded', path: join(dir, 'ts.db') },
        outbox: { path: stateDb },
        metrics: { port: 0 },
        logLevel: 'silent',
      }),
    );
    await collector.ready();
    stack = await startConsoleStack({ config: { collectorStateDb: stateDb } });
    await stack.createCluster('loa-thanh-binh', 'ap-thanh-binh');
    await stack.createCluster('loa-cho', 'xa-tan-bien');
    await stack.createCluster('loa-tan-lap', 'xa-tan-lap');
    stack.registry.createDevice({ id: 'loa-khac', role: 'speaker-cluster' });

    new BroadcastStore(stack.ctx.db).save({
      id: 'bc-hop-dan',
      kind: 'play',
      priority: 'priority',
      targets: [{ kind: 'area', areaId: 'xa-tan-bien' }],
      request: BroadcastRequestSchema.parse({
        kind: 'play',
        title: 'Thông báo họp dân ấp Thạnh Bình',
        targets: [{ kind: 'area', areaId: 'xa-tan-bien' }],
        playlist: ['a'.repeat(64)],
      }),
      status: 'sent',
      origin: 'console',
      clusters: ['loa-thanh-binh', 'loa-cho'],
      commandIds: [],
      createdBy: 'test-operator',
      createdAt: at(7),
      approvedBy: 'chu-tich-xa',
      decidedAt: at(7),
      decisionNote: null,
      sentAt: at(7),
    });

    new ScheduleStore(stack.ctx.db).save({
      id: 'sch-chieu',
      title: 'Chương trình thời sự buổi chiều',
      target: { kind: 'area', areaId: 'xa-tan-bien' },
      recurrence: { kind: 'daily', time: '17:00' },
      playlist: ['c'.repeat(64)],
      volume: 80,
      priority: 'normal',
      validFrom: at(0),
      validTo: null,
      status: 'active',
      origin: 'commune',
      warnings: [],
      createdBy: 'can-bo-van-hoa',
      approvedBy: null,
      createdAt: at(0),
      updatedAt: at(0),
    });
    const pub = await mqtt.connectAsync(mosquitto.url, { clientId: 'gw-report-pub' });
    const send = async (deviceId: string, seq: number, ts: number, event: Record<string, unknown>) => {
      const msg = { v: 1, deviceId, seq, ts, event: { kind: 'playback', ...event } };
      await pub.publishAsync(topics.event(deviceId), JSON.stringify(msg), { qos: 1 });
    };
    const cmd = { broadcastId: 'bc-hop-dan', priority: 'priority', commandId: crypto.randomUUID() };
    await send('loa-thanh-binh', 1, at(7, 1), { ...cmd, phase: 'start' });
    await send('loa-thanh-binh', 2, at(7, 3), { ...cmd, phase: 'end', durationMs: 120_000 });
    // A redelivery from the gateway's queue: stored once by the collector, counted once in the report.
    await send('loa-thanh-binh', 2, at(7, 3), { ...cmd, phase: 'end', durationMs: 120_000 });
    await send('loa-cho', 1, at(7, 1), { ...cmd, phase: 'failed', reason: 'lỗi bộ khuếch đại' });
    await send('loa-tan-lap', 1, at(7, 1), { ...cmd, phase: 'missed', reason: 'mất kết nối' });
    await send('loa-khac', 1, at(7, 1), { ...cmd, phase: 'start' });
    const slot = {
      broadcastId: 'sch-chieu',
      priority: 'normal',
      scheduleVersion: 2,
      entryId: 'sch-chieu',
      scheduledAt: at(17),
    };
    await send('loa-cho', 2, at(17), { ...slot, phase: 'start' });
    await send('loa-cho', 3, at(17, 15), { ...slot, phase: 'end', durationMs: 900_000 });
    await pub.endAsync();
    await until('events stored', () => {
      const row = collector.state.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
      return row.n === 7;
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    await collector?.stop();
    await mosquitto?.stop();
  });

  const query = `areaId=xa-tan-bien&from=${reportDay}&to=${reportDay}`;

  it('joins proof of broadcast with who sent and approved it, for the area only', async () => {
    const operator = await stack.login('operator');
    const res = await operator.get<LogBody>(`/api/reports/broadcast-log?${query}`);
    expect(res.status).toBe(200);
    expect(res.body.rows.map((r) => [r.clusterId, r.outcome])).toEqual([
      ['loa-cho', 'failed'],
      ['loa-thanh-binh', 'played'],
      ['loa-cho', 'played'],
    ]);
    expect(res.body.rows[2]).toMatchObject({
      title: 'Chương trình thời sự buổi chiều',
      requestedBy: 'can-bo-van-hoa',
      approvedBy: null,
    });
    expect(res.body.rows[1]).toMatchObject({
      title: 'Thông báo họp dân ấp Thạnh Bình',
      requestedBy: 'test-operator',
      approvedBy: 'chu-tich-xa',
    });
    expect(res.body.total).toMatchObject({ played: 2, failed: 1, missed: 0 });
  });

  it('exports CSV with BOM and Vietnamese text, and a printable page', async () => {
    const approver = await stack.login('approver');
    const csv = await approver.fetch(`/api/reports/broadcast-log/csv?${query}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toContain(`nhat-ky-phat-thanh_xa-tan-bien_${reportDay}`);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    const [y, m, d] = reportDay.split('-');
    expect(text).toContain(
      `${d}/${m}/${y},07:01:00,07:03:00,2:00,loa-thanh-binh,loa-thanh-binh,Ấp Thạnh Bình,`,
    );
    expect(text).toContain('Lỗi,lỗi bộ khuếch đại,test-operator,chu-tich-xa,bc-hop-dan');
    const page = await approver.fetch(`/api/reports/broadcast-log/print?${query}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<strong>Xã Tân Biên</strong>');
    expect(html).toContain('Thông báo họp dân ấp Thạnh Bình');
  });

  it('refuses other areas, unknown areas, bad dates and unauthorised roles, naming the field', async () => {
    const operator = await stack.login('operator');
    const other = await operator.get(
      `/api/reports/broadcast-log?areaId=xa-tan-lap&from=${reportDay}&to=${reportDay}`,
    );
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ field: 'areaId' });
    const unknown = await operator.get(
      `/api/reports/broadcast-log?areaId=xa-khong-co&from=${reportDay}&to=${reportDay}`,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ field: 'areaId' });
    const badDate = await operator.get(
      '/api/reports/broadcast-log?areaId=xa-tan-bien&from=30/11/2026&to=2026-11-30',
    );
    expect(badDate.status).toBe(400);
    expect(badDate.body).toMatchObject({ field: 'from' });
    const reversed = await operator.get(
      '/api/reports/broadcast-log?areaId=xa-tan-bien&from=2026-11-30&to=2026-11-01',
    );
    expect(reversed.status).toBe(400);
    expect(reversed.body).toMatchObject({ field: 'to' });
    const technician = await stack.login('technician');
    expect((await technician.get(`/api/reports/broadcast-log?${query}`)).status).toBe(403);
    expect((await stack.client().get(`/api/reports/broadcast-log?${query}`)).status).toBe(401);
    const admin = await stack.login('admin');
    // No provincial system configured in this stack: the status says so, a sync names the missing setting.
    const status = await admin.get('/api/information-source/status');
    expect(status.body).toMatchObject({ configured: false, connected: false });
    const sync = await admin.post('/api/information-source/sync');
    expect(sync.status).toBe(503);
    expect(sync.body).toMatchObject({ field: 'informationSource.url' });
    const all = await admin.get<LogBody>(
      `/api/reports/broadcast-log?areaId=tay-ninh&from=${reportDay}&to=${reportDay}`,
    );
    expect(all.status).toBe(200);
    expect(all.body.rows.map((r) => r.clusterId).sort()).toEqual([
      'loa-cho',
      'loa-cho',
      'loa-tan-lap',
      'loa-thanh-binh',
    ]);
  });
});
