import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InfluxStoreConfigSchema } from '../../../collector/src/config/schema.js';
import { InfluxStore } from '../../../collector/src/store/influx/auto-store.js';
import { detectInfluxApi } from '../../../collector/src/store/influx/detect-version.js';
import type { Point } from '../../../collector/src/store/types.js';
import {
  type VictoriaExportLine,
  startVictoriaMetrics,
  victoriaExport,
  victoriaFlush,
} from '../../harness/index.js';
import { until } from './wait.js';

type Victoria = Awaited<ReturnType<typeof startVictoriaMetrics>>;

const log = pino({ level: 'silent' });

describe('VictoriaMetrics receives our v2 writes', () => {
  let vm: Victoria;

  beforeAll(async () => {
    vm = await startVictoriaMetrics();
  });
  afterAll(async () => {
    await vm?.stop();
  });

  it('detects the v2 write API although /ping carries no version', async () => {
    expect(await detectInfluxApi(vm.url, 5000, log)).toBe('2');
  });

  it('writes through /api/v2/write and reads every point back through the export API', async () => {
    const store = new InfluxStore(
      InfluxStoreConfigSchema.parse({ kind: 'influxdb', url: vm.url, bucket: 'xaso' }),
      10_000,
      log,
    );
    const t0 = Date.now() - 60_000;
    const points: Point[] = Array.from({ length: 25 }, (_, i) => ({
      measurement: 'water',
      tags: { device: 'wq-1', source: 'probe', commune: 'xa-an-binh' },
      fields: { ph: 7 + i / 100, do: 5 + i / 10 },
      time: t0 + i * 1000,
    }));
    await store.write(points);
    await store.write(points);
    expect(store.kind).toBe('influxdb-v2');
    let ph: VictoriaExportLine[] = [];
    await until('points searchable', async () => {
      await victoriaFlush(vm.url);
      ph = await victoriaExport(vm.url, '{__name__="water_ph"}');
      return (ph[0]?.timestamps.length ?? 0) > 0 && new Set(ph[0]?.timestamps).size === 25;
    });
    expect(ph).toHaveLength(1);
    expect(ph[0]?.metric).toEqual({
      __name__: 'water_ph',
      device: 'wq-1',
      source: 'probe',
      commune: 'xa-an-binh',
    });
    expect([...new Set(ph[0]?.timestamps)].sort()).toEqual(points.map((p) => p.time));
    const doSeries = await victoriaExport(vm.url, '{__name__="water_do"}');
    expect(doSeries[0]?.values).toContain(5 + 24 / 10);
    await store.close();
  });
});
