import { join } from 'node:path';
import { topics } from '@xaso/device-profiles/contract';
import { Outbox, type QueuedMessage } from '@xaso/gateway-firmware-ts';
import { describe, expect, it } from 'vitest';
import { FleetDiskQueue } from '../../bench/emergency/fleet-disk-queue.js';
import { tempDir } from '../../harness/index.js';

const turn = () => new Promise((r) => setImmediate(r));

describe("a fleet process's shared disk queue", () => {
  it('commits a turn of messages together before handing any out, and deletes released ones together', async () => {
    const outbox = new Outbox({ file: join(await tempDir('xs-fleet-q-'), 'q.sqlite'), diskBudgetBytes: 1e9 });
    const queue = new FleetDiskQueue(outbox);
    const committed: QueuedMessage[] = [];
    const depthSeen: number[] = [];
    for (const id of ['c-1', 'c-2', 'c-3'])
      queue.enqueue({ kind: 'ack', topic: topics.ack(id), ts: 1, build: () => ({ id }) }, (m) => {
        depthSeen.push(outbox.depth);
        committed.push(m);
      });
    expect([outbox.depth, committed.length]).toEqual([0, 0]);
    await turn();
    // Each message was on disk, with the whole group, when its publisher got it.
    expect(depthSeen).toEqual([3, 3, 3]);
    expect(committed.map((m) => JSON.parse(m.payload).id)).toEqual(['c-1', 'c-2', 'c-3']);
    queue.release(committed[0]?.id ?? 0);
    queue.release(committed[2]?.id ?? 0);
    expect(outbox.depth).toBe(3);
    await turn();
    expect(outbox.oldest(10, new Set()).map((m) => m.id)).toEqual([committed[1]?.id]);
    // What is still waiting when the process stops is committed, not dropped.
    queue.enqueue({ kind: 'ack', topic: topics.ack('c-4'), ts: 2, build: () => ({}) }, () => undefined);
    queue.flush();
    expect(outbox.depth).toBe(2);
    outbox.close();
  });
});
