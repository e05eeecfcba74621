import { join } from 'node:path';
import { TelemetryBatchSchema, topics } from '@xaso/device-profiles/contract';
import { Outbox } from '@xaso/gateway-firmware-ts';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../harness/index.js';

const ID = 'gw-unit';

function batch(seq: number | null, ts: number) {
  return {
    v: 1,
    deviceId: ID,
    seq,
    ts,
    readings: [{ source: 'pm', channel: 'pm25', value: 12.5, unit: 'µg/m³', ts, quality: 'good' }],
  };
}

describe('outbox (SQLite store-and-forward queue)', () => {
  it('keeps per-kind sequence numbers strictly increasing across a reopen', async () => {
    const file = join(await tempDir('xs-gw-outbox-'), 'q.sqlite');
    let box = new Outbox({ file, diskBudgetBytes: 1e9 });
    const a = box.enqueue('telemetry', topics.telemetry(ID), 1, (seq) => batch(seq, 1));
    const b = box.enqueue('telemetry', topics.telemetry(ID), 2, (seq) => batch(seq, 2));
    const e = box.enqueue('event', topics.event(ID), 2, (seq) => ({ seq }));
    expect([a.seq, b.seq, e.seq]).toEqual([0, 1, 0]);
    box.remove(a.id);
    box.remove(b.id);
    box.close();
    box = new Outbox({ file, diskBudgetBytes: 1e9 });
    expect(box.depth).toBe(1);
    expect(box.enqueue('telemetry', topics.telemetry(ID), 3, (seq) => batch(seq, 3)).seq).toBe(2);
    expect(box.oldest(10, new Set()).map((m) => m.kind)).toEqual(['event', 'telemetry']);
    box.close();
  });

  it('commits and removes several messages in one transaction each, all or none', async () => {
    const file = join(await tempDir('xs-gw-outbox-'), 'q.sqlite');
    let box = new Outbox({ file, diskBudgetBytes: 1e9 });
    const entry = (ts: number) => ({
      kind: 'telemetry' as const,
      topic: topics.telemetry(ID),
      ts,
      build: (seq: number | null) => batch(seq, ts),
    });
    const three = box.enqueueMany([entry(1), entry(2), entry(3)]);
    expect(three.map((m) => m.seq)).toEqual([0, 1, 2]);
    const bytes = box.bytes;
    // A message whose payload cannot be built rolls back the whole group, and the totals with it.
    const broken = {
      ...entry(4),
      build: () => {
        throw new Error('no payload');
      },
    };
    expect(() => box.enqueueMany([entry(4), broken])).toThrow('no payload');
    expect([box.depth, box.bytes]).toEqual([3, bytes]);
    box.removeMany([three[0]?.id ?? 0, three[2]?.id ?? 0, 9999]);
    expect(box.depth).toBe(1);
    box.close();
    box = new Outbox({ file, diskBudgetBytes: 1e9 });
    expect(box.oldest(10, new Set()).map((m) => m.seq)).toEqual([1]);
    // The rolled-back group did not use up a sequence number.
    expect(box.enqueueMany([entry(5)])[0]?.seq).toBe(3);
    expect(box.bytes).toBe(box.oldest(10, new Set()).reduce((n, m) => n + Buffer.byteLength(m.payload), 0));
    box.close();
  });

  it('returns the oldest first and skips messages already in flight', async () => {
    const box = new Outbox({ file: join(await tempDir('xs-gw-outbox-'), 'q.sqlite'), diskBudgetBytes: 1e9 });
    const ids = [1, 2, 3, 4].map(
      (ts) => box.enqueue('telemetry', topics.telemetry(ID), ts, (seq) => batch(seq, ts)).id,
    );
    expect(box.oldest(2, new Set([ids[0] ?? 0])).map((m) => m.id)).toEqual(ids.slice(1, 3));
    expect(box.oldest(10, new Set(), ids[1]).map((m) => m.id)).toEqual(ids.slice(0, 2));
    box.close();
  });

  it('thins the oldest telemetry by keeping every other batch, never events, and records the span', async () => {
    const box = new Outbox({ file: join(await tempDir('xs-gw-outbox-'), 'q.sqlite'), diskBudgetBytes: 4096 });
    for (let i = 0; i < 5; i++)
      box.enqueue('event', topics.event(ID), i, (seq) => ({ seq, pad: 'e'.repeat(50) }));
    for (let ts = 0; ts < 60; ts++)
      box.enqueue('telemetry', topics.telemetry(ID), ts * 1000, (seq) => batch(seq, ts * 1000));
    expect(box.overBudget).toBe(true);
    const outcome = box.thinToBudget();
    expect(outcome).not.toBeNull();
    expect(box.overBudget).toBe(false);
    const left = box.oldest(1000, new Set());
    expect(left.filter((m) => m.kind === 'event')).toHaveLength(5);
    const kept = left
      .filter((m) => m.kind === 'telemetry')
      .map((m) => TelemetryBatchSchema.parse(JSON.parse(m.payload)));
    const thinned = kept.filter((b) => b.thinned);
    expect(thinned.length).toBeGreaterThan(0);
    expect(thinned[0]?.thinned?.keptEvery).toBeGreaterThanOrEqual(2);
    expect(thinned[0]?.thinned?.fromTs).toBe(0);
    // The newest telemetry is untouched, and sequence order is kept.
    expect(kept.at(-1)?.seq).toBe(59);
    expect(kept.at(-1)?.thinned).toBeUndefined();
    const seqs = kept.map((b) => b.seq);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    expect(outcome?.removed).toBe(60 - kept.length);
    box.close();
  });

  it('keeps thinning a queue whose disk stays full: every batch ever queued is accounted for, none overflows', async () => {
    const box = new Outbox({ file: join(await tempDir('xs-gw-outbox-'), 'q.sqlite'), diskBudgetBytes: 2048 });
    const queued = 600;
    // The uplink never returns: every new batch lands on a full disk and is thinned again, hundreds of passes.
    for (let ts = 0; ts < queued; ts++) {
      box.enqueue('telemetry', topics.telemetry(ID), ts * 1000, (seq) => batch(seq, ts * 1000));
      box.thinToBudget();
    }
    const kept = box.oldest(queued, new Set()).map((m) => TelemetryBatchSchema.parse(JSON.parse(m.payload)));
    expect(kept.length).toBeLessThan(queued / 10);
    // keptEvery counts the batches a kept one stands for, so together they are exactly what was queued.
    expect(kept.reduce((sum, b) => sum + (b.thinned?.keptEvery ?? 1), 0)).toBe(queued);
    for (const b of kept) expect(b.thinned?.keptEvery ?? 1).toBeLessThanOrEqual(queued);
    box.close();
  });
});
