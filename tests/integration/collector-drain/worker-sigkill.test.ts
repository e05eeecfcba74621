import { writeFileSync } from 'node:fs';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { topics } from '@xaso/device-profiles/contract';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SqliteDatabase, openSqlite } from '../../../collector/src/sqlite.js';
import { startMosquitto, tempDir } from '../../harness/index.js';
import { spawnCollector } from '../collector/collector-process.js';
import { FakeInflux } from '../collector/fake-influx.js';
import { until } from '../collector/wait.js';

type Broker = Awaited<ReturnType<typeof startMosquitto>>;

const INSTANTS = 20;
const T0 = Date.now() - 900_000;

function payload(seq: number): string {
  const times = Array.from({ length: INSTANTS }, (_, i) => T0 + (seq * INSTANTS + i) * 1000);
  return JSON.stringify({
    v: 2,
    deviceId: 'aq-kill',
    seq,
    ts: times[0],
    times,
    columns: [
      {
        source: 'aqms',
        channel: 'pm25',
        unit: 'µg/m³',
        quality: 'good',
        values: times.map((_, i) => seq * 100 + i),
      },
    ],
  });
}

describe('SIGKILL of a collector whose worker drains, during a database outage', () => {
  let dir: string;
  let broker: Broker;
  const db = new FakeInflux();

  beforeAll(async () => {
    dir = await tempDir('xs-worker-kill-');
    broker = await startMosquitto();
    await db.start();
  });
  afterAll(async () => {
    await db.stop();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no point: rows on disk are written after the restart', async () => {
    const configFile = join(dir, 'collector.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        mqtt: { url: broker.url, clientId: 'collector-worker-kill' },
        store: { kind: 'influxdb', url: db.url, version: '2', bucket: 'b' },
        outbox: { path: join(dir, 'state.db'), minBackoffMs: 50, maxBackoffMs: 300, drainer: 'worker' },
        metrics: { port: 0 },
        alarms: { enabled: false },
        indices: { enabled: false },
        logLevel: 'info',
      }),
    );
    let state: SqliteDatabase | null = null;
    const lastSeq = (): number => {
      state ??= openSqlite(join(dir, 'state.db'), 'normal');
      const row = state
        .prepare<{ last_seq: number }>("SELECT last_seq FROM sequences WHERE kind = 'telemetry'")
        .get();
      return row?.last_seq ?? 0;
    };
    const first = spawnCollector(configFile, join(dir, 'first.log'));
    await first.logged('"msg":"subscribed"', 30_000);
    await first.logged('"msg":"drain worker started"', 30_000);
    const pub = await mqtt.connectAsync(broker.url, { clientId: 'gw-worker-kill' });
    for (let seq = 1; seq <= 20; seq++)
      await pub.publishAsync(topics.telemetry('aq-kill'), payload(seq), { qos: 1 });
    await until('some points written', () => db.acceptedLines().length > 0, 20_000);
    const port = db.port;
    await db.stop();
    for (let seq = 21; seq <= 40; seq++)
      await pub.publishAsync(topics.telemetry('aq-kill'), payload(seq), { qos: 1 });
    // Every message committed (and PUBACKed) while the database is down: the rest lives in the outbox only.
    await until('all committed', () => lastSeq() === 40, 20_000);
    first.child.kill('SIGKILL');
    await first.exited();
    await db.start(port);
    const second = spawnCollector(configFile, join(dir, 'second.log'));
    await second.logged('"msg":"subscribed"', 30_000);
    for (let seq = 41; seq <= 50; seq++)
      await pub.publishAsync(topics.telemetry('aq-kill'), payload(seq), { qos: 1 });
    await pub.endAsync();
    const expected = 50 * INSTANTS;
    await until('every point written', () => new Set(db.acceptedLines()).size >= expected, 30_000);
    second.child.kill('SIGTERM');
    await second.exited();
    (state as SqliteDatabase | null)?.close();
    const lines = new Set(db.acceptedLines());
    expect(lines.size).toBe(expected);
    const times = new Set([...lines].map((l) => Number(l.split(' ')[2])));
    for (let seq = 1; seq <= 50; seq++)
      for (let i = 0; i < INSTANTS; i++) expect(times.has(T0 + (seq * INSTANTS + i) * 1000)).toBe(true);
  }, 120_000);
});
