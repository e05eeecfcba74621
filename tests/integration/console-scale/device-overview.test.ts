import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceView } from '../../../console/src/devices/device-schemas.js';
import type { DeviceSummary, StateCounts } from '../../../console/src/devices/device-summary.js';
import type { LiveSnapshot } from '../../../console/src/live/index.js';
import { tempDir } from '../../harness/index.js';
import { SseReader } from '../console-live/sse-reader.js';
import { type ApiClient, type ConsoleStack, TEST_AREAS, startConsoleStack } from '../console/fixture.js';
import { type SeedDevice, expectedState, seedFleet } from './fleet-seed.js';

interface DevicePage {
  items: DeviceView[];
  nextCursor: string | null;
  total: number;
}

const AREAS = TEST_AREAS.map((a) => (a.id === 'xa-tan-bien' ? { ...a, lat: 11.55, lon: 105.95 } : a));
const PRESENCE = ['online', 'playing', 'fault', 'offline', undefined] as const;

/** 60 clusters in Tân Biên (a third in its villages), 40 in Tân Lập, 12 stations of which 4 unplaced. */
const FLEET: SeedDevice[] = [
  ...Array.from(
    { length: 60 },
    (_, i): SeedDevice => ({
      id: `loa-tb-${String(i).padStart(3, '0')}`,
      role: 'speaker-cluster',
      areaId: i % 3 === 0 ? 'ap-thanh-binh' : i % 3 === 1 ? 'ap-hoa-binh' : 'xa-tan-bien',
      presence: PRESENCE[i % PRESENCE.length],
      disabled: i === 7,
    }),
  ),
  ...Array.from(
    { length: 40 },
    (_, i): SeedDevice => ({
      id: `loa-tl-${String(i).padStart(3, '0')}`,
      role: 'speaker-cluster',
      areaId: 'xa-tan-lap',
      presence: PRESENCE[(i + 1) % PRESENCE.length],
    }),
  ),
  ...Array.from(
    { length: 12 },
    (_, i): SeedDevice => ({
      id: `tram-${String(i).padStart(2, '0')}`,
      role: 'sensor-gateway',
      areaId: i < 4 ? null : i < 8 ? 'xa-tan-bien' : 'xa-tan-lap',
      presence: i % 2 === 0 ? 'online' : 'offline',
    }),
  ),
  {
    id: 'loa-cho',
    role: 'speaker-cluster',
    name: 'Cụm loa chợ Tân Biên',
    areaId: 'xa-tan-bien',
    presence: 'online',
  },
];

async function pageAll(
  client: ApiClient,
  query: string,
  limit: number,
): Promise<{ ids: string[]; totals: number[] }> {
  const ids: string[] = [];
  const totals: number[] = [];
  let cursor: string | null = null;
  do {
    const qs = new URLSearchParams(query);
    qs.set('limit', String(limit));
    if (cursor) qs.set('cursor', cursor);
    const res = await client.get<DevicePage>(`/api/devices?${qs}`);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    ids.push(...res.body.items.map((d) => d.id));
    totals.push(res.body.total);
    cursor = res.body.nextCursor;
  } while (cursor !== null);
  return { ids, totals };
}

const sorted = (ids: readonly string[]) => [...ids].sort();
const inTanBien = (d: SeedDevice) => ['xa-tan-bien', 'ap-thanh-binh', 'ap-hoa-binh'].includes(d.areaId ?? '');

function counts(devices: readonly SeedDevice[]): StateCounts {
  const s = devices.map(expectedState);
  return {
    total: devices.length,
    online: s.filter((x) => x.online).length,
    offline: s.filter((x) => !x.online).length,
    playing: s.filter((x) => x.playing).length,
    fault: s.filter((x) => x.fault).length,
    disabled: devices.filter((d) => d.disabled).length,
  };
}

