import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SqliteDatabase, openSqlite } from '../../../collector/src/sqlite.js';
import { startMosquitto } from '../../harness/index.js';
import { spawnCollector } from './collector-process.js';
import { telemetryBatch } from './telemetry-batch.js';
import { until } from './wait.js';

type Broker = Awaited<ReturnType<typeof startMosquitto>>;

const MESSAGES = 400;
const READINGS = 5;

describe('PUBACK only after the durable write: SIGKILL while messages flow', () => {
  let dir: string;
  let broker: Broker;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xs-crash-'));
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing and duplicates nothing across a kill and restart', async () => {
    const configFile = join(dir, 'collector.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        mqtt: { url: broker.url, clientId: 'collector-crash' },
        store: { kind: 'embedded', path: join(dir, 'ts.db') },
        outbox: { path: join(dir, 'state.db') },
        metrics: { port: 0 },
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
    // Once subscribed, the persistent session exists: the broker keeps QoS 1 messages from then on.
    await first.logged('"msg":"subscribed"');

    const pub = await mqtt.connectAsync(broker.url, { clientId: 'gw-crash-pub' });
    const t0 = Date.now() - 600_000;
    const publishing = (async () => {
      for (let seq = 1; seq <= MESSAGES; seq++) {
        const batch = telemetryBatch('gw-crash', seq, t0, READINGS);
        await pub.publishAsync(batch.topic, batch.payload, { qos: 1 });
        if (seq % 20 === 0) await new Promise((r) => setTimeout(r, 40));
      }
    })();

    await until('some messages stored', () => lastSeq() >= 60, 20_000);
    first.child.kill('SIGKILL');
    await first.exited();
    const atKill = lastSeq();
    expect(atKill).toBeLessThan(MESSAGES);

    const second = spawnCollector(configFile, join(dir, 'second.log'));
    await publishing;
    await pub.endAsync();
    await until('every message stored', () => lastSeq() === MESSAGES, 30_000);
    const outboxEmpty = () =>
      (state?.prepare<{ n: number }>('SELECT count(*) AS n FROM outbox').get()?.n ?? 1) === 0;
    await until('outbox drained', outboxEmpty, 10_000);
    second.child.kill('SIGTERM');
    expect(await second.exited()).toBe(0);

    const gaps = state!.prepare('SELECT * FROM seq_gap_history').all();
    state!.close();
    const store = openSqlite(join(dir, 'ts.db'), 'normal');
    const counts = store
      .prepare<{ n: number; distinct_times: number }>(
        'SELECT count(*) AS n, count(DISTINCT time) AS distinct_times FROM raw',
      )
      .get();
    store.close();
    expect(gaps).toEqual([]);
    expect(counts).toEqual({ n: MESSAGES * READINGS, distinct_times: MESSAGES * READINGS });
  });
});
