import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { OpLatency } from '../../../broker/src/metrics/op-latency.js';

const BOUNDS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

describe('the persistence latency histogram', () => {
  it('exports exactly what prom-client’s Histogram exports for the same observations', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const fast = new OpLatency('xs_test_seconds', 'Duration by operation', BOUNDS, ours);
    const reference = new Histogram({
      name: 'xs_test_seconds',
      help: 'Duration by operation',
      labelNames: ['op'] as const,
      buckets: BOUNDS,
      registers: [theirs],
    });
    let seed = 5;
    const ops = ['outgoingEnqueueCombi', 'outgoingUpdate', 'subscriptionsByTopic'];
    for (let i = 0; i < 3000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      const op = ops[seed % 3] as string;
      // Values on the bounds themselves, between them and above the last one.
      const seconds = seed % 7 === 0 ? (BOUNDS[seed % BOUNDS.length] as number) : (seed % 20_000) / 10_000;
      fast.labels({ op }).observe(seconds);
      reference.labels({ op }).observe(seconds);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    // get() as the tests read it: the same series, values and labels (prom-client adds empty exemplars).
    const series = (values: { metricName?: string; labels: object; value: number }[]) =>
      values.map(({ metricName, labels, value }) => ({ metricName, labels, value }));
    expect(series((await fast.get()).values)).toEqual(series((await reference.get()).values));
  });
});
