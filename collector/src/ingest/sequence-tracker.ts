import type { SqliteDatabase, SqliteStatement } from '../sqlite.js';

export type SequenceVerdict =
  | {
      accept: true;
      reason: 'first' | 'next' | 'gap-opened' | 'gap-filled' | 'before-first' | 'counter-reset';
      gap?: [number, number];
    }
  | { accept: false; reason: 'duplicate' };

interface GapRow {
  from_seq: number;
  to_seq: number;
  detected_at: number;
  origin: string;
}

/**
 * Dedupe and gap detection per (device, topic kind): a persistent high-water mark plus the ranges
 * still missing below it (including everything below the first seq seen, origin 'before-first'). A seq at or below the mark is new only if it falls in a missing range
 * (a backlog drain filling a gap); anything else there is a redelivery. A lower seq with a newer
 * timestamp than the mark's means the device's counter restarted, and starts a new run.
 * Call every method inside the message's transaction.
 */
export class SequenceTracker {
  private readonly getMark: SqliteStatement<{ last_seq: number; last_ts: number }>;
  private readonly setMark: SqliteStatement;
  private readonly findGap: SqliteStatement<GapRow>;
  private readonly insertGap: SqliteStatement;
  private readonly deleteGap: SqliteStatement;
  private readonly logGap: SqliteStatement;
  private readonly clearGaps: SqliteStatement;

  constructor(db: SqliteDatabase) {
    this.getMark = db.prepare('SELECT last_seq, last_ts FROM sequences WHERE device_id = ? AND kind = ?');
    this.setMark = db.prepare(
      'INSERT OR REPLACE INTO sequences (device_id, kind, last_seq, last_ts) VALUES (?, ?, ?, ?)',
    );
    this.findGap = db.prepare(
      'SELECT from_seq, to_seq, detected_at, origin FROM seq_gaps WHERE device_id = ? AND kind = ? AND from_seq <= ? AND to_seq >= ?',
    );
    this.insertGap = db.prepare(
      'INSERT INTO seq_gaps (device_id, kind, from_seq, to_seq, detected_at, origin) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.deleteGap = db.prepare('DELETE FROM seq_gaps WHERE device_id = ? AND kind = ? AND from_seq = ?');
    this.logGap = db.prepare(
      'INSERT INTO seq_gap_history (device_id, kind, from_seq, to_seq, detected_at, note) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.clearGaps = db.prepare('DELETE FROM seq_gaps WHERE device_id = ? AND kind = ?');
  }

  check(deviceId: string, kind: string, seq: number, ts: number, now: number): SequenceVerdict {
    const mark = this.getMark.get(deviceId, kind);
    if (!mark) {
      // Lower seqs may still come (a backlog, or messages reordered across connections): accept each once.
      if (seq > 0) this.insertGap.run(deviceId, kind, 0, seq - 1, now, 'before-first');
      this.setMark.run(deviceId, kind, seq, ts);
      return { accept: true, reason: 'first' };
    }
    if (seq === mark.last_seq + 1) {
      this.setMark.run(deviceId, kind, seq, ts);
      return { accept: true, reason: 'next' };
    }
    if (seq > mark.last_seq) {
      const gap: [number, number] = [mark.last_seq + 1, seq - 1];
      this.insertGap.run(deviceId, kind, gap[0], gap[1], now, 'gap');
      this.logGap.run(deviceId, kind, gap[0], gap[1], now, 'missing');
      this.setMark.run(deviceId, kind, seq, ts);
      return { accept: true, reason: 'gap-opened', gap };
    }
    const gap = this.findGap.get(deviceId, kind, seq, seq);
    if (gap) {
      this.deleteGap.run(deviceId, kind, gap.from_seq);
      if (gap.from_seq < seq)
        this.insertGap.run(deviceId, kind, gap.from_seq, seq - 1, gap.detected_at, gap.origin);
      if (seq < gap.to_seq)
        this.insertGap.run(deviceId, kind, seq + 1, gap.to_seq, gap.detected_at, gap.origin);
      return { accept: true, reason: gap.origin === 'gap' ? 'gap-filled' : 'before-first' };
    }
    if (ts > mark.last_ts) {
      this.clearGaps.run(deviceId, kind);
      this.logGap.run(deviceId, kind, seq, mark.last_seq, now, 'counter-reset');
      this.setMark.run(deviceId, kind, seq, ts);
      return { accept: true, reason: 'counter-reset' };
    }
    return { accept: false, reason: 'duplicate' };
  }
}
