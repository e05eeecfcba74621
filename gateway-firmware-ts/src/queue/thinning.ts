import { TelemetryPayloadSchema } from '@xaso/device-profiles/contract';
import type { SqliteDb } from './sqlite.js';

export interface ThinningOutcome {
  fromTs: number;
  toTs: number;
  removed: number;
  keptEvery: number;
}

interface Row {
  id: number;
  ts: number;
  payload: string;
  bytes: number;
}

/**
 * Halves the oldest half of the queued telemetry (keeps every other batch) until `excess()` is no longer
 * positive; kept batches carry `thinned` with the span they now stand for. Runs inside the caller's transaction.
 */
export function thinOldestTelemetry(db: SqliteDb, excess: () => number): ThinningOutcome | null {
  const select = db.prepare(
    "SELECT id, ts, payload, bytes FROM outbox WHERE kind = 'telemetry' ORDER BY id LIMIT ?",
  );
  const countTelemetry = db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'telemetry'");
  const remove = db.prepare('DELETE FROM outbox WHERE id = ?');
  const update = db.prepare('UPDATE outbox SET payload = ?, bytes = ? WHERE id = ?');
  let removedBytes = 0;
  let outcome = null as ThinningOutcome | null;
  while (excess() - removedBytes > 0) {
    const total = (countTelemetry.get() as { n: number }).n;
    if (total < 2) break;
    const rows = select.all(Math.max(2, Math.floor(total / 2))) as Row[];
    let keptEvery = 2;
    for (let i = 0; i + 1 < rows.length; i += 2) {
      const kept = rows[i] as Row;
      const dropped = rows[i + 1] as Row;
      const batch = TelemetryPayloadSchema.parse(JSON.parse(kept.payload));
      const droppedSpan = TelemetryPayloadSchema.parse(JSON.parse(dropped.payload)).thinned;
      // The kept batch now stands for every batch either one stood for: a sum, not a doubling, because the
      // oldest batch is thinned again on every pass and doubling it overflowed after ~53 passes of a full disk.
      const factor = (batch.thinned?.keptEvery ?? 1) + (droppedSpan?.keptEvery ?? 1);
      keptEvery = Math.max(keptEvery, factor);
      batch.thinned = {
        fromTs: batch.thinned?.fromTs ?? kept.ts,
        toTs: droppedSpan?.toTs ?? dropped.ts,
        keptEvery: factor,
      };
      const payload = JSON.stringify(batch);
      const bytes = Buffer.byteLength(payload);
      update.run(payload, bytes, kept.id);
      remove.run(dropped.id);
      removedBytes += dropped.bytes + kept.bytes - bytes;
      outcome = {
        fromTs: Math.min(outcome?.fromTs ?? kept.ts, kept.ts),
        toTs: Math.max(outcome?.toTs ?? dropped.ts, dropped.ts),
        removed: (outcome?.removed ?? 0) + 1,
        keptEvery: Math.max(outcome?.keptEvery ?? 2, keptEvery),
      };
    }
  }
  return outcome;
}
