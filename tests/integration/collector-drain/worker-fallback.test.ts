import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollectorMetrics } from '../../../collector/src/metrics.js';
import { OutboxDrainer } from '../../../collector/src/outbox/drainer.js';
import { Outbox } from '../../../collector/src/outbox/outbox.js';
import { WorkerDrainer } from '../../../collector/src/outbox/worker-drainer.js';
import { openStateDb } from '../../../collector/src/state/state-db.js';
import { EmbeddedStore } from '../../../collector/src/store/embedded/embedded-store.js';
import { tempDir } from '../../harness/index.js';
import { until } from '../collector/wait.js';

describe('a drain worker that cannot run', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('xs-worker-fallback-');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is reported, and the ingest thread drains every row instead', async () => {
    const statePath = join(dir, 'state.db');
    const db = openStateDb(statePath);
    const outbox = new Outbox(db, 'json');
    const store = new EmbeddedStore({
      path: join(dir, 'ts.db'),
      rawRetentionDays: 30,
      rollup5mRetentionDays: 400,
    });
    const metrics = new CollectorMetrics();
    const records: Array<{ msg?: string; reason?: string }> = [];
    const log = pino({ level: 'info' }, { write: (line: string) => records.push(JSON.parse(line)) });
    const options = { batchPoints: 100, minBackoffMs: 10, maxBackoffMs: 50 };
    const drainer = new WorkerDrainer(
      // An empty log level fails the worker's own validation of what it is started with.
      {
        statePath,
        store: {
          kind: 'embedded',
          path: join(dir, 'ts.db'),
          rawRetentionDays: 30,
          rollup5mRetentionDays: 400,
        },
        ...options,
        logLevel: '',
        sources: {},
        areas: {},
      },
      outbox,
      metrics,
      log,
      () => new OutboxDrainer(outbox, store, options, metrics, log),
    );
    drainer.start();
    await until(
      'worker reported lost',
      () => records.some((r) => r.msg === 'drain worker lost; draining in the main thread from now on'),
      30_000,
    );
    expect(records.find((r) => r.reason)?.reason).toMatch(/logLevel/);
    const t0 = Date.now() - 60_000;
    db.transaction(() => {
      for (let i = 0; i < 5; i++)
        outbox.enqueue([
          { measurement: 'air', tags: { device: 'fb-1' }, fields: { pm25: i }, time: t0 + i * 1000 },
        ]);
    })();
    drainer.notify();
    await until('outbox drained in the main thread', () => outbox.depth().rows === 0, 10_000);
    const latest = await store.latest({ measurement: 'air', fields: ['pm25'], where: { device: 'fb-1' } });
    expect(latest[0]?.value).toBe(4);
    await drainer.stop();
    expect(await drainer.drainFor(100)).toBe(true);
    await drainer.close();
    await store.close();
    db.close();
  }, 60_000);
});
