import { openDatabase } from '@xaso/broker';
import { describe, expect, it } from 'vitest';
import {
  Outbox,
  SyncState,
  migrateInformationSource,
} from '../../../console/src/information-source/store.js';

function open() {
  const db = openDatabase(':memory:');
  migrateInformationSource(db);
  return { db, outbox: new Outbox(db), state: new SyncState(db) };
}

describe('information source outbox', () => {
  it('coalesces state messages on their key and keeps every log message', () => {
    const { outbox } = open();
    outbox.enqueue(
      { method: 'PUT', path: '/clusters/loa-1', body: { state: 'hoat-dong' }, key: 'cluster:loa-1' },
      1,
    );
    outbox.enqueue({ method: 'POST', path: '/playback-logs', body: { n: 1 } }, 2);
    outbox.enqueue(
      { method: 'PUT', path: '/clusters/loa-1', body: { state: 'mat-ket-noi' }, key: 'cluster:loa-1' },
      3,
    );
    outbox.enqueue({ method: 'POST', path: '/playback-logs', body: { n: 2 } }, 4);
    const due = outbox.due(10, 100);
    expect(due.map((m) => [m.path, JSON.parse(m.body)])).toEqual([
      ['/clusters/loa-1', { state: 'mat-ket-noi' }],
      ['/playback-logs', { n: 1 }],
      ['/playback-logs', { n: 2 }],
    ]);
  });

  it('holds failed messages until their retry time, reports them, and deletes only delivered ones', () => {
    const { outbox } = open();
    outbox.enqueue({ method: 'POST', path: '/playback-logs', body: { n: 1 } }, 100);
    outbox.enqueue({ method: 'POST', path: '/bulletins/b1/receipts', body: { s: 'da-nhan' } }, 101);
    const [first, second] = outbox.due(200, 10);
    outbox.failed(first?.id ?? -1, 'HTTP 400 trường thiếu', 10_000);
    outbox.delivered(second?.id ?? -1);
    expect(outbox.due(200, 10)).toEqual([]);
    expect(outbox.depth()).toEqual({ messages: 1, oldestAt: 100, lastError: 'HTTP 400 trường thiếu' });
    expect(outbox.due(10_000, 10).map((m) => m.attempts)).toEqual([1]);
    outbox.retryAllNow(300);
    expect(outbox.due(300, 10)).toHaveLength(1);
  });

  it('remembers cursors and whether published state changed', () => {
    const { state } = open();
    expect(state.cursor('playback')).toBeNull();
    state.setCursor('playback', '{"receivedAt":5}');
    state.setCursor('playback', '{"receivedAt":9}');
    expect(state.cursor('playback')).toBe('{"receivedAt":9}');
    expect(state.changed('station:xa-a', 'd1', 1)).toBe(true);
    expect(state.changed('station:xa-a', 'd1', 2)).toBe(false);
    expect(state.changed('station:xa-a', 'd2', 3)).toBe(true);
  });
});
