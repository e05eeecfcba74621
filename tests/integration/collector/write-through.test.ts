import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Collector, startCollector } from '../../../collector/src/collector.js';
import { type CollectorConfigInput, CollectorConfigSchema } from '../../../collector/src/config/schema.js';
import { openSqlite } from '../../../collector/src/sqlite.js';
import { startMosquitto } from '../../harness/index.js';
import { spawnCollector } from './collector-process.js';
import { FakeInflux } from './fake-influx.js';
import { telemetryBatch } from './telemetry-batch.js';
import { until } from './wait.js';

type Broker = Awaited<ReturnType<typeof startMosquitto>>;

const READINGS = 3;
const T0 = Date.now() - 3_600_000;

const message = (deviceId: string, seq: number) => telemetryBatch(deviceId, seq, T0, READINGS);

async function publish(pub: mqtt.MqttClient, deviceId: string, from: number, to: number): Promise<void> {
  for (let seq = from; seq <= to; seq++) {
    const m = message(deviceId, seq);
    await pub.publishAsync(m.topic, m.payload, { qos: 1 });
  }
}

function config(dir: string, broker: Broker, fake: FakeInflux, name: string, deadlineMs: number) {
  return {
    mqtt: { url: broker.url, clientId: `collector-${name}` },
    store: { kind: 'influxdb', url: fake.url, version: '2', bucket: 'b', timeoutMs: 10_000 },
    outbox: {
      path: join(dir, `${name}.db`),
      minBackoffMs: 50,
      maxBackoffMs: 300,
      drainer: 'main',
      mode: 'write-through',
      writeThroughDeadlineMs: deadlineMs,
    },
    metrics: { port: 0 },
    alarms: { enabled: false },
    indices: { enabled: false },
    logLevel: 'silent',
  } satisfies CollectorConfigInput;
}

async function routes(collector: Collector): Promise<Record<string, number>> {
  const metric = await collector.metrics.registry
    .getSingleMetric('xs_collector_write_through_groups_total')
    ?.get();
  return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels.route), v.value]));
}

function telemetryState(collector: Collector, deviceId: string) {
  const mark = collector.state
    .prepare<{ last_seq: number }>(
      "SELECT last_seq FROM sequences WHERE device_id = ? AND kind = 'telemetry'",
    )
    .get(deviceId);
  const gaps = collector.state.prepare('SELECT * FROM seq_gap_history WHERE device_id = ?').all(deviceId);
  return { lastSeq: mark?.last_seq ?? 0, gaps };
}

const linesOf = (fake: FakeInflux, deviceId: string): string[] =>
  fake.acceptedLines().filter((l) => l.includes(`device=${deviceId},`));

