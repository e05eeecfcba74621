import type { Ack, DeviceEvent, Status } from '@xaso/device-profiles/contract';
import type { SqliteDatabase, SqliteStatement } from '../sqlite.js';

/** Presence, events and acks: tables the console reads; every write is idempotent under redelivery. */
export class DeviceRecords {
  private readonly upsertPresence: SqliteStatement;
  private readonly insertEvent: SqliteStatement;
  private readonly insertAck: SqliteStatement;

  constructor(db: SqliteDatabase) {
    // A late (older) status never overwrites a newer one: retained statuses can arrive after live ones.
    this.upsertPresence = db.prepare(`
      INSERT INTO device_presence (device_id, state, ts, received_at, role, firmware, status)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (device_id) DO UPDATE SET
        state = excluded.state, ts = excluded.ts, received_at = excluded.received_at,
        role = coalesce(excluded.role, role), firmware = coalesce(excluded.firmware, firmware),
        status = excluded.status
      WHERE excluded.ts >= device_presence.ts`);
    this.insertEvent = db.prepare(
      'INSERT OR IGNORE INTO events (device_id, seq, ts, kind, body, received_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.insertAck = db.prepare(
      `INSERT OR IGNORE INTO acks (device_id, ref_kind, ref_id, status, ts, reason, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  presence(s: Status, receivedAt: number): void {
    this.upsertPresence.run(
      s.deviceId,
      s.state,
      s.ts,
      receivedAt,
      s.role ?? null,
      s.firmware ?? null,
      JSON.stringify(s),
    );
  }

  /** True when the event is new; (device, seq) identifies it, so a redelivery inserts nothing. */
  event(e: DeviceEvent, receivedAt: number): boolean {
    return (
      this.insertEvent.run(e.deviceId, e.seq, e.ts, e.event.kind, JSON.stringify(e.event), receivedAt)
        .changes > 0
    );
  }

  ack(a: Ack, receivedAt: number): boolean {
    const refId = a.ref.kind === 'command' ? a.ref.commandId : String(a.ref.version);
    return (
      this.insertAck.run(a.deviceId, a.ref.kind, refId, a.status, a.ts, a.reason ?? null, receivedAt)
        .changes > 0
    );
  }
}
