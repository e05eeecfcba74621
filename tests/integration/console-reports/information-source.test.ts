import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceRecords } from '../../../collector/src/ingest/device-records.js';
import type { SqliteDatabase } from '../../../collector/src/sqlite.js';
import { openStateDb } from '../../../collector/src/state/state-db.js';
import { AudioLibrary } from '../../../console/src/audio/library.js';
import { ScheduleStore } from '../../../console/src/broadcast/schedule/schedule-store.js';
import {
  type InformationSourceExchange,
  createInformationSource,
  parseInformationSourceConfig,
} from '../../../console/src/information-source/index.js';
import { ensurePackage, tempDir } from '../../harness/index.js';
import { type ConsoleStack, startConsoleStack } from '../console/fixture.js';
import { FakeProvince, PROVINCE_TOKEN, toneWav } from './fake-province.js';

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const T0 = Date.now() - 3_600_000;

describe('information source exchange against a fake provincial system', () => {
  let stack: ConsoleStack;
  let province: FakeProvince;
  let state: SqliteDatabase;
  let records: DeviceRecords;
  let stateDbPath: string;
  let library: AudioLibrary;
  const exchanges: InformationSourceExchange[] = [];
  let seq = 0;

  const playback = (deviceId: string, phase: 'start' | 'end', ts: number) => {
    seq++;
    const event = { kind: 'playback' as const, phase, broadcastId: 'sch-sang', priority: 'normal' as const };
    records.event({ v: 1, deviceId, seq, ts, event }, ts + 10);
    return `${deviceId}:${seq}`;
  };

  const exchange = () => {
    const made = createInformationSource(stack.ctx, {
      config: parseInformationSourceConfig({
        url: province.url,
        token: PROVINCE_TOKEN,
        systemCode: 'xaso-tay-ninh',
        syncIntervalMs: 100,
        retryMinMs: 50,
        retryMaxMs: 400,
        requestTimeoutMs: 3000,
        batchSize: 3,
      }),
      collectorStateDb: stateDbPath,
      library,
    });
    if (!made) throw new Error('exchange not created');
    exchanges.push(made);
    return made;
  };

  beforeAll(async () => {
    await ensurePackage('espeak-ng', '/usr/bin/espeak-ng');
    province = new FakeProvince();
    await province.start();
    const dir = await tempDir('xs-infosrc-test');
    stateDbPath = join(dir, 'state.db');
    state = openStateDb(stateDbPath);
    records = new DeviceRecords(state);
    // Loudness normalisation is the audio library's concern (tested there); off here to keep this file fast.
    stack = await startConsoleStack({ config: { audio: { loudness: { enabled: false } } } });
    if (!(stack.ctx.audio instanceof AudioLibrary)) throw new Error('the stack has no audio library');
    library = stack.ctx.audio;
    await stack.createCluster('loa-01', 'ap-thanh-binh');
    await stack.createCluster('loa-02', 'xa-tan-bien');
    await stack.createCluster('loa-03', 'xa-tan-lap');
    records.presence(
      {
        v: 1,
        deviceId: 'loa-01',
        state: 'online',
        ts: T0,
        speaker: {
          playing: { priority: 'normal', startedAt: T0 },
          volume: 80,
          amplifier: 'on',
        },
      },
      T0,
    );
    records.presence({ v: 1, deviceId: 'loa-02', state: 'online', ts: T0 }, T0);
  }, 60_000);

  afterAll(async () => {
    for (const e of exchanges) await e.stop();
    await stack?.close();
    state?.close();
    await province?.stop();
  });

  it('publishes stations, clusters with place and state, and proof of broadcast; unchanged state is not resent', async () => {
    const ids = [
      playback('loa-01', 'start', T0),
      playback('loa-01', 'end', T0 + 60_000),
      playback('loa-02', 'start', T0),
    ];
    new ScheduleStore(stack.ctx.db).save({
      id: 'sch-sang',
      title: 'Chương trình phát thanh buổi sáng',
      target: { kind: 'area', areaId: 'xa-tan-bien' },
      recurrence: { kind: 'weekly', days: ['mon', 'fri'], time: '06:00' },
      playlist: ['b'.repeat(64)],
      volume: 80,
      priority: 'priority',
      validFrom: T0,
      validTo: null,
      status: 'active',
      origin: 'commune',
      warnings: [],
      createdBy: 'test-operator',
      approvedBy: null,
      createdAt: T0,
      updatedAt: T0,
    });
    const ex = exchange();
    await ex.syncNow();
    expect(province.invalid).toEqual([]);
    expect(province.schedules.get('xa-tan-bien')?.items).toEqual([
      {
        id: 'sch-sang',
        title: 'Chương trình phát thanh buổi sáng',
        level: 'uu-tien',
        recurrence: 'Hằng tuần (Thứ Hai, Thứ Sáu) lúc 06:00',
        cron: '0 0 6 * * 1,5',
        startsAt: null,
        validFrom: expect.stringMatching(/\+07:00$/),
        validTo: null,
        durationS: 0,
        clusterCodes: ['loa-01', 'loa-02'],
      },
    ]);
    expect(province.schedules.get('xa-tan-lap')?.items).toEqual([]);
    expect(province.stations.get('xa-tan-bien')).toMatchObject({
      name: 'Xã Tân Biên',
      type: 'cntt-vt',
      clusterCount: 2,
      areaPath: [
        { code: 'tay-ninh', name: 'Tỉnh Tây Ninh', kind: 'province' },
        { code: 'xa-tan-bien', name: 'Xã Tân Biên', kind: 'commune' },
      ],
    });
    expect(province.stations.get('xa-tan-lap')).toMatchObject({ clusterCount: 1 });
    expect([...province.stations.keys()].sort()).toEqual(['xa-tan-bien', 'xa-tan-lap']);
    expect(province.clusters.get('loa-01')).toMatchObject({ stationCode: 'xa-tan-bien', state: 'dang-phat' });
    expect(province.clusters.get('loa-02')).toMatchObject({ stationCode: 'xa-tan-bien', state: 'hoat-dong' });
    expect(province.clusters.get('loa-03')).toMatchObject({ stationCode: 'xa-tan-lap', state: 'chua-ro' });
    expect(province.clusters.get('loa-01')?.updatedAt).toMatch(/\+07:00$/);
    // Sent in the order the collector received them.
    expect(province.playback.map((p) => p.id).sort()).toEqual([...ids].sort());
    expect(province.playback.find((p) => p.id === ids[1])).toMatchObject({
      clusterCode: 'loa-01',
      stationCode: 'xa-tan-bien',
      phase: 'ket-thuc',
      level: 'thong-thuong',
    });
    expect(ex.status()).toMatchObject({ connected: true, outbox: { messages: 0 } });

    const puts = province.requests.filter((r) => r.method === 'PUT').length;
    await ex.syncNow();
    expect(province.requests.filter((r) => r.method === 'PUT').length).toBe(puts);
    await ex.stop();
  });

  it('keeps everything through an outage and a restart, then delivers each log exactly once with back-off', async () => {
    const before = province.playback.length;
    province.mode = 'reset';
    const first = exchange();
    const ids = [playback('loa-02', 'end', T0 + 120_000), playback('loa-03', 'start', T0 + 130_000)];
    records.presence({ v: 1, deviceId: 'loa-02', state: 'offline', ts: T0 + 200_000 }, T0 + 200_000);
    await first.syncNow();
    const down = first.status();
    expect(down.connected).toBe(false);
    expect(down.lastError).toBeTruthy();
    expect(down.outbox.messages).toBeGreaterThanOrEqual(2);
    await first.stop();

    // The console restarts while the province is still down; more proof of broadcast arrives meanwhile.
    ids.push(playback('loa-03', 'end', T0 + 190_000), playback('loa-01', 'start', T0 + 300_000));
    ids.push(playback('loa-01', 'end', T0 + 360_000));
    const second = exchange();
    province.mode = '503';
    second.start();
    await until('a few refused attempts', () => second.status().consecutiveFailures >= 2);
    const refusedAttempts = province.refusedWhileDown;
    province.mode = 'up';
    await until('all logs delivered', () => province.playback.length >= before + ids.length);
    await until('outbox drained', () => second.status().outbox.messages === 0);
    const delivered = province.playback.slice(before).map((p) => p.id);
    expect(delivered.sort()).toEqual([...ids].sort());
    expect(new Set(province.playback.map((p) => p.id)).size).toBe(province.playback.length);
    expect(province.clusters.get('loa-02')?.state).toBe('mat-ket-noi');
    expect(refusedAttempts).toBeGreaterThanOrEqual(2);
    // Back-off, not a busy loop: well under one attempt per 10 ms while down.
    expect(refusedAttempts).toBeLessThan(200);
    await second.stop();
  });

  it('takes bulletins into the audio library pending approval and refuses bad ones with a reason', async () => {
    const wav = toneWav(1.5);
    const sha = createHash('sha256').update(wav).digest('hex');
    province.files.set('/files/hop-dan.wav', wav);
    province.fileFailures.set('/files/hop-dan.wav', 1);
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const base = {
      validFrom: iso(now - 60_000),
      validTo: iso(now + 86_400_000),
      issuer: 'Sở Văn hóa, Thể thao và Du lịch',
    };
    province.bulletins = [
      {
        ...base,
        id: 'bt-001',
        title: 'Thông báo lịch tiêm chủng',
        level: 'uu-tien',
        kind: 'audio',
        audioUrl: `${province.url}/files/hop-dan.wav`,
        sha256: sha,
        stationCodes: ['xa-tan-bien', 'xa-ngoai-tinh'],
      },
      {
        ...base,
        id: 'bt-002',
        title: 'Cảnh báo mưa lớn',
        level: 'khan-cap',
        kind: 'text',
        text: 'Cảnh báo: mưa lớn kèm dông lốc, bà con chú ý an toàn.',
        stationCodes: ['xa-tan-bien'],
      },
      {
        ...base,
        id: 'bt-003',
        title: 'Thiếu tệp',
        level: 'thong-thuong',
        kind: 'audio',
        stationCodes: ['xa-tan-bien'],
      },
      {
        ...base,
        id: 'bt-004',
        title: 'Xã khác',
        level: 'thong-thuong',
        kind: 'text',
        text: 'Xin chào',
        stationCodes: ['xa-khac'],
      },
      {
        ...base,
        id: 'bt-005',
        title: 'Sai mã băm',
        level: 'thong-thuong',
        kind: 'audio',
        audioUrl: `${province.url}/files/hop-dan.wav`,
        sha256: 'f'.repeat(64),
        stationCodes: ['xa-tan-bien'],
      },
    ];
    const ex = exchange();
    // First sync: the audio download fails (503), so the page stops there and its cursor stays…
    await ex.syncNow();
    expect(ex.bulletins.get('bt-001', Date.now())).toBeUndefined();
    // …but the emergency bulletin, taken in first, is not held back by it.
    expect(ex.bulletins.get('bt-002', Date.now())?.status).toBe('pending-approval');
    await ex.syncNow();
    await ex.syncNow();

    const audioBulletin = ex.bulletins.get('bt-001', Date.now());
    expect(audioBulletin).toMatchObject({
      status: 'pending-approval',
      level: 'priority',
      areaIds: ['xa-tan-bien'],
    });
    const audioItem = library.get(audioBulletin?.audioId ?? '');
    expect(audioItem?.title).toBe('Thông báo lịch tiêm chủng');
    expect(audioItem?.durationMs).toBeGreaterThan(1300);
    expect(audioItem?.durationMs).toBeLessThan(1700);

    const textBulletin = ex.bulletins.get('bt-002', Date.now());
    expect(textBulletin).toMatchObject({ status: 'pending-approval', level: 'emergency', kind: 'text' });
    expect(library.record(textBulletin?.audioId ?? '')?.speech?.text).toBe(
      'Cảnh báo: mưa lớn kèm dông lốc, bà con chú ý an toàn.',
    );
    expect(ex.bulletins.list(Date.now(), 'pending-approval').map((b) => b.id)).toEqual(['bt-002', 'bt-001']);

    const receipts = new Map(province.receipts.map((r) => [r.bulletinId, r]));
    expect(receipts.get('bt-001')?.status).toBe('da-nhan');
    expect(receipts.get('bt-002')?.status).toBe('da-nhan');
    expect(receipts.get('bt-003')).toMatchObject({
      status: 'tu-choi',
      reason: expect.stringMatching(/^audioUrl:/),
    });
    expect(receipts.get('bt-004')).toMatchObject({
      status: 'tu-choi',
      reason: expect.stringMatching(/^stationCodes:/),
    });
    expect(receipts.get('bt-005')).toMatchObject({
      status: 'tu-choi',
      reason: expect.stringMatching(/^sha256:/),
    });
    expect(province.receipts.filter((r) => r.bulletinId === 'bt-001')).toHaveLength(1);
    expect(province.invalid).toEqual([]);

    ex.decide(audioBulletin ?? expect.fail('no bulletin'), 'approved', 'test-approver', null);
    await ex.syncNow();
    expect(province.receipts.filter((r) => r.bulletinId === 'bt-001').map((r) => r.status)).toEqual([
      'da-nhan',
      'da-duyet',
    ]);
    expect(ex.bulletins.get('bt-001', Date.now())?.decidedBy).toBe('test-approver');

    // When a cluster plays the bulletin's audio, the log sent up names the province's bulletin.
    seq++;
    const event = {
      kind: 'playback' as const,
      phase: 'end' as const,
      broadcastId: 'sch-bt-001',
      priority: 'priority' as const,
      audioId: audioBulletin?.audioId ?? '',
      durationMs: 1500,
    };
    records.event({ v: 1, deviceId: 'loa-02', seq, ts: Date.now(), event }, Date.now());
    await ex.syncNow();
    expect(province.playback.find((p) => p.id === `loa-02:${seq}`)).toMatchObject({
      bulletinId: 'bt-001',
      phase: 'ket-thuc',
      level: 'uu-tien',
      durationS: 1.5,
    });
    await ex.stop();
  }, 60_000);
});
