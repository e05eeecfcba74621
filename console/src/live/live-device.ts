import type { DeviceRecord } from '@xaso/broker';
import type { Status } from '@xaso/device-profiles/contract';
import type { Area } from '../app/env.js';
import type { DeviceDetails } from '../devices/device-details.js';
import type { Presence } from '../devices/presence-board.js';
import type { LiveDevice, LiveFault } from './live-schemas.js';
import type { Playback } from './playback-board.js';

/**
 * About 2 km at Vietnam's latitudes: devices without a surveyed position ring their area's centre, far
 * enough apart that their markers do not cover each other when a whole province is in view.
 */
const RING_RADIUS_DEG = 0.018;
/** Devices per ring before it widens. */
const RING_CAPACITY = 8;

/** What is broken according to the latest status: sources, amplifier, ports and the cabinet door. */
export function faultsOf(status: Status | undefined): LiveFault[] {
  if (!status || status.state === 'offline') return [];
  const faults: LiveFault[] = [];
  for (const [part, health] of Object.entries(status.sources ?? {})) {
    if (health.state === 'ok') continue;
    faults.push({ part, problem: health.state, ...(health.lastError ? { detail: health.lastError } : {}) });
  }
  for (const [port, state] of Object.entries(status.ports ?? {}))
    if (state === 'error') faults.push({ part: `port:${port}`, problem: 'error' });
  if (status.speaker?.amplifier === 'fault') faults.push({ part: 'amplifier', problem: 'fault' });
  if (status.speaker?.doorOpen === true) faults.push({ part: 'door', problem: 'open' });
  return faults;
}

/** The nearest area (itself or above) with coordinates. */
export function areaCentre(ancestry: readonly Area[]): { lat: number; lon: number } | undefined {
  for (const area of ancestry)
    if (area.lat !== undefined && area.lon !== undefined) return { lat: area.lat, lon: area.lon };
  return undefined;
}

/** The index-th of count places on a ring around the centre; deterministic so markers do not jump. */
export function ringPosition(
  centre: { lat: number; lon: number },
  index: number,
  count: number,
): { lat: number; lon: number } {
  const angle = (2 * Math.PI * index) / Math.max(count, 1);
  const radius = RING_RADIUS_DEG * Math.max(1, Math.sqrt(count / RING_CAPACITY));
  const lonScale = Math.max(Math.cos((centre.lat * Math.PI) / 180), 0.2);
  return {
    lat: centre.lat + radius * Math.sin(angle),
    lon: centre.lon + (radius * Math.cos(angle)) / lonScale,
  };
}

export interface LiveDeviceInput {
  record: DeviceRecord;
  details: DeviceDetails;
  presence: Presence | undefined;
  /** Where to put it when it has no surveyed position (undefined: nowhere on the map). */
  fallback: { lat: number; lon: number } | undefined;
  /** The latest playback event, when one came after the status. */
  playback?: Playback | undefined;
}

type LivePlaying = LiveDevice['playing'];

/** The newer of what the status and the playback events say is playing. */
function currentPlaying(presence: Presence | undefined, playback: Playback | undefined): LivePlaying {
  if (presence?.state !== 'online') return null;
  const fromStatus = presence.status.speaker?.playing ?? null;
  if (playback && playback.ts >= presence.ts) {
    const p = playback.playing;
    if (!p) return null;
    const title = p.title ?? (fromStatus?.broadcastId === p.broadcastId ? (fromStatus.title ?? null) : null);
    return { title, priority: p.priority, startedAt: p.startedAt };
  }
  return fromStatus
    ? { title: fromStatus.title ?? null, priority: fromStatus.priority, startedAt: fromStatus.startedAt }
    : null;
}

/** What the overview counts and filters by; playing and fault are kinds of online. */
export interface DeviceCondition {
  online: boolean;
  playing: boolean;
  fault: boolean;
  disabled: boolean;
}

/** The same reading of presence and playback as a LiveDevice's state, playing and faults. */
export function conditionOf(
  record: Pick<DeviceRecord, 'disabled'>,
  presence: Presence | undefined,
  playback: Playback | undefined,
): DeviceCondition {
  const online = presence?.state === 'online' && !record.disabled;
  return {
    online,
    playing: online && currentPlaying(presence, playback) !== null,
    fault: online && faultsOf(presence?.status).length > 0,
    disabled: record.disabled,
  };
}

export function toLiveDevice({ record, details, presence, fallback, playback }: LiveDeviceInput): LiveDevice {
  const status = presence?.status;
  const online = presence?.state === 'online';
  const position = details.position
    ? { ...details.position, approximate: false }
    : fallback
      ? { ...fallback, approximate: true }
      : null;
  return {
    id: record.id,
    role: record.role,
    name: record.name,
    areaId: record.areaId,
    position,
    state: online && !record.disabled ? 'online' : 'offline',
    neverSeen: presence === undefined,
    disabled: record.disabled,
    enrolled: record.hasSecret,
    playing: record.disabled ? null : currentPlaying(presence, playback),
    faults: faultsOf(status),
    lastSeen: presence?.ts ?? null,
  };
}
