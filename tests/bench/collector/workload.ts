import { type TelemetryBatch, toTelemetryColumns, topics } from '@xaso/device-profiles/contract';
import { z } from 'zod';

export const CHANNELS = ['pm25', 'pm10', 'co', 'no2', 'so2', 'o3'] as const;

/** Telemetry as v 1 (a reading list) or v 2 (columns, what a gateway's MessageSink sends for a table). */
export const WireFormSchema = z.enum(['readings', 'columns']);
export type WireForm = z.infer<typeof WireFormSchema>;

/** One telemetry batch: `instants` readings of every channel of an air station, 1 s apart. */
export function stationBatch(
  device: string,
  seq: number,
  instants: number,
  t0: number,
  wire: WireForm = 'readings',
): { topic: string; payload: string } {
  const readings: TelemetryBatch['readings'] = [];
  for (let i = 0; i < instants; i++) {
    const ts = t0 + (seq * instants + i) * 1000;
    for (const [c, channel] of CHANNELS.entries()) {
      readings.push({
        source: 'aqms',
        channel,
        value: 10 + ((seq + i + c) % 50),
        unit: 'µg/m³',
        ts,
        quality: 'good',
      });
    }
  }
  const batch: TelemetryBatch = { v: 1, deviceId: device, seq, ts: t0 + seq * instants * 1000, readings };
  const columns = wire === 'columns' ? toTelemetryColumns(batch) : null;
  if (wire === 'columns' && !columns)
    throw new Error('a station batch is a table; it must have a columnar form');
  return { topic: topics.telemetry(device), payload: JSON.stringify(columns ?? batch) };
}
/** The same data as line protocol, exactly as the collector writes it (tags sorted, ms precision). */
export function stationLines(device: string, seq: number, instants: number, t0: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < instants; i++) {
    const ts = t0 + (seq * instants + i) * 1000;
    const fields = CHANNELS.map((channel, c) => `${channel}=${10 + ((seq + i + c) % 50)}`).join(',');
    lines.push(`air,device=${device},profile=air-station-aqms,source=aqms ${fields} ${ts}`);
  }
  return lines;
}
