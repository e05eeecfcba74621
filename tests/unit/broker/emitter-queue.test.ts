import mqemitter from 'mqemitter';
import { describe, expect, it } from 'vitest';
import { boundSyncDepth } from '../../../broker/src/server/bounded-emitter.js';
import { Fifo, queueInFifo } from '../../../broker/src/server/emitter-queue.js';

describe('the FIFO behind the broker’s message emitter', () => {
  it('behaves as an Array used with push and shift, through many compactions', () => {
    const fifo = new Fifo<number>();
    const model: number[] = [];
    let next = 0;
    let peak = 0;
    // A seeded walk: bursts of pushes and of shifts, the queue growing past the compaction threshold and
    // emptying again several times.
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let step = 0; step < 500; step++) {
      const burst = Math.floor(random() * 600);
      const got: (number | undefined)[] = [];
      const want: (number | undefined)[] = [];
      if (random() < 0.55)
        for (let i = 0; i < burst; i++) {
          got.push(fifo.push(next));
          want.push(model.push(next++));
        }
      else
        for (let i = 0; i < burst; i++) {
          got.push(fifo.shift());
          want.push(model.shift());
        }
      expect(got).toEqual(want);
      expect(fifo.length).toBe(model.length);
      peak = Math.max(peak, model.length);
    }
    expect(peak).toBeGreaterThan(3 * 4096);
    while (model.length > 0) expect(fifo.shift()).toBe(model.shift());
    expect(fifo.shift()).toBeUndefined();
    expect(fifo.length).toBe(0);
  });

  it('lets mqemitter deliver a backlog queued beyond its concurrency, in order, each once', async () => {
    const mq = queueInFifo(boundSyncDepth(mqemitter({ concurrency: 1 })));
    const seen: number[] = [];
    let release: (() => void) | undefined;
    mq.on('xa/loa/ack', (message, done) => {
      seen.push(Number(message.i));
      if (release === undefined) release = done;
      else done();
    });
    const backlog = 50_000;
    for (let i = 0; i <= backlog; i++) mq.emit({ topic: 'xa/loa/ack', i });
    expect(seen).toEqual([0]);
    release?.();
    const deadline = Date.now() + 20_000;
    while (seen.length < backlog + 1 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(Array.from({ length: backlog + 1 }, (_, i) => i));
  });

  it('refuses an emitter it does not know rather than running without its queues', () => {
    expect(() => queueInFifo({})).toThrow(/_messageQueue/);
  });
});
