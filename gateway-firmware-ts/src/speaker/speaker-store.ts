import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Database, type SqliteDb, type Statement } from '../queue/sqlite.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS seen_ids (id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS slots (
  entry_id TEXT NOT NULL,
  scheduled_at INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  PRIMARY KEY (entry_id, scheduled_at)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

/** Slot records older than this are dropped: the missed-slot look-back never reaches that far. */
export const SLOT_MEMORY_MS = 8 * 24 * 3600 * 1000;

export type SlotOutcome = 'started' | 'missed';

/**
 * The loudspeaker role's durable memory (SQLite in the data dir): message ids already accepted (replay
 * protection, kept until they expire), which schedule slots were started or reported missed (each slot is
 * handled once across restarts), and when the role was last alive (to find slots missed while it was down).
 */
export class SpeakerStore {
  private readonly db: SqliteDb;
  private readonly insertId: Statement;
  private readonly insertSlot: Statement;
  private readonly selectSlot: Statement;
  private readonly upsertMeta: Statement;
  private readonly selectMeta: Statement;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // A replayed emergency after a power cut is worse than an fsync per accepted message.
    this.db.pragma('synchronous = FULL');
    this.db.exec(SCHEMA);
    this.insertId = this.db.prepare('INSERT OR IGNORE INTO seen_ids (id, expires_at) VALUES (?, ?)');
    this.insertSlot = this.db.prepare(
      'INSERT OR IGNORE INTO slots (entry_id, scheduled_at, outcome) VALUES (?, ?, ?)',
    );
    this.selectSlot = this.db.prepare('SELECT outcome FROM slots WHERE entry_id = ? AND scheduled_at = ?');
    this.upsertMeta = this.db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    this.selectMeta = this.db.prepare('SELECT value FROM meta WHERE key = ?');
  }

  /** Records a message id; false when it was seen before (a replay). Check and record are one statement. */
  claimId(id: string, expiresAt: number): boolean {
    return this.insertId.run(id, expiresAt).changes === 1;
  }

  /** Records what became of a slot; false when it was already handled (started or reported missed). */
  claimSlot(entryId: string, scheduledAt: number, outcome: SlotOutcome): boolean {
    return this.insertSlot.run(entryId, scheduledAt, outcome).changes === 1;
  }

  slotOutcome(entryId: string, scheduledAt: number): SlotOutcome | undefined {
    const row = this.selectSlot.get(entryId, scheduledAt) as { outcome: SlotOutcome } | undefined;
    return row?.outcome;
  }

  /** Last time the role was known to be running; undefined on the first boot. */
  get aliveAt(): number | undefined {
    const row = this.selectMeta.get('alive_at') as { value: number } | undefined;
    return row?.value;
  }

  markAlive(now: number): void {
    this.upsertMeta.run('alive_at', now);
  }

  /** Drops expired ids (an expired message is refused anyway) and slot records past the look-back. */
  prune(now: number): void {
    this.db.prepare('DELETE FROM seen_ids WHERE expires_at < ?').run(now);
    this.db.prepare('DELETE FROM slots WHERE scheduled_at < ?').run(now - SLOT_MEMORY_MS);
  }

  get seenIdCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM seen_ids').get() as { n: number }).n;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
