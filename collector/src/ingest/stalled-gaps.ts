import type { SqliteDatabase, SqliteStatement } from '../sqlite.js';

/**
 * Finds sequence gaps that stayed open: later messages of the device arrived, the missing ones did not.
 * A broker may still hold them as "in flight" to a connection that died under it (aedes can deliver to a
 * client object that a session takeover is closing), and MQTT 3.1.1 resends those only when the
 * subscriber reconnects. Each gap is reported once: afterwards it is just a recorded gap.
 */
export class StalledGaps {
  private readonly newest: SqliteStatement<{ newest: number | null }>;
  private handledUpTo: number;

  constructor(
    db: SqliteDatabase,
    private readonly staleMs: number,
    now = Date.now(),
  ) {
    this.newest = db.prepare(
      "SELECT max(detected_at) AS newest FROM seq_gaps WHERE origin = 'gap' AND detected_at > ? AND detected_at <= ?",
    );
    // Gaps from before this start were open across a reconnect already.
    this.handledUpTo = now;
  }

  /** True when a gap detected since the last call has now been open for staleMs. */
  check(now = Date.now()): boolean {
    const until = now - this.staleMs;
    if (until <= this.handledUpTo) return false;
    const row = this.newest.get(this.handledUpTo, until);
    this.handledUpTo = until;
    return row?.newest !== null && row?.newest !== undefined;
  }
}
