import { randomUUID } from 'node:crypto';
import { migrate, openDatabase } from '@xaso/broker';
import type { Ack } from '@xaso/device-profiles/contract';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DeliveryTracker } from '../../../console/src/broadcast/delivery/tracker.js';
import { BroadcastStore } from '../../../console/src/broadcast/live/broadcast-store.js';
import { BROADCAST_NAMESPACE, broadcastMigrations } from '../../../console/src/broadcast/migrations.js';

function setup() {
  const db = openDatabase(':memory:');
  migrate(db, BROADCAST_NAMESPACE, broadcastMigrations);
  let clock = 1_000_000;
  const tracker = new DeliveryTracker(db, pino({ level: 'silent' }), 60_000, () => clock);
  const advance = (ms: number) => {
    clock += ms;
  };
  return { db, tracker, advance, now: () => clock };
}

const ack = (deviceId: string, commandId: string, status: Ack['status'], reason?: string): Ack => ({
  v: 1,
  deviceId,
  ref: { kind: 'command', commandId },
  status,
  ts: 1,
  ...(reason ? { reason } : {}),
});

describe('delivery tracker', () => {
  it('counts answers per status with latencies, lists the silent, and ignores strangers', () => {
    const { tracker, advance, now } = setup();
    const cmd = randomUUID();
    tracker.track('b1', [cmd], ['c1', 'c2', 'c3'], now());
    advance(40);
    expect(tracker.record(ack('c1', cmd, 'received'))).toBe(true);
    advance(10);
    tracker.record(ack('c1', cmd, 'playing'));
    tracker.record(ack('c2', cmd, 'refused', 'expired'));
    // An ack from a cluster that was not targeted, or for an unknown command, changes nothing.
    expect(tracker.record(ack('c9', cmd, 'received'))).toBe(false);
    expect(tracker.record(ack('c3', randomUUID(), 'received'))).toBe(false);
    // A late "received" after "playing" does not move the state back.
    tracker.record(ack('c1', cmd, 'received'));
    const p = tracker.progress('b1');
    expect(p).toMatchObject({
      expected: 3,
      answered: 2,
      delivered: false,
      finished: false,
      silent: ['c3'],
      counts: { received: 0, playing: 1, done: 0, failed: 0, refused: 1 },
      receivedLatencyMs: { p50: 40, p99: 50, max: 50 },
    });
    expect(p?.clusters.find((c) => c.clusterId === 'c2')).toMatchObject({
      status: 'refused',
      reason: 'expired',
    });
  });

  it('writes ack rows in one batch on flush and rebuilds progress from the tables later', () => {
    const { db, tracker, now } = setup();
    const cmd = randomUUID();
    new BroadcastStore(db).save({
      id: 'b2',
      kind: 'play',
      priority: 'emergency',
      targets: [{ kind: 'area', areaId: 'xa-a' }],
      request: {
        kind: 'play',
        targets: [{ kind: 'area', areaId: 'xa-a' }],
        playlist: ['a'.repeat(64)],
        repeat: 1,
        priority: 'emergency',
      },
      status: 'sent',
      origin: 'console',
      clusters: ['c1', 'c2'],
      commandIds: [cmd],
      createdBy: 'admin',
      createdAt: now(),
      approvedBy: null,
      decidedAt: null,
      decisionNote: null,
      sentAt: now(),
    });
    tracker.track('b2', [cmd], ['c1', 'c2'], now());
    for (const s of ['received', 'playing', 'done'] as const) tracker.record(ack('c1', cmd, s));
    const count = () =>
      (db.prepare('SELECT count(*) AS n FROM broadcast_deliveries').get() as { n: number }).n;
    expect(count()).toBe(0);
    tracker.flush();
    expect(count()).toBe(3);

    const fresh = new DeliveryTracker(db, pino({ level: 'silent' }));
    expect(fresh.progress('b2')).toMatchObject({ answered: 1, silent: ['c2'], counts: { done: 1 } });
    expect(fresh.progress('nope')).toBeUndefined();
  });
});
