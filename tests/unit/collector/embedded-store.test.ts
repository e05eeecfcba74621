import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../../collector/src/store/embedded/embedded-store.js';
import type { Point } from '../../../collector/src/store/types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 20, 12);

function airPoint(device: string, time: number, pm25: number): Point {
  return { measurement: 'air', tags: { device, source: 'aqms' }, fields: { pm25, pm10: pm25 * 2 }, time };
}

describe('embedded SQLite store', () => {
  let dir: string;
  let store: EmbeddedStore;
  let now = NOW;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xs-embedded-'));
    store = new EmbeddedStore({
      path: join(dir, 'ts.db'),
      rawRetentionDays: 30,
      rollup5mRetentionDays: 400,
      now: () => now,
    });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes points and reads them back raw', async () => {
    const start = NOW - HOUR;
    await store.write([0, 1, 2, 3].map((i) => airPoint('st-1', start + i * 60_000, 10 + i)));
    const r = await store.query({
      measurement: 'air',
      fields: ['pm25'],
      from: start,
      to: start + 4 * 60_000,
      maxPoints: 4,
    });
    expect(r.resolution).toBe('raw');
    expect(r.series).toHaveLength(1);
    expect(r.series[0]?.points.map((p) => p[1])).toEqual([10, 11, 12, 13]);
    expect(r.series[0]?.tags).toEqual({ device: 'st-1', source: 'aqms' });
  });

  it('overwrites the same series and time instead of duplicating, and keeps rollups exact', async () => {
    const t = NOW - 2 * HOUR;
    await store.write([airPoint('st-2', t, 5), airPoint('st-2', t + 60_000, 7)]);
    await store.write([airPoint('st-2', t, 9), airPoint('st-2', t, 9)]);
    const count = await store.query({
      measurement: 'air',
      fields: ['pm25'],
      where: { device: 'st-2' },
      from: t - HOUR,
      to: t + HOUR,
      aggregate: 'count',
      maxPoints: 1,
    });
    expect(count.resolution).toBe('rollup_1h');
    expect(count.series[0]?.points.reduce((a, p) => a + p[1], 0)).toBe(2);
    const mean = await store.query({
      measurement: 'air',
      fields: ['pm25'],
      where: { device: 'st-2' },
      from: t,
      to: t + 5 * 60_000,
      maxPoints: 1,
    });
    expect(mean.resolution).toBe('rollup_5m');
    expect(mean.series[0]?.points[0]?.[1]).toBe(8);
  });

  it('downsamples a one-year range to at most N points from the hourly rollup', async () => {
    const yearStart = NOW - 365 * DAY;
    const points: Point[] = [];
    for (let d = 0; d < 365; d++) points.push(airPoint('st-year', yearStart + d * DAY, d % 50));
    await store.write(points);
    const r = await store.query({
      measurement: 'air',
      fields: ['pm25', 'pm10'],
      where: { device: 'st-year' },
      from: yearStart,
      to: NOW,
      aggregate: 'max',
      maxPoints: 52,
    });
    expect(r.resolution).toBe('rollup_1h');
    expect(r.series).toHaveLength(2);
    for (const s of r.series) expect(s.points.length).toBeLessThanOrEqual(53);
    const pm10 = r.series.find((s) => s.field === 'pm10');
    expect(Math.max(...(pm10?.points.map((p) => p[1]) ?? []))).toBe(98);
  });

  it('answers the latest value per series', async () => {
    const latest = await store.latest({ measurement: 'air', fields: ['pm25'], where: { device: 'st-1' } });
    expect(latest).toEqual([
      { tags: { device: 'st-1', source: 'aqms' }, field: 'pm25', time: NOW - HOUR + 3 * 60_000, value: 13 },
    ]);
  });

  it('drops raw points past retention but keeps the hourly rollup', async () => {
    now = NOW + 20 * DAY;
    const { rawDeleted } = store.applyRetention();
    expect(rawDeleted).toBeGreaterThan(300);
    const yearStart = NOW - 365 * DAY;
    const raw = await store.query({
      measurement: 'air',
      fields: ['pm25'],
      where: { device: 'st-year' },
      from: yearStart,
      to: yearStart + DAY,
      maxPoints: 100_000,
    });
    expect(raw.resolution).toBe('raw');
    expect(raw.series).toHaveLength(0);
    const hourly = await store.query({
      measurement: 'air',
      fields: ['pm25'],
      where: { device: 'st-year' },
      from: yearStart,
      to: NOW,
      aggregate: 'count',
      maxPoints: 10,
    });
    expect(hourly.series[0]?.points.reduce((a, p) => a + p[1], 0)).toBe(365);
    now = NOW;
  });
});
