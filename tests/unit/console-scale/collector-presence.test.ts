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

const silent = pino({ level: 'silent' });
const dirs: string[] = [];

function stateFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'xs-presence-bulk-'));
  dirs.push(dir);
  return join(dir, 'state.sqlite');
}

function writePresence(file: string, rows: { id: string; state: 'online' | 'offline'; ts: number }[]): void {
  const db = openStateDb(file);
  const upsert = db.prepare(
    `INSERT INTO device_presence (device_id, state, ts, received_at, role, firmware, status) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (device_id) DO UPDATE SET state = excluded.state, ts = excluded.ts, received_at = excluded.received_at,
       status = excluded.status`,
  );
  db.transaction(() => {
    for (const r of rows)
      upsert.run(
        r.id,
        r.state,
        r.ts,
        r.ts + 1,
        null,
        null,
        JSON.stringify({ v: 1, deviceId: r.id, state: r.state, ts: r.ts }),
      );
  })();
  db.close();
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('presence of the whole fleet in bulk', () => {
  it('reads every row once, then re-reads only rows that changed and drops deleted ones', () => {
    const file = stateFile();
    writePresence(
      file,
      Array.from({ length: 40 }, (_, i) => ({ id: `loa-${i}`, state: 'online' as const, ts: 1000 })),
    );
    const collector = new CollectorState(file, silent);
    const first = collector.allPresence();
    expect(first.size).toBe(40);
    expect(collector.allPresence()).toBe(first);

    writePresence(file, [{ id: 'loa-3', state: 'offline', ts: 2000 }]);
    const db = openStateDb(file);
    db.prepare("DELETE FROM device_presence WHERE device_id = 'loa-7'").run();
    db.close();
    const second = collector.allPresence();
    expect(second.size).toBe(39);
    expect(second.has('loa-7')).toBe(false);
    expect(second.get('loa-3')).toMatchObject({ state: 'offline', ts: 2000, status: { state: 'offline' } });
    // Unchanged rows are the same objects: their statuses were not parsed again.
    expect(second.get('loa-1')).toBe(first.get('loa-1'));
    collector.close();
  });

  it('lets what the uplink delivered win over the collector, as get() does', async () => {
    const file = stateFile();
    writePresence(file, [
      { id: 'loa-1', state: 'offline', ts: 1000 },
      { id: 'loa-2', state: 'online', ts: 1000 },
    ]);
    const handlers: ((topic: string, payload: Buffer) => void)[] = [];
    const uplink: Uplink = {
      publish: async () => undefined,
      subscribe: async (_filter, handler) => {
        handlers.push(handler);
      },
    };
    const board = new PresenceBoard(silent, new CollectorState(file, silent));
    await board.follow(uplink);
    const status = { v: 1, deviceId: 'loa-1', state: 'online', ts: 3000 };
    for (const h of handlers) h(topics.status('loa-1'), Buffer.from(JSON.stringify(status)));
    const all = board.all();
    expect(all.get('loa-1')).toMatchObject({ state: 'online', source: 'uplink' });
    expect(all.get('loa-2')).toMatchObject({ state: 'online', source: 'collector' });
    for (const id of ['loa-1', 'loa-2']) expect(all.get(id)).toEqual(board.get(id));
    expect(board.all().get('loa-2')).toBe(all.get('loa-2'));
  });
});
