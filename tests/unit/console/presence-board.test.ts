import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topics } from '@xaso/device-profiles/contract';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { openStateDb } from '../../../collector/src/state/state-db.js';
import type { Uplink } from '../../../console/src/app/env.js';
import { CollectorState } from '../../../console/src/devices/collector-state.js';
import { PresenceBoard } from '../../../console/src/devices/presence-board.js';

/** Records the handler so the test can deliver messages as the broker would. */
class HandUplink implements Uplink {
  handlers: ((topic: string, payload: Buffer) => void)[] = [];
  async publish(): Promise<void> {}
  async subscribe(_filter: string, handler: (topic: string, payload: Buffer) => void): Promise<void> {
    this.handlers.push(handler);
  }
  deliver(topic: string, body: unknown): void {
    for (const h of this.handlers) h(topic, Buffer.from(JSON.stringify(body)));
  }
}

describe('PresenceBoard', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('keeps the newest status per device and ignores older or malformed ones', async () => {
    const uplink = new HandUplink();
    const board = new PresenceBoard(pino({ level: 'silent' }));
    await board.follow(uplink);
    uplink.deliver(topics.status('loa-1'), { v: 1, deviceId: 'loa-1', state: 'online', ts: 2000 });
    uplink.deliver(topics.status('loa-1'), { v: 1, deviceId: 'loa-1', state: 'offline', ts: 1000 });
    uplink.deliver(topics.status('loa-1'), { v: 1, deviceId: 'loa-2', state: 'offline', ts: 3000 });
    expect(board.get('loa-1')).toMatchObject({ state: 'online', ts: 2000, source: 'uplink' });
    expect(board.get('loa-2')).toBeUndefined();
  });

  it('falls back to the collector state DB, opened read-only once it exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xs-presence-'));
    dirs.push(dir);
    const file = join(dir, 'state.sqlite');
    const collector = new CollectorState(file, pino({ level: 'silent' }));
    const board = new PresenceBoard(pino({ level: 'silent' }), collector);
    expect(board.get('tram-1')).toBeUndefined();
    expect(collector.events('tram-1', 10)).toBeUndefined();

    const state = openStateDb(file);
    const status = { v: 1, deviceId: 'tram-1', state: 'offline', ts: 5000, reason: 'last-will' };
    state
      .prepare(
        'INSERT INTO device_presence (device_id, state, ts, received_at, role, firmware, status) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run('tram-1', 'offline', 5000, 5100, null, null, JSON.stringify(status));
    const insert = state.prepare(
      'INSERT INTO events (device_id, seq, ts, kind, body, received_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (let seq = 1; seq <= 3; seq++)
      insert.run(
        'tram-1',
        seq,
        1000 * seq,
        'fault',
        JSON.stringify({ kind: 'fault', code: `f${seq}` }),
        1000 * seq + 5,
      );
    state.close();

    expect(board.get('tram-1')).toMatchObject({
      state: 'offline',
      ts: 5000,
      receivedAt: 5100,
      source: 'collector',
    });
    expect(board.get('nobody')).toBeUndefined();
    expect(collector.events('tram-1', 2)?.map((e) => e.seq)).toEqual([3, 2]);
    expect(collector.events('tram-1', 10, 2)).toEqual([
      { seq: 1, ts: 1000, kind: 'fault', body: { kind: 'fault', code: 'f1' }, receivedAt: 1005 },
    ]);
    collector.close();
  });
});
