import { statfsSync } from 'node:fs';
import { type Status, StatusSchema } from '@xaso/device-profiles/contract';
import { FIRMWARE_VERSION } from './firmware.js';
import type { Role } from './role.js';

export interface StatusInputs {
  deviceId: string;
  startedAt: number;
  dataDir: string;
  queueDepth: () => number;
  roles: readonly Role[];
}

function freeDisk(dir: string): number | undefined {
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

/** The retained status: presence plus the health a technician needs to see from afar. */
export function buildStatus(
  inputs: StatusInputs,
  reason: NonNullable<Status['reason']>,
  now = Date.now(),
): Status {
  const sources: NonNullable<Status['sources']> = {};
  const ports: NonNullable<Status['ports']> = {};
  let speaker: Status['speaker'];
  for (const role of inputs.roles) {
    const health = role.health();
    Object.assign(sources, health.sources ?? {});
    Object.assign(ports, health.ports ?? {});
    speaker = health.speaker ?? speaker;
  }
  return StatusSchema.parse({
    v: 1,
    deviceId: inputs.deviceId,
    state: reason === 'shutdown' ? 'offline' : 'online',
    ts: now,
    reason,
    role: speaker ? 'speaker-cluster' : 'sensor-gateway',
    firmware: FIRMWARE_VERSION,
    uptimeS: Math.round((now - inputs.startedAt) / 1000),
    queueDepth: inputs.queueDepth(),
    freeDiskBytes: freeDisk(inputs.dataDir),
    sources,
    ports,
    speaker,
  });
}

/** The last will: what the broker publishes for us when the link dies without a goodbye. */
export function lastWill(deviceId: string, connectedAt: number): Status {
  return StatusSchema.parse({ v: 1, deviceId, state: 'offline', ts: connectedAt, reason: 'last-will' });
}
