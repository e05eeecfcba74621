import { QUALITIES, type TelemetryColumns, TelemetryColumnsSchema } from '@xaso/device-profiles/contract';
import { describe, expect, it } from 'vitest';
import { Outbox, batchLines } from '../../../collector/src/outbox/outbox.js';
import { columnLineCounts, columnLines } from '../../../collector/src/schema/column-lines.js';
import { SourceClassifier } from '../../../collector/src/schema/measurements.js';
import { columnPoints } from '../../../collector/src/schema/telemetry-points.js';
import { openStateDb } from '../../../collector/src/state/state-db.js';
import { toLines } from '../../../collector/src/store/influx/line-protocol.js';
import { rng } from '../../harness/random.js';

function randomTable(r: () => number, deviceId: string): TelemetryColumns {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  let t = 1_760_000_000_000;
  // Mostly increasing instants; sometimes a repeated one (which the line builder declines).
  const times = Array.from({ length: 1 + Math.floor(r() * 5) }, () => {
    if (r() > 0.1) t += 1 + Math.floor(r() * 1000);
    return t;
  });
  const columns = Array.from({ length: 1 + Math.floor(r() * 4) }, () => ({
    source: pick(['aqms', 'probe 1', 'met,x']),
    channel: pick(['pm25', 'pm10', 'ph', 'do=x', 'temp', '7']),
    unit: pick(['µg/m³', 'pH', '°C'] as const),
    values: times.map(() => pick([null, 0, 12.5, -3, 1e21, 1e-7])),
    quality: r() < 0.6 ? ('good' as const) : times.map(() => (r() < 0.7 ? 'good' : pick(QUALITIES))),
  }));
  return TelemetryColumnsSchema.parse({ v: 2, deviceId, seq: 1, ts: times[0], times, columns });
}

describe('v 2 telemetry kept as received in the outbox', () => {
  const classifier = new SourceClassifier({ 'aq-1': { 'met,x': 'weather-station' } });
  const areas = { 'aq-1': 'xa an binh' };

  it('counts exactly the lines and flags the line builder makes, and declines the same tables (1,000)', () => {
    const r = rng(5);
    let declined = 0;
    for (let i = 0; i < 1_000; i++) {
      const table = randomTable(r, r() < 0.5 ? 'aq-1' : 'aq-2');
      const lines = columnLines(table, { classifier, commune: areas[table.deviceId as 'aq-1'] });
      const counts = columnLineCounts(table);
      if (!lines) declined++;
      expect(counts).toEqual(lines ? { points: lines.points, flagged: lines.flagged } : null);
    }
    expect(declined).toBeGreaterThan(100);
  });

  it('drains a columns row as the same lines ingest would have built, commune and classifier included', () => {
    const db = openStateDb(':memory:');
    const outbox = new Outbox(db, 'lp', { classifier, areas }, true);
    expect(outbox.keepsColumns).toBe(true);
    const r = rng(9);
    const expected: string[] = [];
    db.transaction(() => {
      for (let i = 0; i < 200; i++) {
        const table = randomTable(r, i % 2 === 0 ? 'aq-1' : 'aq-2');
        const ctx = { classifier, commune: areas[table.deviceId as 'aq-1'] };
        const counts = columnLineCounts(table);
        if (!counts || counts.points === 0) continue;
        outbox.enqueueColumns(JSON.stringify(table), counts.points);
        expected.push(toLines(columnPoints(table, ctx).points).join('\n'));
      }
    })();
    const batch = outbox.peek(1_000_000);
    expect(batch?.pointCount).toBe(expected.join('\n').split('\n').length);
    expect(batch && batchLines(batch).toString()).toBe(expected.join('\n'));
    expect(new Outbox(db, 'lp', { classifier, areas }).keepsColumns).toBe(false);
    expect(() => new Outbox(db, 'lp').peek(10)).toThrow(/column context/);
    db.close();
  });
});
