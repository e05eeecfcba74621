import { join } from 'node:path';
import { Registry } from '@xaso/broker';
import { EmbeddedStore, type LatestValue } from '@xaso/collector';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProvince } from '../../../scripts/province/province.js';
import { tempDir } from '../../harness/index.js';
import { StartProcess, descendants, stackPorts, survivors } from './start-process.js';

const province = loadProvince();
const stationIds = province.stations.map((s) => s.id).sort();
const FIELD = { air: 'pm25', water: 'ph' } as const;

/** Newest reading per station from the store the collector writes (the file it uses, read beside it). */
async function latestByStation(storePath: string): Promise<Map<string, LatestValue>> {
  const store = new EmbeddedStore({ path: storePath, rawRetentionDays: 30, rollup5mRetentionDays: 400 });
  try {
    const rows = [
      ...(await store.latest({ measurement: 'air', fields: [FIELD.air] })),
      ...(await store.latest({ measurement: 'water', fields: [FIELD.water] })),
    ];
    const byStation = new Map<string, LatestValue>();
    for (const row of rows) {
      const device = row.tags.device;
      if (device !== undefined) byStation.set(device, row);
    }
    return byStation;
  } finally {
    await store.close();
  }
}

/** Polls until every station has a reading stamped after `since`, i.e. one that came through its gateway. */
async function waitForLiveReadings(storePath: string, since: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let missing: string[] = stationIds;
  while (Date.now() < deadline) {
    const latest = await latestByStation(storePath);
    missing = stationIds.filter((id) => (latest.get(id)?.time ?? 0) < since);
    if (missing.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no live reading after ${timeoutMs} ms from ${missing.join(', ')}`);
}

describe('npm start: the real system with the simulated Tây Ninh fleet', () => {
  let dataDir: string;
  let env: Record<string, string>;
  const started: StartProcess[] = [];

  beforeAll(async () => {
    dataDir = await tempDir('xs-start-');
    env = {
      ...(await stackPorts()),
      XS_DATA_DIR: dataDir,
      XS_BACKFILL_DAYS: '0.25',
      XS_CONFIG: join(dataDir, 'xaso.json'),
    };
    // RS485 water probes: real socat children, so the Ctrl-C check has processes to find.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(env.XS_CONFIG as string, JSON.stringify({ simulation: { waterLink: 'rtu' } }));
  });

  afterAll(async () => {
    for (const p of started) await p.kill();
  });

  it('enrolls every station gateway, stores their readings and history, and stops cleanly on Ctrl-C', async () => {
    const since = Date.now();
    const stack = new StartProcess([], env);
    started.push(stack);
    await stack.waitFor(/Ready \(30 simulated stations of Tây Ninh\)/, 180_000);
    console.log(`first start ready after ${Date.now() - since} ms`);
    expect(stack.stdout).toMatch(/broker\s+MQTT\s+mqtt:\/\/127\.0\.0\.1:/);
    expect(stack.stdout).toMatch(/collector\s+store \(embedded\)/);
    expect(stack.stdout.match(/gateway enrolled now/g)).toHaveLength(30);
    expect(stack.stdout).toMatch(/console\s+web console \+ API\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(stack.stdout).toMatch(/sign in to the console as "admin" with the one-time password\s+\S{12,}/);

    const storePath = join(dataDir, 'timeseries.db');
    await waitForLiveReadings(storePath, since, 90_000);
    console.log(`readings from every station after ${Date.now() - since} ms`);

    // Back-filled history: same series as the live data, marked simulated, before the start.
    const store = new EmbeddedStore({ path: storePath, rawRetentionDays: 30, rollup5mRetentionDays: 400 });
    try {
      const past = await store.query({
        measurement: 'air',
        fields: ['pm25', 'simulated'],
        where: { device: 'tn-air-10' },
        from: since - 6 * 3_600_000,
        to: since - 60_000,
        resolution: 'raw',
      });
      expect(past.series.map((s) => s.field).sort()).toEqual(['pm25', 'simulated']);
      for (const s of past.series)
        expect(s.tags).toEqual({
          device: 'tn-air-10',
          source: 'aqms',
          profile: 'air-station-aqms',
          commune: 'tn-ben-cau',
        });
      expect(past.series.find((s) => s.field === 'simulated')?.points.every(([, v]) => v === 1)).toBe(true);
      expect(past.series.find((s) => s.field === 'pm25')?.points.length).toBeGreaterThanOrEqual(20);
    } finally {
      await store.close();
    }

    const children = descendants(stack.pid);
    expect(children.length, 'one socat per RS485 water probe').toBeGreaterThanOrEqual(10);
    expect(await stack.interrupt()).toBe('code 0');
    expect(stack.stdout).toMatch(/stopped\./);
    expect(await survivors(children)).toEqual([]);

    const registry = Registry.open(join(dataDir, 'registry.sqlite'), { logger: pino({ level: 'silent' }) });
    try {
      const devices = registry.listDevices();
      const stations = devices.filter((d) => d.role === 'sensor-gateway');
      expect(stations.map((d) => d.id).sort()).toEqual(stationIds);
      expect(stations.every((d) => d.enrolledAt !== null)).toBe(true);
      // Loudspeaker clusters enroll in the background after Ready; whatever exists by now is one.
      expect(
        devices.filter((d) => d.role !== 'sensor-gateway').every((d) => d.role === 'speaker-cluster'),
      ).toBe(true);
    } finally {
      registry.close();
    }
  }, 300_000);

  it('on a second start reuses every stored enrollment and the data keeps flowing', async () => {
    const registry = Registry.open(join(dataDir, 'registry.sqlite'), { logger: pino({ level: 'silent' }) });
    const enrolledAt = new Map(registry.listDevices().map((d) => [d.id, d.enrolledAt]));
    registry.close();

    const since = Date.now();
    const stack = new StartProcess([], env);
    started.push(stack);
    await stack.waitFor(/Ready \(/, 180_000);
    console.log(`second start ready after ${Date.now() - since} ms`);
    expect(stack.stdout.match(/gateway reused its enrollment/g)).toHaveLength(30);
    expect(stack.stdout).not.toMatch(/enrolled now/);
    expect(stack.stdout).toMatch(/back-filled on an earlier start/);
    expect(stack.stdout).not.toMatch(/one-time password/);
    await waitForLiveReadings(join(dataDir, 'timeseries.db'), since, 90_000);
    expect(await stack.interrupt()).toBe('code 0');

    const again = Registry.open(join(dataDir, 'registry.sqlite'), { logger: pino({ level: 'silent' }) });
    try {
      // Every device enrolled by the first start keeps that enrollment (clusters it had not reached enroll now).
      for (const d of again.listDevices()) {
        const before = enrolledAt.get(d.id);
        if (before !== undefined && before !== null) expect(d.enrolledAt, d.id).toBe(before);
      }
    } finally {
      again.close();
    }
  }, 300_000);
});
