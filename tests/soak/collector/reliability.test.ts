/**
 * Issue 5's reliability test: 200 loudspeaker clusters and 20 air stations report through the gateway's
 * disk queue while InfluxDB 1.6, our broker and the collector are each SIGKILLed and restarted at random
 * moments; afterwards every reading is in InfluxDB exactly once. Short form by default (CI);
 *   XASO_SOAK_SECONDS=600 npx vitest run tests/soak/collector   for the ten-minute run
 * (XASO_SOAK_SEED replays a kill plan).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { Registry } from '../../../broker/src/index.js';
import { hashSecret, newPassword } from '../../../broker/src/registry/secret-hash.js';
import { type SqliteDatabase, openSqlite } from '../../../collector/src/sqlite.js';
import {
  type ServerHandle,
  freePort,
  httpStatusIs,
  influxQuery,
  manageServer,
  spawnReady,
  startInfluxDB,
  tcpOpen,
} from '../../harness/index.js';
import { until } from '../../integration/collector/wait.js';
import { Fleet, type FleetDevice, readingTime } from './fleet.js';
import { type KillRecord, planKills, runKills } from './kill-plan.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const SECONDS = Number(process.env.XASO_SOAK_SECONDS ?? '60');
const SEED = Number(process.env.XASO_SOAK_SEED ?? Math.floor(Math.random() * 1e9));
const CLUSTERS = 200;
const STATIONS = 20;
// Faster than the field (minutes) so a short run carries thousands of messages.
const PERIOD_MS = { cluster: 5000, station: 2000 };
const SERVICE_PASSWORD = 'collector-soak-secret-0123456789';
const DB = 'xaso';

const devices: FleetDevice[] = [
  ...Array.from({ length: CLUSTERS }, (_, i) => ({
    id: `cl-${String(i).padStart(3, '0')}`,
    password: '',
    kind: 'cluster' as const,
  })),
  ...Array.from({ length: STATIONS }, (_, i) => ({
    id: `st-${String(i).padStart(2, '0')}`,
    password: '',
    kind: 'station' as const,
  })),
];

/**
 * Device registry of our broker, written before its first start. The device secrets use scrypt N=1024
 * (the hash carries its parameters; production uses N=16384): at the default cost, 220 devices
 * re-authenticating after each broker restart on a loaded 2-core machine take longer than their
 * 10 s CONNACK timeout and the reconnect storm never settles, which would hide what this test is about.
 */
function provision(dataDir: string): { username: string } {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'registry.sqlite');
  const registry = Registry.open(file, { logger: pino({ level: 'silent' }) });
  let username: string;
  try {
    for (const d of devices)
      registry.createDevice({ id: d.id, role: d.kind === 'cluster' ? 'speaker-cluster' : 'sensor-gateway' });
    username = registry.ensureService('collector', SERVICE_PASSWORD).username;
  } finally {
    registry.close();
  }
  const db = openSqlite(file, 'full');
  try {
    const setSecret = db.prepare('UPDATE devices SET secret_hash = ? WHERE id = ?');
    for (const d of devices) {
      d.password = newPassword();
      setSecret.run(hashSecret(d.password, { N: 1024, r: 8, p: 1 }), d.id);
    }
  } finally {
    db.close();
  }
  return { username };
}

async function startOurBroker(dataDir: string, logFile: string): Promise<ServerHandle> {
  const [port, httpPort] = [await freePort(), await freePort()];
  return manageServer({ url: `mqtt://127.0.0.1:${port}`, port, dir: join(dataDir, 'run') }, () =>
    spawnReady({
      name: 'broker',
      command: process.execPath,
      args: [
        '--import',
        'tsx',
        join(ROOT, 'broker/src/cli.ts'),
        ...[
          '--port',
          String(port),
          '--http-port',
          String(httpPort),
          '--data',
          dataDir,
          '--log-level',
          'warn',
        ],
      ],
      cwd: ROOT,
      logFile,
      ready: () => tcpOpen(port),
      readyWhat: `MQTT on 127.0.0.1:${port}`,
    }),
  );
}

async function startCollectorProcess(
  configFile: string,
  logFile: string,
  metricsPort: number,
  runDir: string,
) {
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  return manageServer({ url: metricsUrl, port: metricsPort, dir: runDir }, () =>
    spawnReady({
      name: 'collector',
      command: process.execPath,
      args: ['--import', 'tsx', join(ROOT, 'collector/src/cli.ts'), '--config', configFile],
      cwd: ROOT,
      logFile,
      ready: () => httpStatusIs(metricsUrl, 200),
      readyWhat: `GET ${metricsUrl} -> 200`,
    }),
  );
}

/** Reading timestamps per device as InfluxDB holds them (raw retention policy). */
async function storedTimes(url: string, measurement: string, field: string): Promise<Map<string, number[]>> {
  const [result] = await influxQuery(
    url,
    DB,
    `SELECT "${field}" FROM "${DB}"."autogen"."${measurement}" GROUP BY "device"`,
  );
  const times = new Map<string, number[]>();
  for (const s of result?.series ?? []) {
    const device = s.tags?.device;
    if (device)
      times.set(
        device,
        s.values.map((v) => Number(v[0])),
      );
  }
  return times;
}