describe('write-through: straight to the store while it is healthy, the outbox otherwise', () => {
  let dir: string;
  let broker: Broker;
  let pub: mqtt.MqttClient;
  const fake = new FakeInflux();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xs-write-through-'));
    broker = await startMosquitto();
    await fake.start();
    pub = await mqtt.connectAsync(broker.url, { clientId: 'gw-write-through' });
  });
  afterAll(async () => {
    await pub?.endAsync();
    await fake.stop();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a database outage in the middle of a group: the group goes to the outbox; no loss, no duplicate', async () => {
    const device = 'wt-outage';
    fake.holdMs = 0;
    const collector = await startCollector(
      CollectorConfigSchema.parse(config(dir, broker, fake, 'outage', 10_000)),
      { log: pino({ level: 'silent' }) },
    );
    try {
      await collector.ready();
      await publish(pub, device, 1, 60);
      await until('healthy messages written', () => linesOf(fake, device).length === 60 * READINGS, 15_000);
      expect((await routes(collector)).written).toBeGreaterThan(0);
      expect(collector.outbox.depth().rows).toBe(0);

      // A write in flight when the database goes away (connection reset, nothing stored).
      fake.holdMs = 1500;
      const inFlight = publish(pub, device, 61, 80);
      await until('a write-through group in flight', () => fake.held > 0, 10_000);
      const port = fake.port;
      await fake.stop();
      await inFlight;
      // Published during the outage: the outbox has a backlog, so they queue behind it.
      await publish(pub, device, 81, 100);
      await until('every message committed', () => telemetryState(collector, device).lastSeq === 100, 15_000);
      expect(collector.outbox.pendingPoints).toBeGreaterThan(0);

      fake.holdMs = 0;
      await fake.start(port);
      await until('outbox drained', () => collector.outbox.depth().rows === 0, 20_000);
      // Healthy again with an empty outbox: straight through once more.
      const writtenBefore = (await routes(collector)).written ?? 0;
      await publish(pub, device, 101, 110);
      await until('all lines in the database', () => linesOf(fake, device).length >= 110 * READINGS, 15_000);
      const r = await routes(collector);
      expect(r.written ?? 0).toBeGreaterThan(writtenBefore);
      expect(r.failed ?? 0).toBeGreaterThanOrEqual(1);

      const lines = linesOf(fake, device);
      expect(new Set(lines).size).toBe(110 * READINGS);
      expect(lines).toHaveLength(110 * READINGS);
      expect(telemetryState(collector, device)).toEqual({ lastSeq: 110, gaps: [] });
      expect(collector.deadLetters.list(10)).toEqual([]);
    } finally {
      await collector.stop(2000);
      fake.holdMs = 0;
    }
  });

  it('a slow database: past the deadline the group is acknowledged from the outbox, and still written', async () => {
    const device = 'wt-slow';
    fake.holdMs = 4000;
    const collector = await startCollector(
      CollectorConfigSchema.parse(config(dir, broker, fake, 'slow', 300)),
      { log: pino({ level: 'silent' }) },
    );
    try {
      await collector.ready();
      const acceptedBefore = fake.accepted.length;
      await publish(pub, device, 1, 30);
      await until('every message committed', () => telemetryState(collector, device).lastSeq === 30, 3500);
      // Committed (so acknowledged) from the outbox while every write was still held by the database.
      expect(fake.accepted.length).toBe(acceptedBefore);
      expect(collector.outbox.pendingPoints).toBe(30 * READINGS);
      expect((await routes(collector)).slow ?? 0).toBeGreaterThanOrEqual(1);
      expect((await routes(collector)).written ?? 0).toBe(0);

      fake.holdMs = 0;
      await until('outbox drained', () => collector.outbox.depth().rows === 0, 20_000);
      await until('late writes settled', () => fake.held === 0, 10_000);
      // The late write-through POST and the drain may both land: same points, an overwrite in a real database.
      expect(new Set(linesOf(fake, device)).size).toBe(30 * READINGS);
      expect(telemetryState(collector, device)).toEqual({ lastSeq: 30, gaps: [] });
    } finally {
      await collector.stop(2000);
      fake.holdMs = 0;
    }
  });

  it('SIGKILL with groups in flight: they are redelivered and written exactly once', async () => {
    const device = 'wt-crash';
    const messages = 200;
    const configFile = join(dir, 'crash.json');
    writeFileSync(
      configFile,
      JSON.stringify({ ...config(dir, broker, fake, 'crash', 20_000), logLevel: 'info' }),
    );
    const lastSeq = (): number => {
      const db = openSqlite(join(dir, 'crash.db'), 'normal');
      try {
        return (
          db.prepare<{ last_seq: number }>("SELECT last_seq FROM sequences WHERE kind = 'telemetry'").get()
            ?.last_seq ?? 0
        );
      } finally {
        db.close();
      }
    };

    fake.holdMs = 1000;
    const first = spawnCollector(configFile, join(dir, 'crash-first.log'));
    await first.logged('"msg":"subscribed"');
    const publishing = (async () => {
      for (let seq = 1; seq <= messages; seq += 20) {
        await publish(pub, device, seq, seq + 19);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await until('some groups committed', () => lastSeq() >= 20, 30_000);
    await until('a write in flight', () => fake.held > 0, 10_000);
    first.child.kill('SIGKILL');
    await first.exited();
    const atKill = lastSeq();
    expect(atKill).toBeLessThan(messages);

    fake.holdMs = 0;
    const second = spawnCollector(configFile, join(dir, 'crash-second.log'));
    await publishing;
    await until('every message committed', () => lastSeq() === messages, 30_000);
    await until(
      'every line written',
      () => new Set(linesOf(fake, device)).size === messages * READINGS,
      15_000,
    );
    second.child.kill('SIGTERM');
    expect(await second.exited()).toBe(0);

    // The writes cut off by the kill never reached the database; their redeliveries were new, not duplicates.
    const lines = linesOf(fake, device);
    expect(lines).toHaveLength(messages * READINGS);
    const db = openSqlite(join(dir, 'crash.db'), 'normal');
    const gaps = db.prepare('SELECT * FROM seq_gap_history').all();
    const outboxRows = db.prepare<{ n: number }>('SELECT count(*) AS n FROM outbox').get()?.n;
    db.close();
    expect(gaps).toEqual([]);
    expect(outboxRows).toBe(0);
  });
});
