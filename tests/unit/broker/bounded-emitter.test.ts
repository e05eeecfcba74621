import mqemitter from 'mqemitter';
import { describe, expect, it } from 'vitest';
import { boundSyncDepth } from '../../../broker/src/server/bounded-emitter.js';

const BACKLOG = 30_000;

/**
 * One slow delivery holds the emitter at its concurrency while a backlog queues behind it; when it finishes,
 * every queued delivery finishes synchronously, each starting the next from inside the last.
 */
function backlogBehindOneSlowDelivery(mq: ReturnType<typeof mqemitter>) {
  let release: (() => void) | undefined;
  let delivered = 0;
  mq.on('xa/loa/ack', (_message, done) => {
    delivered++;
    if (release === undefined) release = () => done();
    else done();
  });
  mq.emit({ topic: 'xa/loa/ack' });
  for (let i = 0; i < BACKLOG; i++) mq.emit({ topic: 'xa/loa/ack', i });
  return { release: () => release?.(), delivered: () => delivered };
}

describe('the broker’s message emitter under an ack storm', () => {
  it('overflows the stack without the bound (the crash seen at 10,000 clusters)', () => {
    const storm = backlogBehindOneSlowDelivery(mqemitter({ concurrency: 1 }));
    expect(() => storm.release()).toThrow(RangeError);
  });

  it('delivers the whole backlog with the bound, on fresh stacks every few dozen deliveries', async () => {
    const storm = backlogBehindOneSlowDelivery(boundSyncDepth(mqemitter({ concurrency: 1 })));
    expect(storm.delivered()).toBe(1);
    storm.release();
    const deadline = Date.now() + 20_000;
    while (storm.delivered() < BACKLOG + 1 && Date.now() < deadline)
      await new Promise((resolve) => setImmediate(resolve));
    expect(storm.delivered()).toBe(BACKLOG + 1);
  });
});
