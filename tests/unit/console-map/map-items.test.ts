import { describe, expect, it } from 'vitest';
import { eventKindLabel, eventText, isProblem } from '../../../console/web/pages/device/event-text.js';
import { parsePosition } from '../../../console/web/pages/device/position.js';
import type { LiveDevice, Station } from '../../../console/web/pages/map/map-types.js';
import {
  countByState,
  inkOn,
  mapItems,
  markerState,
  placed,
} from '../../../console/web/pages/map/marker-state.js';

const device = (patch: Partial<LiveDevice> = {}): LiveDevice => ({
  id: 'loa-01',
  role: 'speaker-cluster',
  name: 'Cụm loa 1',
  areaId: 'xa-a',
  position: { lat: 11.5, lon: 106, approximate: true },
  state: 'online',
  neverSeen: false,
  disabled: false,
  enrolled: true,
  playing: null,
  faults: [],
  lastSeen: 1,
  ...patch,
});

const station = (patch: Partial<Station> = {}): Station => ({
  id: 'tn-air-01',
  kind: 'air',
  name: 'Trung tâm xã',
  areaId: 'xa-a',
  lat: 11.55,
  lon: 105.95,
  online: true,
  lastReadingAt: 1,
  index: { kind: 'aqi', value: 42, category: 'Tốt', colour: '#00e400' },
  ...patch,
});

describe('markerState', () => {
  it('puts disabled, then offline, then fault, then playing before plain online', () => {
    const playing = { title: 'x', priority: 'normal' as const, startedAt: 1 };
    const fault = [{ part: 'amplifier', problem: 'fault' as const }];
    expect(markerState(device({ disabled: true, state: 'offline' }))).toBe('disabled');
    expect(markerState(device({ state: 'offline', playing }))).toBe('offline');
    expect(markerState(device({ faults: fault, playing }))).toBe('fault');
    expect(markerState(device({ playing }))).toBe('playing');
    expect(markerState(device())).toBe('online');
    expect(markerState(undefined, station({ online: false }))).toBe('offline');
    expect(markerState(undefined, station())).toBe('online');
  });
});

describe('mapItems', () => {
  it('joins stations to their gateway, keeps clusters, and leaves unplaced ones off the map', () => {
    const items = mapItems(
      [
        device(),
        device({ id: 'tn-air-01', role: 'sensor-gateway', name: 'gateway', state: 'offline' }),
        device({ id: 'loa-02', name: 'Cụm loa 2', position: null }),
      ],
      [station()],
    );
    expect(items.map((i) => [i.id, i.kind, i.state])).toEqual([
      ['loa-01', 'cluster', 'online'],
      ['loa-02', 'cluster', 'online'],
      ['tn-air-01', 'station', 'offline'],
    ]);
    const air = items.find((i) => i.id === 'tn-air-01');
    // The station's own surveyed coordinates win over the gateway's approximate place.
    expect(air).toMatchObject({ lat: 11.55, lon: 105.95, approximate: false, name: 'Trung tâm xã' });
    expect(items.filter(placed).map((i) => i.id)).toEqual(['loa-01', 'tn-air-01']);
    expect(countByState(items)).toEqual({ online: 2, playing: 0, fault: 0, offline: 1, disabled: 0 });
  });
});

describe('inkOn', () => {
  it('reads black on the AQI yellow and green, white on the dark purple and maroon', () => {
    expect(inkOn('#ffff00')).toBe('#000');
    expect(inkOn('#00e400')).toBe('#000');
    expect(inkOn('#8f3f97')).toBe('#fff');
    expect(inkOn('#7e0023')).toBe('#fff');
  });
});

describe('device page helpers', () => {
  it('reads coordinates with a dot or a comma and names the field at fault', () => {
    expect(parsePosition('11,5520', '105.944')).toEqual({ lat: 11.552, lon: 105.944 });
    expect(parsePosition('95', '105')).toEqual({ error: expect.stringContaining('Vĩ độ') });
    expect(parsePosition('11.5', '')).toEqual({ error: expect.stringContaining('Kinh độ') });
    expect(parsePosition('abc', '105')).toEqual({ error: expect.stringContaining('Vĩ độ') });
  });

  it('turns stored events into lines a technician reads and flags the problems', () => {
    const fault = { kind: 'fault', source: 'probe', code: 'timeout', message: 'no answer', cleared: false };
    expect(eventText('fault', fault)).toBe('probe: timeout – no answer');
    expect(isProblem('fault', fault)).toBe(true);
    expect(isProblem('fault', { ...fault, cleared: true })).toBe(false);
    expect(eventText('lifecycle', { kind: 'lifecycle', what: 'boot' })).toBe('Khởi động');
    expect(eventText('lifecycle', { kind: 'lifecycle', what: 'reborn' })).toBe('reborn');
    expect(isProblem('lifecycle', { what: 'uplink-lost' })).toBe(true);
    expect(isProblem('playback', { phase: 'missed' })).toBe(true);
    expect(eventKindLabel('fault')).toBe('Lỗi');
    expect(eventKindLabel('something-new')).toBe('something-new');
  });
});
