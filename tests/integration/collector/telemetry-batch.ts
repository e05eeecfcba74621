import { topics } from '@xaso/device-profiles/contract';

/**
 * A v 1 telemetry batch of `readings` readings, each with its own timestamp (one stored line each), at
 * `t0 + seq` seconds: what the collector tests publish to count lines exactly.
 */
export function telemetryBatch(
  deviceId: string,
  seq: number,
  t0: number,
  readings: number,
): { topic: string; payload: string } {
  const ts = t0 + seq * 1000;
  const list = Array.from({ length: readings }, (_, i) => ({
    source: 'pm',
    channel: `ch${i}`,
    value: seq + i / 10,
    unit: 'µg/m³',
    ts: ts + i,
    quality: 'good',
  }));
  return {
    topic: topics.telemetry(deviceId),
    payload: JSON.stringify({ v: 1, deviceId, seq, ts, readings: list }),
  };
}
