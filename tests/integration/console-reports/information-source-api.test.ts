import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleStack, startConsoleStack } from '../console/fixture.js';
import { FakeProvince, provinceSettings, toneWav } from './fake-province.js';

interface BulletinBody {
  id: string;
  status: string;
  audioId: string | null;
  decidedBy: string | null;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('information source API in the running console', () => {
  let stack: ConsoleStack;
  let province: FakeProvince;

  beforeAll(async () => {
    province = new FakeProvince();
    await province.start();
    const wav = toneWav(1);
    province.files.set('/files/tin.wav', wav);
    const now = Date.now();
    const common = {
      level: 'thong-thuong',
      kind: 'audio',
      audioUrl: `${province.url}/files/tin.wav`,
      sha256: createHash('sha256').update(wav).digest('hex'),
      validFrom: new Date(now - 60_000).toISOString(),
      issuer: 'Sở Văn hóa, Thể thao và Du lịch',
    };
    province.bulletins = [
      {
        ...common,
        id: 'tin-1',
        title: 'Tuyên truyền phòng chống cháy rừng',
        validTo: new Date(now + 86_400_000).toISOString(),
        stationCodes: ['xa-tan-bien'],
      },
      {
        ...common,
        id: 'tin-2',
        title: 'Tin ngắn hạn',
        validTo: new Date(now + 86_400_000).toISOString(),
        stationCodes: ['xa-tan-bien'],
      },
      {
        ...common,
        id: 'tin-3',
        title: 'Tin cho xã Tân Lập',
        validTo: new Date(now + 86_400_000).toISOString(),
        stationCodes: ['xa-tan-lap'],
      },
    ];
    stack = await startConsoleStack({
      config: {
        audio: { loudness: { enabled: false } },
        informationSource: provinceSettings(province.url),
      },
    });
    await stack.createCluster('loa-api-01', 'ap-hoa-binh');
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    await province?.stop();
  });

  it('lists the bulletins of the user’s areas and records the decision, telling the province', async () => {
    const approver = await stack.login('approver');
    await until('bulletins taken in', async () => {
      const res = await approver.get<{ bulletins: BulletinBody[] }>(
        '/api/information-source/bulletins?status=pending-approval',
      );
      return res.status === 200 && res.body.bulletins.length === 2;
    });
    const listed = await approver.get<{ bulletins: BulletinBody[] }>('/api/information-source/bulletins');
    expect(listed.body.bulletins.map((b) => b.id).sort()).toEqual(['tin-1', 'tin-2']);
    const item = listed.body.bulletins.find((b) => b.id === 'tin-1');
    const audio = await approver.get<{ title: string }>(`/api/audio/${item?.audioId}`);
    expect(audio.status).toBe(200);
    expect(audio.body.title).toBe('Tuyên truyền phòng chống cháy rừng');

    const bad = await approver.post('/api/information-source/bulletins/tin-1/decision', {
      decision: 'maybe',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ field: 'decision' });
    const missing = await approver.post('/api/information-source/bulletins/khong-co/decision', {
      decision: 'approve',
    });
    expect(missing.status).toBe(404);
    const foreign = await approver.post('/api/information-source/bulletins/tin-3/decision', {
      decision: 'approve',
    });
    expect(foreign.status).toBe(403);

    const ok = await approver.post<BulletinBody>('/api/information-source/bulletins/tin-1/decision', {
      decision: 'approve',
      note: 'Phát vào buổi sáng',
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'approved', decidedBy: 'test-approver' });
    const again = await approver.post('/api/information-source/bulletins/tin-1/decision', {
      decision: 'reject',
    });
    expect(again.status).toBe(409);

    const admin = await stack.login('admin');
    const audit = await admin.get<{ entries: { action: string; actor: string; target: string }[] }>(
      '/api/audit?action=information-source.bulletin.approved',
    );
    expect(audit.status).toBe(200);
    expect(audit.body.entries).toEqual([
      expect.objectContaining({
        action: 'information-source.bulletin.approved',
        actor: 'test-approver',
        target: 'tin-1',
      }),
    ]);
    const synced = await admin.post<{ configured: boolean; outbox: { messages: number } }>(
      '/api/information-source/sync',
    );
    expect(synced.status).toBe(200);
    expect(synced.body.configured).toBe(true);
    await until('approval receipt delivered', async () =>
      province.receipts.some((r) => r.bulletinId === 'tin-1' && r.status === 'da-duyet'),
    );
    expect(province.clusters.get('loa-api-01')).toMatchObject({ stationCode: 'xa-tan-bien' });
  });

  it('refuses a decision once the bulletin has expired, and guards the routes by role', async () => {
    const approver = await stack.login('approver');
    // Time passes: the bulletin's validity ends while it waits for a decision.
    stack.ctx.db
      .prepare("UPDATE infosrc_bulletins SET valid_to = ? WHERE id = 'tin-2'")
      .run(Date.now() - 1000);
    const expired = await approver.get<{ bulletins: BulletinBody[] }>(
      '/api/information-source/bulletins?status=expired',
    );
    expect(expired.body.bulletins.map((b) => b.id)).toEqual(['tin-2']);
    const late = await approver.post('/api/information-source/bulletins/tin-2/decision', {
      decision: 'approve',
    });
    expect(late.status).toBe(410);

    const technician = await stack.login('technician');
    const status = await technician.get<{ configured: boolean; connected: boolean }>(
      '/api/information-source/status',
    );
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ configured: true, connected: true });
    expect((await technician.get('/api/information-source/bulletins')).status).toBe(403);
    const operator = await stack.login('operator');
    expect((await operator.post('/api/information-source/sync')).status).toBe(403);
    // This stack has no collector state DB configured: the report says which setting is missing.
    const report = await operator.get(
      '/api/reports/broadcast-log?areaId=xa-tan-bien&from=2026-11-01&to=2026-11-30',
    );
    expect(report.status).toBe(503);
    expect(report.body).toMatchObject({ field: 'collectorStateDb' });
  });
});
