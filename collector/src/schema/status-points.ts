import type { Status } from '@xaso/device-profiles/contract';
import type { Point } from '../store/types.js';
import { MEASUREMENTS } from './measurements.js';

const bit = (b: boolean): number => (b ? 1 : 0);

/** A status becomes `device_status` points (device and per-source health) and, for clusters, `speaker_health`. */
export function statusPoints(status: Status, commune: string | undefined): Point[] {
  const base: Record<string, string> = { device: status.deviceId };
  if (commune) base.commune = commune;
  const fields: Record<string, number> = { online: bit(status.state === 'online') };
  if (status.uptimeS !== undefined) fields.uptime_s = status.uptimeS;
  if (status.queueDepth !== undefined) fields.queue_depth = status.queueDepth;
  if (status.freeDiskBytes !== undefined) fields.free_disk_bytes = status.freeDiskBytes;
  const points: Point[] = [{ measurement: MEASUREMENTS.deviceStatus, tags: base, fields, time: status.ts }];
  for (const [source, health] of Object.entries(status.sources ?? {})) {
    points.push({
      measurement: MEASUREMENTS.deviceStatus,
      tags: { ...base, source },
      fields: { source_ok: bit(health.state === 'ok'), poll_success_rate: health.pollSuccessRate },
      time: status.ts,
    });
  }
  const s = status.speaker;
  if (s) {
    // Same field names as the speaker-controller profile's channels, so both sources chart together.
    const f: Record<string, number> = {
      volume: s.volume,
      playing: bit(s.playing !== null),
      amplifier_relay: bit(s.amplifier === 'on'),
      amplifier_fault: bit(s.amplifier === 'fault'),
    };
    if (s.mainsV !== undefined) f.mains_voltage = s.mainsV;
    if (s.batteryV !== undefined) f.battery_voltage = s.batteryV;
    if (s.amplifierA !== undefined) f.amplifier_current = s.amplifierA;
    if (s.temperatureC !== undefined) f.cabinet_temperature = s.temperatureC;
    if (s.doorOpen !== undefined) f.door_open = bit(s.doorOpen);
    if (s.signalDbm !== undefined) f.signal_dbm = s.signalDbm;
    points.push({
      measurement: MEASUREMENTS.speakerHealth,
      tags: { ...base, source: 'status' },
      fields: f,
      time: status.ts,
    });
  }
  return points;
}
