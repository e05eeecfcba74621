import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../../../collector/src/collector.js';
import { CollectorConfigSchema } from '../../../collector/src/config/schema.js';
import { CollectorMetrics } from '../../../collector/src/metrics.js';
import { OutboxDrainer } from '../../../collector/src/outbox/drainer.js';
import { Outbox } from '../../../collector/src/outbox/outbox.js';
import { openStateDb } from '../../../collector/src/state/state-db.js';
import { InfluxV2Store } from '../../../collector/src/store/influx/v2-store.js';
import type { Point } from '../../../collector/src/store/types.js';
import { FakeInflux } from './fake-influx.js';
import { until } from './wait.js';

const log = pino({ level: 'silent' });

function points(n: number, offset = 0): Point[] {
  const t0 = Date.now() - 60_000;
  return Array.from({ length: n }, (_, i) => ({
    measurement: 'air',
    tags: { device: 'st-1', source: 'aqms' },
    fields: { pm25: i + offset },
    time: t0 + i + offset,
  }));
}

describe('durable outbox against an HTTP database that refuses', () => {
  let dir: string;
  const fake = new FakeInflux();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xs-outbox-'));
    await fake.start();
  });
  afterAll(async () => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function drainerFor(path: string, minBackoffMs = 20) {
    const db = openStateDb(path);
    const outbox = new Outbox(db);
    const store = new InfluxV2Store({
      url: fake.url,
      org: 'o',
      bucket: 'b',
      timeoutMs: 2000,
      maxBatchLines: 1000,
    });
    const drainer = new OutboxDrainer(
      outbox,
      store,
      { batchPoints: 1000, minBackoffMs, maxBackoffMs: 200 },
      new CollectorMetrics(),
      log,
    );
    return { db, outbox, store, drainer };
  }

  it('waits as long as a 503 Retry-After says, then writes the batch once', async () => {
    fake.accepted.length = 0;
    fake.attempts.length = 0;
    fake.refusals = [{ status: 503, retryAfter: '1' }];
    const { db, outbox, drainer, store } = drainerFor(join(dir, 'retry-503.db'));
    db.transaction(() => outbox.enqueue(points(50)))();
    drainer.start();
    await until('fake.accepted.length === 1', () => fake.accepted.length === 1, 5000);
    await drainer.stop();
    const [first, second] = fake.attempts;
    expect(second! - first!).toBeGreaterThanOrEqual(950);
    expect(fake.acceptedLines()).toHaveLength(50);
    expect(outbox.depth().rows).toBe(0);
    await store.close();
    db.close();
  });

  it('honours 429 Retry-After as an HTTP date and backs off with jitter without one', async () => {
    fake.accepted.length = 0;
    fake.attempts.length = 0;
    fake.refusals = [
      // Truncated to whole seconds, this is still ≥ 2 s away: room for a slow first attempt on a busy machine.
      { status: 429, retryAfter: new Date(Date.now() + 3000).toUTCString() },
      { status: 500 },
      { status: 500 },
    ];
    const { db, outbox, drainer, store } = drainerFor(join(dir, 'retry-429.db'));
    db.transaction(() => outbox.enqueue(points(10)))();
    drainer.start();
    await until('fake.accepted.length === 1', () => fake.accepted.length === 1, 8000);
    await drainer.stop();
    const [a, b, c, d] = fake.attempts;
    // An HTTP date has one-second resolution: at least ~1 s after the refusal.
    expect(b! - a!).toBeGreaterThanOrEqual(900);
    expect(c! - b!).toBeGreaterThanOrEqual(10);
    expect(d! - c!).toBeGreaterThanOrEqual(20);
    expect(fake.acceptedLines()).toHaveLength(10);
    await store.close();
    db.close();
  });

  it('sets aside only the row a database refuses for good (400), and writes the rest', async () => {
    fake.accepted.length = 0;
    fake.refusals = [{ status: 400 }, { status: 400 }];
    const { db, outbox, drainer, store } = drainerFor(join(dir, 'reject.db'));
    db.transaction(() => {
      outbox.enqueue(points(3, 0));
      outbox.enqueue(points(3, 100));
    })();
    drainer.start();
    await until('outbox.depth().rows === 0', () => outbox.depth().rows === 0, 5000);
    await drainer.stop();
    expect(fake.acceptedLines()).toHaveLength(3);
    const dead = db
      .prepare<{ stage: string; reason: string }>('SELECT stage, reason FROM dead_letters')
      .all();
    expect(dead).toHaveLength(1);
    expect(dead[0]?.reason).toMatch(/HTTP 400/);
    await store.close();
    db.close();
  });

  it('keeps points on disk while the database is unreachable and drains them after a collector restart', async () => {
    const outboxPath = join(dir, 'restart.db');
    const down = new FakeInflux();
    await down.start();
    const port = down.port;
    await down.stop();
    const config = CollectorConfigSchema.parse({
      mqtt: { url: 'mqtt://127.0.0.1:1', clientId: 'outbox-restart' },
      store: { kind: 'influxdb', url: `http://127.0.0.1:${port}`, version: '2', bucket: 'b' },
      outbox: { path: outboxPath, minBackoffMs: 50, maxBackoffMs: 200 },
      metrics: { port: 0 },
      logLevel: 'silent',
    });
    const first = await startCollector(config);
    first.state.transaction(() => {
      first.outbox.enqueue(points(200, 0));
      first.outbox.enqueue(points(200, 1000));
    })();
    await until('first.drainer.consecutiveFailures >= 2', () => first.drainer.consecutiveFailures >= 2, 5000);
    await first.stop(100);
    const back = new FakeInflux();
    await back.start(port);
    const second = await startCollector(config);
    await until('second.outbox.depth().rows === 0', () => second.outbox.depth().rows === 0, 5000);
    const metrics = await second.metrics.registry.getSingleMetricAsString(
      'xs_collector_points_written_total',
    );
    await second.stop();
    await back.stop();
    expect(back.acceptedLines()).toHaveLength(400);
    expect(new Set(back.acceptedLines()).size).toBe(400);
    expect(metrics).toMatch(/xs_collector_points_written_total 400/);
  });
});