describe('GET /api/devices (paged) and GET /api/devices/summary', () => {
  let stack: ConsoleStack;
  let admin: ApiClient;
  let operator: ApiClient;
  let stateDir: string;

  beforeAll(async () => {
    stateDir = await tempDir('xs-console-scale');
    const collectorStateDb = join(stateDir, 'state.sqlite');
    stack = await startConsoleStack({ areas: AREAS, config: { collectorStateDb } });
    seedFleet(
      { registry: stack.registry, groupsFor: (a) => stack.console.core.placement.groupsFor(a) },
      collectorStateDb,
      FLEET,
    );
    admin = await stack.login('admin');
    operator = await stack.login('operator', { areaIds: ['xa-tan-bien'] });
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('pages through every device once, in id order, with the same total on every page', async () => {
    const all = await pageAll(admin, '', 7);
    expect(all.ids).toEqual(sorted(FLEET.map((d) => d.id)));
    expect(new Set(all.totals)).toEqual(new Set([FLEET.length]));
    const first = await admin.get<DevicePage>('/api/devices');
    expect(first.body.items).toHaveLength(100);
    expect(first.body.total).toBe(FLEET.length);
    const wide = await admin.get<DevicePage>('/api/devices?limit=1000');
    expect({ n: wide.body.items.length, next: wide.body.nextCursor }).toEqual({
      n: FLEET.length,
      next: null,
    });
  });

  it('filters by area subtree, kind, state and accent-free search', async () => {
    const ids = async (query: string) => (await pageAll(admin, query, 50)).ids;
    expect(await ids('area=xa-tan-bien')).toEqual(sorted(FLEET.filter(inTanBien).map((d) => d.id)));
    expect(await ids('area=ap-hoa-binh&kind=speaker-cluster')).toEqual(
      sorted(FLEET.filter((d) => d.areaId === 'ap-hoa-binh').map((d) => d.id)),
    );
    expect(await ids('kind=sensor-gateway')).toEqual(
      sorted(FLEET.filter((d) => d.role === 'sensor-gateway').map((d) => d.id)),
    );
    for (const state of ['online', 'offline', 'playing', 'fault'] as const) {
      const want = FLEET.filter((d) => {
        const s = expectedState(d);
        return state === 'offline' ? !s.online : s[state];
      });
      expect({ state, ids: await ids(`state=${state}`) }).toEqual({
        state,
        ids: sorted(want.map((d) => d.id)),
      });
    }
    expect(await ids('state=disabled')).toEqual(['loa-tb-007']);
    expect(await ids('q=cho%20tan%20bien')).toEqual(['loa-cho']);
    expect(await ids('q=CHỢ')).toEqual(['loa-cho']);
    expect(await ids('q=tram-0')).toHaveLength(10);
    const playing = await admin.get<DevicePage>('/api/devices?state=playing&limit=1');
    expect(playing.body.items[0]?.presence).toMatchObject({ state: 'online', source: 'collector' });
  });

  it('keeps the order when devices come and go between pages', async () => {
    const first = await admin.get<DevicePage>('/api/devices?limit=10');
    const lastSeen = first.body.items.at(-1)?.id ?? '';
    expect(lastSeen).toBe('loa-tb-008');
    stack.registry.deleteDevice(lastSeen);
    stack.registry.createDevice({ id: 'loa-tb-0085', role: 'speaker-cluster' });
    stack.registry.createDevice({ id: 'loa-tb-0005', role: 'speaker-cluster' });
    const next = await admin.get<DevicePage>(`/api/devices?limit=3&cursor=${first.body.nextCursor}`);
    expect(next.body.items.map((d) => d.id)).toEqual(['loa-tb-0085', 'loa-tb-009', 'loa-tb-010']);
    stack.registry.deleteDevice('loa-tb-0085');
    stack.registry.deleteDevice('loa-tb-0005');
    const original = FLEET.find((d) => d.id === lastSeen);
    expect(original?.areaId).toBe('xa-tan-bien');
    stack.registry.createDevice({
      id: lastSeen,
      role: 'speaker-cluster',
      areaId: 'xa-tan-bien',
      groups: stack.console.core.placement.groupsFor('xa-tan-bien'),
    });
  });

  it('answers bad input with 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=ten', 'limit'],
      ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
      ['kind=toaster', 'kind'],
      ['state=asleep', 'state'],
      ['area=nowhere', 'area'],
    ];
    for (const [query, field] of cases) {
      const res = await admin.get(`/api/devices?${query}`);
      expect({ query, status: res.status, field: res.body.field }).toEqual({ query, status: 400, field });
      expect(String(res.body.message)).toContain(field);
    }
    const summary = await admin.get('/api/devices/summary?area=nowhere');
    expect({ status: summary.status, field: summary.body.field }).toEqual({ status: 400, field: 'area' });
    const live = await admin.get('/api/live?area=nowhere');
    expect({ status: live.status, field: live.body.field }).toEqual({ status: 400, field: 'area' });
    expect((await stack.client().get('/api/devices/summary')).status).toBe(401);
  });

  it('documents paging, filters and the summary in the OpenAPI document', async () => {
    const doc = await stack.client().get<{
      paths: Record<string, { get?: { parameters?: { name: string }[] } }>;
    }>('/api/openapi.json');
    const list = doc.body.paths['/api/devices']?.get?.parameters?.map((p) => p.name);
    expect(list).toEqual(expect.arrayContaining(['limit', 'cursor', 'area', 'kind', 'state', 'q']));
    expect(doc.body.paths['/api/devices/summary']?.get).toBeDefined();
    expect(doc.body.paths['/api/live']?.get?.parameters?.map((p) => p.name)).toEqual(['area', 'kind']);
  });

  it('never shows an operator another commune’s device, on any page, filter or summary', async () => {
    const mine = FLEET.filter(inTanBien);
    for (const query of ['', 'kind=speaker-cluster', 'q=loa', 'state=online', 'area=tay-ninh']) {
      const { ids, totals } = await pageAll(operator, query, 9);
      expect(ids.every((id) => mine.some((d) => d.id === id))).toBe(true);
      expect(new Set(totals).size).toBeLessThanOrEqual(1);
      if (query === '') expect(ids).toEqual(sorted(mine.map((d) => d.id)));
    }
    expect((await pageAll(operator, 'area=xa-tan-lap', 10)).ids).toEqual([]);
    const summary = await operator.get<DeviceSummary>('/api/devices/summary');
    expect(summary.status).toBe(200);
    expect(summary.body.areas.map((a) => a.areaId)).not.toContain('xa-tan-lap');
    const clusters = mine.filter((d) => d.role === 'speaker-cluster');
    expect(summary.body.total['speaker-cluster']).toEqual(counts(clusters));
    const province = summary.body.areas.find((a) => a.areaId === 'tay-ninh');
    expect(province?.devices['speaker-cluster']).toEqual(counts(clusters));
    expect(summary.body.unplaced['sensor-gateway'].total).toBe(0);
  });

  it('counts per area, rolled up over the subtree, by kind and state', async () => {
    const res = await admin.get<DeviceSummary>('/api/devices/summary');
    expect(res.status).toBe(200);
    const area = (id: string) => res.body.areas.find((a) => a.areaId === id);
    const of = (where: (d: SeedDevice) => boolean, role: SeedDevice['role']) =>
      counts(FLEET.filter((d) => where(d) && d.role === role));
    expect(area('xa-tan-bien')?.devices).toEqual({
      'speaker-cluster': of(inTanBien, 'speaker-cluster'),
      'sensor-gateway': of(inTanBien, 'sensor-gateway'),
    });
    expect(area('ap-thanh-binh')?.devices['speaker-cluster']).toEqual(
      of((d) => d.areaId === 'ap-thanh-binh', 'speaker-cluster'),
    );
    expect(area('xa-tan-lap')?.devices['speaker-cluster']).toEqual(
      of((d) => d.areaId === 'xa-tan-lap', 'speaker-cluster'),
    );
    expect(area('tay-ninh')?.devices['sensor-gateway']).toEqual(
      of((d) => d.areaId !== null, 'sensor-gateway'),
    );
    expect(res.body.unplaced['sensor-gateway']).toEqual(of((d) => d.areaId === null, 'sensor-gateway'));
    expect(res.body.total['speaker-cluster'].total).toBe(
      FLEET.filter((d) => d.role === 'speaker-cluster').length,
    );
    expect(area('xa-tan-bien')?.centre).toEqual({ lat: 11.55, lon: 105.95 });
    expect(area('ap-hoa-binh')?.centre).toEqual({ lat: 11.55, lon: 105.95 });
    expect(res.body.areas[0]?.areaId).toBe('tay-ninh');
    const scoped = await admin.get<DeviceSummary>(
      '/api/devices/summary?area=xa-tan-lap&kind=speaker-cluster',
    );
    expect(scoped.body.areas.map((a) => a.areaId)).toEqual(['xa-tan-lap']);
    expect(scoped.body.total['sensor-gateway'].total).toBe(0);
    expect(scoped.body.total['speaker-cluster']).toEqual(
      of((d) => d.areaId === 'xa-tan-lap', 'speaker-cluster'),
    );
  });

  it('streams one commune when the map asks for it, updates included', async () => {
    const controller = new AbortController();
    const res = await admin.fetch('/api/live?area=xa-tan-lap', { signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = new SseReader(res);
    try {
      const snapshot = await reader.next<LiveSnapshot>('snapshot', () => true, 20_000);
      expect(sorted(snapshot.devices.map((d) => d.id))).toEqual(
        sorted(FLEET.filter((d) => d.areaId === 'xa-tan-lap').map((d) => d.id)),
      );
      const byId = new Map(snapshot.devices.map((d) => [d.id, d]));
      for (const d of FLEET.filter((x) => x.areaId === 'xa-tan-lap')) {
        const live = byId.get(d.id);
        const want = expectedState(d);
        const got = {
          online: live?.state === 'online',
          playing: live?.playing !== null,
          fault: live?.state === 'online' && live.faults.length > 0,
        };
        expect({ id: d.id, ...got }).toEqual({ id: d.id, ...want });
      }
      // A change outside the commune is not sent; one inside is.
      expect((await admin.post('/api/devices/loa-tb-001/disable')).status).toBe(200);
      expect((await admin.post('/api/devices/loa-tl-001/disable')).status).toBe(200);
      const update = await reader.next<{ id: string; disabled: boolean }>('device', () => true, 15_000);
      expect(update).toMatchObject({ id: 'loa-tl-001', disabled: true });
      expect(reader.events.filter((e) => e.event === 'device').map((e) => JSON.parse(e.data).id)).toEqual([
        'loa-tl-001',
      ]);
    } finally {
      controller.abort();
      await admin.post('/api/devices/loa-tb-001/enable');
      await admin.post('/api/devices/loa-tl-001/enable');
    }
  });
});
