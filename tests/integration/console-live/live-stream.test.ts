import { topics } from '@xaso/device-profiles/contract';
import type { Status } from '@xaso/device-profiles/contract';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveDevice, LiveSnapshot } from '../../../console/src/live/index.js';
import {
  type ApiClient,
  type Cluster,
  type ConsoleStack,
  TEST_AREAS,
  startConsoleStack,
} from '../console/fixture.js';
import { SseReader } from './sse-reader.js';

const CENTRE = { lat: 11.545, lon: 105.95 };
const AREAS = TEST_AREAS.map((a) => (a.id === 'xa-tan-bien' ? { ...a, ...CENTRE } : a));

async function openLive(client: ApiClient): Promise<{ reader: SseReader; abort: () => void }> {
  const controller = new AbortController();
  const res = await client.fetch('/api/live', { signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  return { reader: new SseReader(res), abort: () => controller.abort() };
}

function status(deviceId: string, patch: Partial<Status> = {}): string {
  const body: Status = {
    v: 1,
    deviceId,
    state: 'online',
    ts: Date.now(),
    reason: 'periodic',
    role: 'speaker-cluster',
    uptimeS: 120,
    queueDepth: 0,
    speaker: { playing: null, volume: 70, amplifier: 'on' },
    ...patch,
  };
  return JSON.stringify(body);
}

describe('GET /api/live', () => {
  let stack: ConsoleStack;
  const devices = new Map<string, MqttClient>();
  const credentials = new Map<string, Cluster>();
  const aborts: (() => void)[] = [];

  beforeAll(async () => {
    stack = await startConsoleStack({
      areas: AREAS,
      config: { live: { heartbeatMs: 300, registryPollMs: 100 } },
    });
    for (const [id, area] of [
      ['loa-tb-01', 'xa-tan-bien'],
      ['loa-tb-02', 'ap-hoa-binh'],
      ['loa-tl-01', 'xa-tan-lap'],
    ] as const) {
      const cluster = await stack.createCluster(id, area);
      credentials.set(id, cluster);
      devices.set(id, await stack.connect(cluster));
    }
  });
  afterAll(async () => {
    for (const abort of aborts) abort();
    await stack?.close();
  });

  const publish = (id: string, payload: string) =>
    devices.get(id)?.publishAsync(topics.status(id), payload, { qos: 1, retain: true });

  it('opens with a snapshot of every visible device, then streams status changes as they happen', async () => {
    const tech = await stack.login('technician');
    const { reader, abort } = await openLive(tech);
    aborts.push(abort);
    const snapshot = await reader.next<LiveSnapshot>('snapshot');
    const ids = snapshot.devices.map((d) => d.id).sort();
    expect(ids).toEqual(['loa-tb-01', 'loa-tb-02', 'loa-tl-01']);
    const first = snapshot.devices.find((d) => d.id === 'loa-tb-01');
    expect(first).toMatchObject({ state: 'offline', neverSeen: true, playing: null, faults: [] });
    // No surveyed position: it stands about 2 km from its commune's centre, flagged as approximate.
    expect(first?.position?.approximate).toBe(true);
    expect(Math.abs((first?.position?.lat ?? 0) - CENTRE.lat)).toBeLessThan(0.03);
    // The commune without coordinates leaves its devices off the map rather than inventing a place.
    expect(snapshot.devices.find((d) => d.id === 'loa-tl-01')?.position).toBeNull();

    const startedAt = Date.now() - 1000;
    await publish(
      'loa-tb-01',
      status('loa-tb-01', {
        speaker: {
          playing: { title: 'Bản tin sáng', priority: 'normal', startedAt },
          volume: 70,
          amplifier: 'on',
        },
      }),
    );
    const playing = await reader.next<LiveDevice>('device', (d) => d.id === 'loa-tb-01');
    expect(playing).toMatchObject({
      state: 'online',
      neverSeen: false,
      playing: { title: 'Bản tin sáng', priority: 'normal', startedAt },
      faults: [],
    });

    const before = reader.events.length;
    await publish(
      'loa-tb-02',
      status('loa-tb-02', {
        speaker: { playing: null, volume: 60, amplifier: 'fault', doorOpen: true },
        sources: { meter: { state: 'disconnected', pollSuccessRate: 0, lastError: 'timeout' } },
      }),
    );
    const faulty = await reader.next<LiveDevice>('device', (d) => d.id === 'loa-tb-02', 10_000, before);
    expect(faulty.faults).toEqual(
      expect.arrayContaining([
        { part: 'amplifier', problem: 'fault' },
        { part: 'door', problem: 'open' },
        { part: 'meter', problem: 'disconnected', detail: 'timeout' },
      ]),
    );

    // The last will: offline, nothing playing any more.
    const mark = reader.events.length;
    await publish('loa-tb-01', status('loa-tb-01', { state: 'offline', reason: 'last-will' }));
    const offline = await reader.next<LiveDevice>('device', (d) => d.id === 'loa-tb-01', 10_000, mark);
    expect(offline).toMatchObject({ state: 'offline', playing: null });

    const heartbeats = reader.comments;
    await new Promise((r) => setTimeout(r, 1000));
    expect(reader.comments).toBeGreaterThan(heartbeats);
  });

  it('marks a cluster playing from its playback events, sooner than its next status', async () => {
    const tech = await stack.login('technician');
    const { reader, abort } = await openLive(tech);
    aborts.push(abort);
    await reader.next<LiveSnapshot>('snapshot');
    await publish('loa-tb-02', status('loa-tb-02'));
    await reader.next<LiveDevice>('device', (d) => d.id === 'loa-tb-02' && d.state === 'online');
    const event = (seq: number, phase: 'start' | 'end') =>
      devices.get('loa-tb-02')?.publishAsync(
        topics.event('loa-tb-02'),
        JSON.stringify({
          v: 1,
          deviceId: 'loa-tb-02',
          seq,
          ts: Date.now(),
          event: { kind: 'playback', phase, broadcastId: 'bc-thu-nghiem', priority: 'priority' },
        }),
        { qos: 1 },
      );
    await event(1, 'start');
    const started = await reader.next<LiveDevice>(
      'device',
      (d) => d.id === 'loa-tb-02' && d.playing !== null,
    );
    expect(started.playing).toMatchObject({ title: null, priority: 'priority' });
    const mark = reader.events.length;
    await event(2, 'end');
    await reader.next<LiveDevice>('device', (d) => d.id === 'loa-tb-02' && d.playing === null, 10_000, mark);
  });

  it('follows registry changes: disabling, placing and deleting a device', async () => {
    const admin = await stack.login('admin');
    const { reader, abort } = await openLive(admin);
    aborts.push(abort);
    await reader.next<LiveSnapshot>('snapshot');
    expect((await admin.post('/api/devices/loa-tl-01/disable')).status).toBe(200);
    const disabled = await reader.next<LiveDevice>('device', (d) => d.id === 'loa-tl-01' && d.disabled);
    expect(disabled.state).toBe('offline');
    expect((await admin.post('/api/devices/loa-tl-01/enable')).status).toBe(200);
    await reader.next<LiveDevice>('device', (d) => d.id === 'loa-tl-01' && !d.disabled);
    // The broker dropped the disabled cluster's connection; it comes back like a real gateway would.
    const creds = credentials.get('loa-tl-01');
    if (creds) devices.set('loa-tl-01', await stack.connect(creds));

    await stack.createCluster('loa-tb-09', 'xa-tan-bien');
    const added = await reader.next<LiveDevice>('device', (d) => d.id === 'loa-tb-09');
    expect(added.position?.approximate).toBe(true);
    expect((await admin.delete('/api/devices/loa-tb-09')).status).toBe(200);
    expect(await reader.next<{ id: string }>('removed', (r) => r.id === 'loa-tb-09')).toEqual({
      id: 'loa-tb-09',
    });
  });

  it("shows an operator only their own areas' devices, before and after changes", async () => {
    const operator = await stack.login('operator', { areaIds: ['xa-tan-bien'] });
    const { reader, abort } = await openLive(operator);
    aborts.push(abort);
    const snapshot = await reader.next<LiveSnapshot>('snapshot');
    expect(snapshot.devices.map((d) => d.id).sort()).toEqual(['loa-tb-01', 'loa-tb-02']);

    await publish('loa-tl-01', status('loa-tl-01'));
    await publish('loa-tb-02', status('loa-tb-02'));
    await reader.next<LiveDevice>('device', (d) => d.id === 'loa-tb-02' && d.faults.length === 0);
    // Ordered delivery: had the other commune's status been sent, it would have come before this one.
    await new Promise((r) => setTimeout(r, 300));
    expect(reader.events.some((e) => e.data.includes('loa-tl-01'))).toBe(false);

    // Moving a cluster into the operator's commune shows it; moving it out again removes it.
    const admin = await stack.login('admin');
    expect((await admin.put('/api/devices/loa-tl-01/area', { areaId: 'ap-thanh-binh' })).status).toBe(200);
    await reader.next<LiveDevice>('device', (d) => d.id === 'loa-tl-01');
    expect((await admin.put('/api/devices/loa-tl-01/area', { areaId: 'xa-tan-lap' })).status).toBe(200);
    await reader.next<{ id: string }>('removed', (r) => r.id === 'loa-tl-01');
  });

  it('refuses a stream without a session and ends one whose session is signed out', async () => {
    const anonymous = await stack.client().fetch('/api/live');
    expect(anonymous.status).toBe(401);
    const tech = await stack.login('technician');
    const { reader } = await openLive(tech);
    await reader.next<LiveSnapshot>('snapshot');
    expect((await tech.post('/api/auth/logout')).status).toBe(200);
    expect(await reader.next<{ reason: string }>('end')).toEqual({ reason: 'session-expired' });
    await reader.closed();
  });

  it('serves the map settings and documents the stream in the OpenAPI document', async () => {
    const tech = await stack.login('technician');
    const settings = await tech.get('/api/map/settings');
    expect(settings.status).toBe(200);
    expect(settings.body).toEqual({
      tileUrl: '/api/map/tiles/{z}/{x}/{y}',
      attribution: '© OpenStreetMap contributors',
      tileTimeoutMs: 6000,
    });
    const doc = await stack.client().get<{ paths: Record<string, unknown> }>('/api/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/live', '/api/map/settings']));
  });
});

describe('GET /api/live with short sessions', () => {
  let stack: ConsoleStack;
  beforeAll(async () => {
    stack = await startConsoleStack({
      config: {
        sessionTtlMs: 1500,
        live: { heartbeatMs: 60_000, registryPollMs: 1000 },
        map: { tileUrl: '' },
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('ends the stream when the session expires, without waiting for a heartbeat', async () => {
    const tech = await stack.login('technician');
    const started = Date.now();
    const { reader } = await openLive(tech);
    await reader.next<LiveSnapshot>('snapshot');
    expect(await reader.next<{ reason: string }>('end', () => true, 5000)).toEqual({
      reason: 'session-expired',
    });
    expect(Date.now() - started).toBeLessThan(4000);
    await reader.closed();
    expect((await tech.get('/api/map/settings')).status).toBe(401);
  });

  it('passes an empty tile URL through: the map draws its schematic only', async () => {
    const tech = await stack.login('technician');
    expect((await tech.get('/api/map/settings')).body).toMatchObject({ tileUrl: '' });
  });
});
