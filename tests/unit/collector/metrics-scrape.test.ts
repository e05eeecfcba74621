import type { Server } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { startMetricsServer } from '../../../collector/src/metrics-server.js';
import { CollectorMetrics } from '../../../collector/src/metrics.js';

describe('collector /metrics', () => {
  const metrics = new CollectorMetrics();
  const asked: Array<string | null> = [];
  let server: Server | null = null;
  afterAll(() => server?.close());

  it('names exactly the outbox gauges it refreshes from the outbox depth', () => {
    for (const name of CollectorMetrics.OUTBOX_GAUGES)
      expect(metrics.registry.getSingleMetric(name)?.constructor.name).toBe('Gauge');
    expect(CollectorMetrics.OUTBOX_GAUGES.size).toBe(3);
  });

  it('tells the refresh which metric a scrape asks for, and refuses an unknown one before it', async () => {
    const started = await startMetricsServer(metrics.registry, '127.0.0.1', 0, (name) => {
      asked.push(name);
      if (name === null || CollectorMetrics.OUTBOX_GAUGES.has(name)) metrics.outboxPoints.set(42);
    });
    server = started.server;
    const base = `http://127.0.0.1:${started.port}/metrics`;
    const one = await (await fetch(`${base}?name=xs_collector_points_written_total`)).text();
    expect(one).toMatch(/^xs_collector_points_written_total 0$/m);
    expect(one).not.toMatch(/xs_collector_outbox_points/);
    expect((await fetch(`${base}?name=nope`)).status).toBe(404);
    expect(await (await fetch(`${base}?name=xs_collector_outbox_points`)).text()).toMatch(
      /^xs_collector_outbox_points 42$/m,
    );
    expect(await (await fetch(base)).text()).toMatch(/^xs_collector_outbox_points 42$/m);
    expect(asked).toEqual(['xs_collector_points_written_total', 'xs_collector_outbox_points', null]);
  });
});
