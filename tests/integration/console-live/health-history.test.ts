import { join } from 'node:path';
import { EmbeddedStore } from '@xaso/collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusPoints } from '../../../collector/src/schema/status-points.js';
import type { HealthHistory } from '../../../console/web/pages/device/device-api.js';
import { tempDir } from '../../harness/index.js';
import { type ConsoleStack, startConsoleStack } from '../console/fixture.js';

const HOUR = 3_600_000;

describe('GET /api/devices/{id}/health', () => {
  let stack: ConsoleStack;
  let bare: ConsoleStack;
  const now = Date.now();

  beforeAll(async () => {
    // What the collector writes from two hours of a cluster's statuses, in its embedded store.
    const path = join(await tempDir('xs-health-'), 'timeseries.db');
    const store = new EmbeddedStore({ path, rawRetentionDays: 30, rollup5mRetentionDays: 400 });
    for (const [ago, queue, mains] of [
      [2 * HOUR, 0, 228],
      [HOUR, 12, 231],
      [10 * 60_000, 3, 0],
    ] as const)
      await store.write(
        statusPoints(
          {
            v: 1,
            deviceId: 'loa-tb-01',
            state: 'online',
            ts: now - ago,
            queueDepth: queue,
            speaker: { playing: null, volume: 70, amplifier: 'on', mainsV: mains },
          },
          'xa-tan-bien',
        ),
      );
    await store.close();
    stack = await startConsoleStack({ config: { timeSeries: { kind: 'embedded', path } } });
    bare = await startConsoleStack();
    for (const s of [stack, bare]) await s.createCluster('loa-tb-01', 'xa-tan-bien');
    await stack.createCluster('loa-tl-01', 'xa-tan-lap');
  });
  afterAll(async () => {
    await stack?.close();
    await bare?.close();
  });

  it('charts the status series the collector stored, downsampled', async () => {
    const tech = await stack.login('technician');
    const res = await tech.get<HealthHistory>('/api/devices/loa-tb-01/health?hours=6');
    expect(res.status).toBe(200);
    expect(res.body.source).toBe('time-series');
    expect(res.body.to - res.body.from).toBe(6 * HOUR);
    const series = (field: string) => res.body.series.find((s) => s.field === field);
    expect(series('queue_depth')?.points.map((p) => p[1])).toEqual([0, 12, 3]);
    // A mains cut shows as the drop to 0 V it was.
    expect(series('mains_voltage')?.points.map((p) => p[1])).toEqual([228, 231, 0]);
    expect(series('online')?.measurement).toBe('device_status');
  });

  it("names the field at fault, hides other communes' devices from operators, says 503 without a store", async () => {
    const tech = await stack.login('technician');
    const bad = await tech.get('/api/devices/loa-tb-01/health?hours=0');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ field: 'hours' });
    const operator = await stack.login('operator', { areaIds: ['xa-tan-bien'] });
    expect((await operator.get('/api/devices/loa-tb-01/health')).status).toBe(200);
    expect((await operator.get('/api/devices/loa-tl-01/health')).status).toBe(404);
    const none = await (await bare.login('technician')).get('/api/devices/loa-tb-01/health');
    expect(none.status).toBe(503);
    expect(none.body).toMatchObject({ error: 'no-time-series', field: 'timeSeries' });
  });
});
