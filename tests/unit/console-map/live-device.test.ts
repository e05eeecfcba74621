import type { DeviceRecord } from '@xaso/broker';
import type { Status } from '@xaso/device-profiles/contract';
import { describe, expect, it } from 'vitest';
import type { Presence } from '../../../console/src/devices/presence-board.js';
import { areaCentre, faultsOf, ringPosition, toLiveDevice } from '../../../console/src/live/live-device.js';
import { upstreamUrl } from '../../../console/src/live/tile-proxy.js';

const record = (patch: Partial<DeviceRecord> = {}): DeviceRecord => ({
  id: 'loa-01',
  role: 'speaker-cluster',
  name: 'Cụm loa 1',
  areaId: 'xa-tan-bien',
  groups: ['tay-ninh', 'xa-tan-bien'],
  disabled: false,
  hasSecret: true,
  createdAt: 1,
  enrolledAt: 2,
  rotatedAt: null,
  ...patch,
});

const status = (patch: Partial<Status> = {}): Status => ({
  v: 1,
  deviceId: 'loa-01',
  state: 'online',
  ts: 1_000,
  speaker: { playing: null, volume: 70, amplifier: 'on' },
  ...patch,
});

const presence = (s: Status): Presence => ({
  state: s.state,
  ts: s.ts,
  receivedAt: s.ts + 5,
  status: s,
  source: 'uplink',
});

describe('faultsOf', () => {
  it('names every broken part of a status: sources, ports, amplifier, open door', () => {
    expect(
      faultsOf(
        status({
          sources: {
            aqms: { state: 'ok', pollSuccessRate: 1 },
            probe: { state: 'fault', pollSuccessRate: 0.2, lastError: 'crc' },
          },
          ports: { rs485: 'error', tcp: 'open' },
          speaker: { playing: null, volume: 50, amplifier: 'fault', doorOpen: true },
        }),
      ),
    ).toEqual([
      { part: 'probe', problem: 'fault', detail: 'crc' },
      { part: 'port:rs485', problem: 'error' },
      { part: 'amplifier', problem: 'fault' },
      { part: 'door', problem: 'open' },
    ]);
  });

  it('reports nothing for a healthy device, or one that is offline (its last will says nothing current)', () => {
    expect(faultsOf(status())).toEqual([]);
    expect(
      faultsOf(status({ state: 'offline', speaker: { playing: null, volume: 0, amplifier: 'fault' } })),
    ).toEqual([]);
    expect(faultsOf(undefined)).toEqual([]);
  });
});

describe('fallback positions', () => {
  it('takes the nearest area with coordinates, going up the tree', () => {
    const village = {
      id: 'ap',
      parentId: 'xa',
      name: 'Ấp',
      kind: 'village' as const,
      requiresApproval: false,
    };
    const commune = { ...village, id: 'xa', parentId: 'tinh', kind: 'commune' as const, lat: 11.5, lon: 106 };
    expect(areaCentre([village, commune])).toEqual({ lat: 11.5, lon: 106 });
    expect(areaCentre([village])).toBeUndefined();
  });

  it('rings devices around the centre, evenly and deterministically, never on top of each other', () => {
    const centre = { lat: 11.5, lon: 106 };
    const ring = [0, 1, 2, 3].map((i) => ringPosition(centre, i, 4));
    expect(ring).toEqual([0, 1, 2, 3].map((i) => ringPosition(centre, i, 4)));
    for (const p of ring) {
      const dLat = (p.lat - centre.lat) * 111_000;
      const dLon = (p.lon - centre.lon) * 111_000 * Math.cos((centre.lat * Math.PI) / 180);
      expect(Math.hypot(dLat, dLon)).toBeGreaterThan(1500);
      expect(Math.hypot(dLat, dLon)).toBeLessThan(2400);
    }
    const distinct = new Set(ring.map((p) => `${p.lat.toFixed(5)},${p.lon.toFixed(5)}`));
    expect(distinct.size).toBe(4);
  });
});

describe('toLiveDevice', () => {
  const details = { profile: null, position: null };

  it('prefers the surveyed position and flags the fallback as approximate', () => {
    const surveyed = toLiveDevice({
      record: record(),
      details: { profile: 'speaker-controller', position: { lat: 11.55, lon: 105.94 } },
      presence: undefined,
      fallback: { lat: 1, lon: 2 },
    });
    expect(surveyed.position).toEqual({ lat: 11.55, lon: 105.94, approximate: false });
    const ringed = toLiveDevice({
      record: record(),
      details,
      presence: undefined,
      fallback: { lat: 1, lon: 2 },
    });
    expect(ringed.position).toEqual({ lat: 1, lon: 2, approximate: true });
    expect(ringed).toMatchObject({ state: 'offline', neverSeen: true, lastSeen: null });
    expect(
      toLiveDevice({ record: record(), details, presence: undefined, fallback: undefined }).position,
    ).toBeNull();
  });

  it('shows what plays from the status, or from a newer playback event', () => {
    const playingStatus = status({
      ts: 1000,
      speaker: {
        playing: { broadcastId: 'bc-1', title: 'Bản tin', priority: 'normal', startedAt: 900 },
        volume: 70,
        amplifier: 'on',
      },
    });
    const p = presence(playingStatus);
    const fromStatus = toLiveDevice({ record: record(), details, presence: p, fallback: undefined });
    expect(fromStatus.playing).toEqual({ title: 'Bản tin', priority: 'normal', startedAt: 900 });
    // The end event came after the status: nothing plays any more.
    const ended = toLiveDevice({
      record: record(),
      details,
      presence: p,
      fallback: undefined,
      playback: { ts: 1500, playing: null },
    });
    expect(ended.playing).toBeNull();
    // An older event does not override the status; a newer start without a title borrows the status's.
    const stale = toLiveDevice({
      record: record(),
      details,
      presence: p,
      fallback: undefined,
      playback: { ts: 500, playing: null },
    });
    expect(stale.playing?.title).toBe('Bản tin');
    const newer = toLiveDevice({
      record: record(),
      details,
      presence: p,
      fallback: undefined,
      playback: {
        ts: 1200,
        playing: { broadcastId: 'bc-1', title: null, priority: 'emergency', startedAt: 1200 },
      },
    });
    expect(newer.playing).toEqual({ title: 'Bản tin', priority: 'emergency', startedAt: 1200 });
  });

  it('never shows a disabled or offline device as online or playing', () => {
    const p = presence(
      status({
        speaker: { playing: { priority: 'normal', startedAt: 1 }, volume: 70, amplifier: 'on' },
      }),
    );
    const disabled = toLiveDevice({
      record: record({ disabled: true }),
      details,
      presence: p,
      fallback: undefined,
    });
    expect(disabled).toMatchObject({ state: 'offline', playing: null, disabled: true });
    const offline = toLiveDevice({
      record: record(),
      details,
      presence: presence(status({ state: 'offline', ts: 2000 })),
      fallback: undefined,
      playback: { ts: 2500, playing: { broadcastId: 'b', title: 'x', priority: 'normal', startedAt: 2500 } },
    });
    expect(offline).toMatchObject({ state: 'offline', playing: null, lastSeen: 2000 });
  });
});

describe('upstreamUrl', () => {
  it('fills a Leaflet template the way tile servers expect', () => {
    expect(upstreamUrl('https://{s}.tile.example/{z}/{x}/{y}.png', 12, 3250, 1890)).toBe(
      'https://a.tile.example/12/3250/1890.png',
    );
  });
});
