import { QUALITIES, type TelemetryColumns, TelemetryColumnsSchema } from '@xaso/device-profiles/contract';
import { describe, expect, it } from 'vitest';
import {
  columnLineBytes,
  columnLineCounts,
  columnLines,
} from '../../../collector/src/schema/column-lines.js';
import { SourceClassifier } from '../../../collector/src/schema/measurements.js';
import { columnPoints } from '../../../collector/src/schema/telemetry-points.js';
import { toLines } from '../../../collector/src/store/influx/line-protocol.js';
import { rng } from '../../harness/random.js';

function randomTable(r: () => number): TelemetryColumns {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const n = 1 + Math.floor(r() * 5);
  let t = 1_760_000_000_000;
  // Mostly increasing instants; sometimes a repeated one (the point path merges those).
  const times = Array.from({ length: n }, () => {
    if (r() > 0.1) t += 1 + Math.floor(r() * 1000);
    return t;
  });
  const columns = Array.from({ length: 1 + Math.floor(r() * 4) }, () => ({
    source: pick(['aqms', 'probe 1', 'met,x', 'trạm']),
    channel: pick(['pm25', 'pm10', 'ph', 'do=x', 'temp', '7']),
    unit: pick(['µg/m³', 'pH', '°C'] as const),
    values: times.map(() =>
      pick([null, 0, -0, 12.5, -3, 1e21, 1e-7, 9_007_199_254_740_992, -123_456_789, 42]),
    ),
    quality: r() < 0.6 ? ('good' as const) : times.map(() => (r() < 0.7 ? 'good' : pick(QUALITIES))),
  }));
  return stationTable(times, columns);
}

/** A v 2 table of station `aq-1`, checked by the contract. */
function stationTable(times: number[], columns: unknown[]): TelemetryColumns {
  return TelemetryColumnsSchema.parse({ v: 2, deviceId: 'aq-1', seq: 1, ts: times[0], times, columns });
}

describe('line protocol straight from a columnar batch', () => {
  it('is exactly toLines(columnPoints(batch)) where it applies, and declines the rest (1,000 tables)', () => {
    const r = rng(11);
    const classifier = new SourceClassifier({ 'aq-1': { 'met,x': 'weather-station' } });
    let direct = 0;
    let declined = 0;
    for (let i = 0; i < 1_000; i++) {
      const table = randomTable(r);
      const ctx = { classifier, commune: r() < 0.5 ? 'xa an binh' : undefined };
      const fromPoints = columnPoints(table, ctx);
      const lines = columnLines(table, ctx);
      if (!lines) {
        declined++;
        continue;
      }
      direct++;
      expect(lines.lines).toBe(toLines(fromPoints.points).join('\n'));
      expect(lines.points).toBe(fromPoints.points.length);
      expect(lines.flagged).toBe(fromPoints.flagged);
      const bytes = columnLineBytes(table, ctx);
      expect(bytes?.bytes.toString('utf8')).toBe(lines.lines);
      expect(bytes?.points).toBe(lines.points);
      expect(bytes?.flagged).toBe(lines.flagged);
    }
    expect(direct).toBeGreaterThan(150);
    expect(declined).toBeGreaterThan(150);
  });

  it('writes bytes equal to the string lines for a long station table, whatever the buffer estimate', () => {
    const times = Array.from({ length: 500 }, (_, i) => 1_760_000_000_000 + i * 1000);
    const columns = ['pm25', 'pm10', 'co', 'no2', 'so2', 'o3'].map((channel, c) => ({
      source: 'aqms',
      channel,
      unit: 'µg/m³' as const,
      values: times.map((_, i) => (i % 7 === c ? i / 3 : 10 + ((i + c) % 50))),
      quality: 'good' as const,
    }));
    const table = stationTable(times, columns);
    const ctx = { classifier: new SourceClassifier({}), commune: 'xã Tân Biên' };
    expect(columnLineBytes(table, ctx)?.bytes.toString('utf8')).toBe(columnLines(table, ctx)?.lines);
    // A table whose numbers print longer than the estimate allows makes the buffer grow.
    const long = {
      ...table,
      columns: columns.map((c) => ({ ...c, values: c.values.map((v) => v + 1 / 7) })),
    };
    expect(columnLineBytes(long, ctx)?.bytes.toString('utf8')).toBe(columnLines(long, ctx)?.lines);
  });

  it('writes all-good tables (the fast path) exactly as the string lines, sources interleaved (300 tables)', () => {
    const r = rng(31);
    const classifier = new SourceClassifier({ 'aq-1': { met: 'weather-station' } });
    for (let i = 0; i < 300; i++) {
      const times = Array.from({ length: 1 + Math.floor(r() * 40) }, (_, k) => 1_760_000_000_000 + k * 997);
      const columns = Array.from({ length: 1 + Math.floor(r() * 6) }, (_, k) => ({
        source: ['aqms', 'met', 'probe 1'][Math.floor(r() * 3)] as string,
        channel: `c${k}`,
        unit: 'µg/m³' as const,
        values: times.map(() => {
          const places = Math.floor(r() * 8);
          const v = (r() - 0.3) * 10 ** Math.floor(r() * 8);
          return places === 7 ? v : Number(v.toFixed(places));
        }),
        quality: 'good' as const,
      }));
      const table = stationTable(times, columns);
      const ctx = { classifier, commune: i % 2 === 0 ? 'xã Tân Biên' : undefined };
      const lines = columnLines(table, ctx);
      const sources = new Set(columns.map((c) => c.source)).size;
      expect(lines?.points).toBe(times.length * sources);
      expect(columnLineBytes(table, ctx)?.bytes.toString('utf8')).toBe(lines?.lines);
      expect(columnLineCounts(table)).toEqual({ points: times.length * sources, flagged: 0 });
    }
  });
});
