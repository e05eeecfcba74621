import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { IndexScheduler } from '../../../collector/src/derive/index-scheduler.js';
import { airAverageObservations } from '../../../collector/src/derive/rolling-averages.js';
import { Outbox, batchPoints } from '../../../collector/src/outbox/outbox.js';
import { openStateDb } from '../../../collector/src/state/state-db.js';
import { EmbeddedStore } from '../../../collector/src/store/embedded/embedded-store.js';
import type { Point } from '../../../collector/src/store/types.js';

const HOUR = 3_600_000;
const H0 = Date.UTC(2026, 10, 20, 0);
const log = pino({ level: 'silent' });

/** 12 hours of one station: PM2.5 30 µg/m³ and NO2 150 µg/m³ every 10 minutes. */
async function station(store: EmbeddedStore): Promise<void> {
  const points: Point[] = [];
  for (let t = H0; t < H0 + 12 * HOUR; t += 600_000) {
    points.push({
      measurement: 'air',
      tags: { device: 'aq-1', source: 'aqms' },
      fields: { pm25: 30, no2: 150 },
      time: t,
    });
  }
  await store.write(points);
}

describe('hourly VN_AQI from stored averages', () => {
  it('computes the finished hour from the stored hourly means and queues it as an aqi point', async () => {
    const store = new EmbeddedStore({
      path: ':memory:',
      rawRetentionDays: 3650,
      rollup5mRetentionDays: 3650,
    });
    await station(store);
    const db = openStateDb(':memory:');
    const outbox = new Outbox(db);
    let notified = 0;
    const scheduler = new IndexScheduler(
      store,
      db,
      outbox,
      () => {
        notified++;
      },
      { tickMs: 60_000, now: () => H0 + 12 * HOUR + 5 * 60_000 },
      log,
    );
    expect(await scheduler.tick()).toBe(1);
    const peeked = outbox.peek(100);
    const [aqi] = peeked ? batchPoints(peeked) : [];
    // PM2.5 NowCast 30 → (100−50)/(50−25)·(30−25)+50 = 60; NO2 150 → (100−50)/(200−100)·(150−100)+50 = 75.
    expect(aqi).toEqual({
      measurement: 'aqi',
      tags: { device: 'aq-1', source: 'aqms' },
      fields: { aqi: 75, sub_pm25: 60, sub_no2: 75 },
      time: H0 + 11 * HOUR,
    });
    expect(notified).toBe(1);
    expect(await scheduler.tick()).toBe(0);
    await store.close();
  });

  it('gives the alarm rules 1-hour and 8-hour averages, and no 24-hour one from 12 hours of data', async () => {
    const store = new EmbeddedStore({
      path: ':memory:',
      rawRetentionDays: 3650,
      rollup5mRetentionDays: 3650,
    });
    await station(store);
    const obs = await airAverageObservations(store, H0 + 12 * HOUR);
    const no2 = obs.filter((o) => o.kind === 'reading' && o.channel === 'no2');
    expect(no2.map((o) => (o.kind === 'reading' ? [o.averaging, o.value] : null))).toEqual([
      ['1h', 150],
      ['8h', 150],
    ]);
    await store.close();
  });
});