describe(`reliability: ${CLUSTERS} clusters + ${STATIONS} stations, InfluxDB, broker and collector killed (${SECONDS} s)`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'xs-soak-'));
  const stops: Array<() => Promise<void>> = [];
  let state: SqliteDatabase | null = null;

  afterAll(async () => {
    state?.close();
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    if (process.env.XASO_SOAK_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
  });

  it(
    'ends with every reading in InfluxDB exactly once',
    async () => {
      const t0 = Date.now();
      const influx = await startInfluxDB();
      stops.push(() => influx.stop());
      const brokerData = join(dir, 'broker');
      const service = provision(brokerData);
      const broker = await startOurBroker(brokerData, join(dir, 'broker.log'));
      stops.push(() => broker.stop());

      const metricsPort = await freePort();
      const configFile = join(dir, 'collector.json');
      writeFileSync(
        configFile,
        JSON.stringify({
          mqtt: {
            url: broker.url,
            clientId: 'collector',
            username: service.username,
            password: SERVICE_PASSWORD,
          },
          store: { kind: 'influxdb', url: influx.url, version: '1', db: DB, timeoutMs: 5000 },
          outbox: { path: join(dir, 'collector-state.db'), minBackoffMs: 200, maxBackoffMs: 2000 },
          metrics: { port: metricsPort },
          areas: Object.fromEntries(devices.map((d, i) => [d.id, `xa-${i % 19}`])),
          alarms: { enabled: false },
          indices: { enabled: false },
          logLevel: 'info',
        }),
      );
      const collectorLog = join(dir, 'collector.log');
      const collector = await startCollectorProcess(
        configFile,
        collectorLog,
        metricsPort,
        join(dir, 'collector-run'),
      );
      stops.push(() => collector.stop());
      // The persistent session must exist before the first message, or the broker has no one to keep it for.
      await until(
        'collector subscribed',
        () => readFileSync(collectorLog, 'utf8').includes('"msg":"subscribed"'),
        30_000,
      );

      const fleet = new Fleet(devices, broker.url, join(dir, 'gateways'), Date.now() - 86_400_000);
      stops.push(() => fleet.close());
      const plan = planKills(SECONDS, SEED);
      const kills: KillRecord[] = [];
      const startedAt = Date.now();
      fleet.start(PERIOD_MS);
      const killing = runKills(plan, { influxdb: influx, broker, collector }, startedAt, (k) =>
        kills.push(k),
      );
      await new Promise((r) => setTimeout(r, SECONDS * 1000));
      fleet.stopProducing();
      await killing;
      const producedAtS = (Date.now() - startedAt) / 1000;

      // Everything the gateways still hold must reach the broker, and everything must reach InfluxDB.
      await until('gateway queues empty', () => fleet.queued === 0, 240_000);
      const produced = fleet.produced();
      const expectedTotal = [...produced.values()].reduce((a, b) => a + b, 0);
      const total = async (): Promise<number> => {
        let n = 0;
        for (const times of (await storedTimes(influx.url, 'speaker_health', 'mains_voltage')).values())
          n += times.length;
        for (const times of (await storedTimes(influx.url, 'air', 'pm25')).values()) n += times.length;
        return n;
      };
      await until(
        'all readings in InfluxDB',
        async () => (await total().catch(() => -1)) >= expectedTotal,
        240_000,
      );
      const settledAtS = (Date.now() - startedAt) / 1000;

      const clusters = await storedTimes(influx.url, 'speaker_health', 'mains_voltage');
      const stations = await storedTimes(influx.url, 'air', 'pm25');
      const wrong: string[] = [];
      for (const d of devices) {
        const n = produced.get(d.id) ?? 0;
        const times = (d.kind === 'cluster' ? clusters : stations).get(d.id) ?? [];
        const expected = Array.from({ length: n }, (_, seq) => readingTime(fleet.t0, seq));
        const got = [...times].sort((a, b) => a - b);
        if (got.length !== n || got.some((t, i) => t !== expected[i]))
          wrong.push(`${d.id}: produced seq 0..${n - 1}, InfluxDB has ${got.length} points`);
      }
      state = openSqlite(join(dir, 'collector-state.db'), 'normal');
      const openGaps = state.prepare<{ n: number }>('SELECT count(*) AS n FROM seq_gaps').get()?.n ?? -1;
      const deadLetters =
        state.prepare<{ n: number }>('SELECT count(*) AS n FROM dead_letters').get()?.n ?? -1;
      const summary = {
        soak: 'collector-reliability',
        seconds: SECONDS,
        seed: SEED,
        devices: devices.length,
        messages: expectedTotal,
        readings: expectedTotal * 2,
        pointsInInflux: [...clusters.values(), ...stations.values()].reduce((a, t) => a + t.length, 0),
        kills: kills.map((k) => ({
          component: k.component,
          atS: +k.killedAtS.toFixed(1),
          downS: +k.downS.toFixed(1),
          restartS: +k.restartS.toFixed(1),
        })),
        producedForS: +producedAtS.toFixed(1),
        settledAfterS: +(settledAtS - producedAtS).toFixed(1),
        totalS: +((Date.now() - t0) / 1000).toFixed(1),
        openGaps,
        deadLetters,
      };
      process.stdout.write(`${JSON.stringify(summary)}\n`);

      expect(wrong).toEqual([]);
      expect(summary.pointsInInflux).toBe(expectedTotal);
      expect(openGaps).toBe(0);
      expect(deadLetters).toBe(0);
      for (const c of ['influxdb', 'broker', 'collector'])
        expect(kills.filter((k) => k.component === c).length).toBeGreaterThanOrEqual(1);
    },
    SECONDS * 1000 + 900_000,
  );
});
