import { describe, expect, it } from 'vitest';
import { SequenceTracker } from '../../../collector/src/ingest/sequence-tracker.js';
import { StalledGaps } from '../../../collector/src/ingest/stalled-gaps.js';
import { openStateDb } from '../../../collector/src/state/state-db.js';

describe('StalledGaps: a gap left open asks for one reconnect', () => {
  const T = Date.UTC(2026, 10, 30, 8);

  it('reports a gap once it has been open staleMs, once only; a filled gap or a first-seen offset never', () => {
    const db = openStateDb(':memory:');
    const tracker = new SequenceTracker(db);
    const gaps = new StalledGaps(db, 60_000, T);
    // First message ever at seq 5: seqs 0..4 are "before-first", not known missing.
    tracker.check('cl-1', 'telemetry', 5, T, T + 1000);
    expect(gaps.check(T + 120_000)).toBe(false);
    // seq 7 after 5: seq 6 is missing (a real gap), detected at T + 130 s.
    tracker.check('cl-1', 'telemetry', 7, T + 2, T + 130_000);
    expect(gaps.check(T + 150_000)).toBe(false);
    expect(gaps.check(T + 191_000)).toBe(true);
    expect(gaps.check(T + 400_000)).toBe(false);
    // A gap that is filled before it goes stale asks for nothing.
    tracker.check('cl-1', 'telemetry', 9, T + 4, T + 500_000);
    tracker.check('cl-1', 'telemetry', 8, T + 3, T + 510_000);
    expect(gaps.check(T + 600_000)).toBe(false);
  });

  it('ignores gaps from before the collector started (they were open across a reconnect already)', () => {
    const db = openStateDb(':memory:');
    const tracker = new SequenceTracker(db);
    tracker.check('st-1', 'telemetry', 1, T, T);
    tracker.check('st-1', 'telemetry', 3, T + 2, T + 1000);
    const gaps = new StalledGaps(db, 60_000, T + 5000);
    expect(gaps.check(T + 500_000)).toBe(false);
  });
});
