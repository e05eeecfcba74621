import type { Registry } from '@xaso/broker';
import type { Status } from '@xaso/device-profiles/contract';
import { openStateDb } from '../../../collector/src/state/state-db.js';

/** How a seeded device last reported, as the collector stored it (undefined: never heard from). */
export type SeedPresence = 'online' | 'offline' | 'playing' | 'fault';

export interface SeedDevice {
  id: string;
  role: 'speaker-cluster' | 'sensor-gateway';
  name?: string;
  areaId: string | null;
  presence?: SeedPresence;
  disabled?: boolean;
}

function statusOf(d: SeedDevice, presence: SeedPresence, ts: number): Status {
  if (presence === 'offline') return { v: 1, deviceId: d.id, state: 'offline', ts, reason: 'last-will' };
  return {
    v: 1,
    deviceId: d.id,
    state: 'online',
    ts,
    reason: 'periodic',
    role: d.role,
    ...(d.role === 'speaker-cluster'
      ? {
          speaker: {
            playing:
              presence === 'playing'
                ? {
                    broadcastId: `bc-${d.id}`,
                    title: 'Bản tin sáng',
                    priority: 'normal',
                    startedAt: ts - 60_000,
                  }
                : null,
            volume: 70,
            amplifier: presence === 'fault' ? 'fault' : 'on',
          },
        }
      : { sources: presence === 'fault' ? { aqms: { state: 'fault', pollSuccessRate: 0 } } : {} }),
  };
}

/**
 * Registers devices straight into the registry (one transaction, with their area's fan-out groups) and
 * writes their presence into a collector state DB, as the collector would have stored it.
 */
export function seedFleet(
  target: { registry: Registry; groupsFor(areaId: string): string[] },
  collectorStateDb: string,
  devices: readonly SeedDevice[],
  now = Date.now(),
): void {
  const groups = new Map<string, string[]>();
  const groupsOf = (areaId: string) => {
    let list = groups.get(areaId);
    if (!list) {
      list = target.groupsFor(areaId);
      groups.set(areaId, list);
    }
    return list;
  };
  target.registry.db.transaction(() => {
    for (const d of devices) {
      target.registry.createDevice({
        id: d.id,
        role: d.role,
        ...(d.name ? { name: d.name } : {}),
        ...(d.areaId === null ? {} : { areaId: d.areaId, groups: groupsOf(d.areaId) }),
      });
      if (d.disabled) target.registry.setDisabled(d.id, true);
    }
  })();
  const state = openStateDb(collectorStateDb);
  try {
    const insert = state.prepare(
      `INSERT INTO device_presence (device_id, state, ts, received_at, role, firmware, status)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (device_id) DO UPDATE SET state = excluded.state, ts = excluded.ts, status = excluded.status`,
    );
    state.transaction(() => {
      for (const d of devices) {
        if (!d.presence) continue;
        const status = statusOf(d, d.presence, now);
        insert.run(d.id, status.state, now, now + 5, d.role, null, JSON.stringify(status));
      }
    })();
  } finally {
    state.close();
  }
}

/** What the overview should say about a seeded device (a station has nothing to play). */
export function expectedState(d: SeedDevice): { online: boolean; playing: boolean; fault: boolean } {
  const online = !d.disabled && d.presence !== undefined && d.presence !== 'offline';
  const playing = online && d.presence === 'playing' && d.role === 'speaker-cluster';
  return { online, playing, fault: online && d.presence === 'fault' };
}

const PRESENCES: readonly (SeedPresence | undefined)[] = [
  'online',
  'online',
  'playing',
  'online',
  'fault',
  'offline',
  'online',
  undefined,
];

/**
 * A region: `clustersPerCommune` clusters in each commune (every third in a village of it when it has
 * one) and `stations` sensor gateways spread over the communes; presence cycles through every state.
 */
export function regionFleet(
  communes: readonly { id: string; villages?: readonly string[] }[],
  clustersPerCommune: number,
  stations: number,
): SeedDevice[] {
  const out: SeedDevice[] = [];
  let n = 0;
  for (const [c, commune] of communes.entries())
    for (let i = 0; i < clustersPerCommune; i++) {
      const village = commune.villages?.[i % commune.villages.length];
      out.push({
        id: `loa-${String(c).padStart(3, '0')}-${String(i).padStart(5, '0')}`,
        role: 'speaker-cluster',
        name: `Cụm loa số ${i + 1} ${commune.id}`,
        areaId: i % 3 === 0 && village ? village : commune.id,
        presence: PRESENCES[n++ % PRESENCES.length],
        disabled: n % 97 === 0,
      });
    }
  for (let i = 0; i < stations; i++)
    out.push({
      id: `tram-${String(i).padStart(5, '0')}`,
      role: 'sensor-gateway',
      name: `Trạm quan trắc ${i + 1}`,
      areaId: communes[i % communes.length]?.id ?? null,
      presence: PRESENCES[n++ % PRESENCES.length],
    });
  return out;
}
