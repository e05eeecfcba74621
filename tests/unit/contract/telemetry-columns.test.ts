import {
  QUALITIES,
  type Reading,
  type TelemetryBatch,
  TelemetryBatchSchema,
  TelemetryColumnsSchema,
  TelemetryMessageSchema,
  decodeMessage,
  expandTelemetryColumns,
  toTelemetryColumns,
  topics,
} from '@xaso/device-profiles/contract';
import { describe, expect, it } from 'vitest';
import { rng } from '../../harness/random.js';

/** A table of readings (every channel at every instant), sometimes broken so it is no longer one. */
function randomBatch(r: () => number): TelemetryBatch {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const channels = [
    { source: 'aqms', channel: 'pm25', unit: 'µg/m³' },
    { source: 'aqms', channel: 'pm10', unit: 'µg/m³' },
    { source: 'met', channel: 'temp', unit: '°C' },
    { source: 'probe', channel: 'ph', unit: 'pH' },
  ] as const;
  const width = 1 + Math.floor(r() * channels.length);
  const instants = 1 + Math.floor(r() * 5);
  const readings: Reading[] = [];
  for (let i = 0; i < instants; i++) {
    const ts = 1_760_000_000_000 + i * 1000;
    for (const c of channels.slice(0, width))
      readings.push({ ...c, value: pick([null, 0, 12.5, -3]), ts, quality: pick(QUALITIES) });
  }
  const breaker = r();
  if (breaker < 0.1 && readings.length > 1) readings.pop();
  else if (breaker < 0.2 && readings.length > 1) readings.reverse();
  else if (breaker < 0.3 && readings[0]) readings[readings.length - 1] = { ...readings[0], unit: 'ppm' };
  else if (breaker < 0.35 && readings[0]) readings.push({ ...readings[0] });
  const batch: TelemetryBatch = { v: 1, deviceId: 'aq-1', seq: 7, ts: 1_760_000_000_000, readings };
  if (r() < 0.2) batch.thinned = { fromTs: 1, toTs: 2, keptEvery: 2 };
  return TelemetryBatchSchema.parse(batch);
}

describe('columnar telemetry (v 2)', () => {
  it('round-trips exactly: expand(toColumns(batch)) is the batch, for 1,000 random batches', () => {
    const r = rng(5);
    let columnar = 0;
    let kept = 0;
    for (let i = 0; i < 1000; i++) {
      const batch = randomBatch(r);
      const columns = toTelemetryColumns(batch);
      if (!columns) {
        kept++;
        continue;
      }
      columnar++;
      expect(TelemetryColumnsSchema.parse(columns)).toStrictEqual(columns);
      expect(expandTelemetryColumns(columns)).toStrictEqual(batch);
      // Whatever form travels, the topic's schema gives receivers the same reading list.
      expect(TelemetryMessageSchema.parse(JSON.parse(JSON.stringify(columns)))).toStrictEqual(batch);
    }
    expect(columnar).toBeGreaterThan(250);
    expect(kept).toBeGreaterThan(100);
  });

  it('is ~20× smaller than the reading list for a station table', () => {
    const readings: Reading[] = [];
    for (let i = 0; i < 200; i++)
      for (const channel of ['pm25', 'pm10', 'co', 'no2', 'so2', 'o3'])
        readings.push({
          source: 'aqms',
          channel,
          value: 10 + (i % 50),
          unit: 'µg/m³',
          ts: 1e12 + i,
          quality: 'good',
        });
    const batch: TelemetryBatch = { v: 1, deviceId: 'aq-1', seq: 1, ts: 1e12, readings };
    const ratio = JSON.stringify(batch).length / JSON.stringify(toTelemetryColumns(batch)).length;
    expect(ratio).toBeGreaterThan(15);
  });

  it('rejects tables whose columns do not match their times, naming the field', () => {
    const base = {
      v: 2,
      deviceId: 'aq-1',
      seq: 1,
      ts: 5,
      times: [5, 6],
      columns: [{ source: 's', channel: 'c', unit: 'ppm', values: [1, 2], quality: 'good' }],
    };
    const topic = topics.telemetry('aq-1');
    expect(decodeMessage(topic, JSON.stringify(base)).ok).toBe(true);
    const short = { ...base, columns: [{ ...base.columns[0], values: [1] }] };
    const shortDecoded = decodeMessage(topic, JSON.stringify(short));
    expect(shortDecoded.ok ? '' : shortDecoded.error).toContain('columns.0.values: 1 values for 2 times');
    const qualities = { ...base, columns: [{ ...base.columns[0], quality: ['good'] }] };
    const qDecoded = decodeMessage(topic, JSON.stringify(qualities));
    expect(qDecoded.ok ? '' : qDecoded.error).toContain('columns.0.quality: 1 qualities for 2 times');
    const tooMany = { ...base, times: Array.from({ length: 2501 }, (_, i) => i), columns: [] };
    tooMany.columns = [0, 1].map((k) => ({
      source: 's',
      channel: `c${k}`,
      unit: 'ppm',
      values: tooMany.times.map(() => 1),
      quality: 'good',
    })) as never;
    const tooManyDecoded = decodeMessage(topic, JSON.stringify(tooMany));
    expect(tooManyDecoded.ok ? '' : tooManyDecoded.error).toContain('at most 5000 readings');
    // The reading list keeps its own error text.
    const v1 = decodeMessage(topic, JSON.stringify({ v: 1, deviceId: 'aq-1', seq: 1, ts: 5, readings: [] }));
    expect(v1.ok ? '' : v1.error).toContain('readings');
  });
});
