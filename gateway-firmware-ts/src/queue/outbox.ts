import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Database, type SqliteDb, type Statement } from './sqlite.js';
import { type ThinningOutcome, thinOldestTelemetry } from './thinning.js';

/** Sequenced kinds get a per-topic counter; acks carry their own reference instead. */
export type OutboxKind = 'telemetry' | 'event' | 'ack';

export interface QueuedMessage {
  id: number;
  kind: OutboxKind;
  topic: string;
  seq: number | null;
  ts: number;
  payload: string;
}

/** One message to commit: `build` gets the message's sequence number inside the transaction. */
export interface OutboxEntry {
  kind: OutboxKind;
  topic: string;
  ts: number;
  build: (seq: number | null) => object;
}

export interface OutboxOptions {
  file: string;
  diskBudgetBytes: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  topic TEXT NOT NULL,
  seq INTEGER,
  ts INTEGER NOT NULL,
  payload TEXT NOT NULL,
  bytes INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (kind TEXT PRIMARY KEY, seq INTEGER NOT NULL);
`;

/**
 * The store-and-forward queue: every message is committed (WAL, synchronous=FULL) before it is
 * published and deleted only after the broker's PUBACK, so a crash or power cut loses nothing acknowledged.
 */
export class Outbox {
  private readonly db: SqliteDb;
  private readonly insert: Statement;
  private readonly bumpSeq: Statement;
  private readonly readSeq: Statement;
  private readonly deleteOne: Statement;
  private readonly selectRange: Statement;
  private readonly selectTotals: Statement;
  private readonly selectMaxId: Statement;
  private readonly commitMany: (entries: readonly OutboxEntry[]) => QueuedMessage[];
  private readonly deleteMany: (ids: readonly number[]) => void;
  private totalBytes = 0;
  private count = 0;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: OutboxOptions) {
    mkdirSync(dirname(options.file), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(SCHEMA);
    this.insert = this.db.prepare(
      'INSERT INTO outbox (kind, topic, seq, ts, payload, bytes) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.bumpSeq = this.db.prepare(
      'INSERT INTO counters (kind, seq) VALUES (?, 0) ON CONFLICT(kind) DO UPDATE SET seq = seq + 1 RETURNING seq',
    );
    this.readSeq = this.db.prepare('SELECT seq FROM counters WHERE kind = ?');
    // Statements and the commit transactions are built once: a speaker gateway commits four rows per command.
    this.deleteOne = this.db.prepare('DELETE FROM outbox WHERE id = ? RETURNING bytes');
    this.selectRange = this.db.prepare(
      'SELECT id, kind, topic, seq, ts, payload FROM outbox WHERE id > ? AND id <= ? ORDER BY id LIMIT ?',
    );
    this.selectTotals = this.db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS b FROM outbox');
    this.selectMaxId = this.db.prepare('SELECT COALESCE(MAX(id), 0) AS m FROM outbox');
    const commitRow = ({ kind, topic, ts, build }: OutboxEntry): QueuedMessage => {
      const seq = kind === 'ack' ? null : (this.bumpSeq.get(kind) as { seq: number }).seq;
      const payload = JSON.stringify(build(seq));
      const bytes = Buffer.byteLength(payload);
      const info = this.insert.run(kind, topic, seq, ts, payload, bytes);
      this.totalBytes += bytes;
      this.count += 1;
      return { id: Number(info.lastInsertRowid), kind, topic, seq, ts, payload };
    };
    this.commitMany = this.db.transaction((entries: readonly OutboxEntry[]) => entries.map(commitRow));
    this.deleteMany = this.db.transaction((ids: readonly number[]) => {
      for (const id of ids) this.deleteRow(id);
    });
    this.recount();
  }

  /** Commits one message; `build` gets the next per-kind sequence number inside the same transaction. */
  enqueue(kind: OutboxKind, topic: string, ts: number, build: (seq: number | null) => object): QueuedMessage {
    const [message] = this.enqueueMany([{ kind, topic, ts, build }]);
    return message as QueuedMessage;
  }

  /** Commits several messages in one transaction (one fsync), in order: all of them or, on an error, none. */
  enqueueMany(entries: readonly OutboxEntry[]): QueuedMessage[] {
    if (entries.length === 0) return [];
    const messages = this.atomically(() => this.commitMany(entries));
    for (const listener of this.listeners) listener();
    return messages;
  }

  /** Last sequence number handed out for a kind (-1 when none yet). */
  lastSeq(kind: 'telemetry' | 'event'): number {
    const row = this.readSeq.get(kind) as { seq: number } | undefined;
    return row?.seq ?? -1;
  }

  /** Oldest messages first, skipping ids already on their way. */
  oldest(
    limit: number,
    skip: ReadonlySet<number>,
    maxId = Number.MAX_SAFE_INTEGER,
    minId = 0,
  ): QueuedMessage[] {
    if (!this.db.open) return [];
    const rows = this.selectRange.all(minId, maxId, limit + skip.size) as QueuedMessage[];
    return rows.filter((r) => !skip.has(r.id)).slice(0, limit);
  }

  /** Removes a message once the broker acknowledged it. */
  remove(id: number): void {
    if (!this.db.open) return;
    this.deleteRow(id);
  }

  /** Removes several acknowledged messages in one transaction. */
  removeMany(ids: readonly number[]): void {
    if (!this.db.open || ids.length === 0) return;
    this.atomically(() => this.deleteMany(ids));
  }

  /** A transaction that rolls back leaves the running totals as they were on disk. */
  private atomically<T>(run: () => T): T {
    try {
      return run();
    } catch (err) {
      this.recount();
      throw err;
    }
  }

  private recount(): void {
    const totals = this.selectTotals.get() as { n: number; b: number };
    this.count = totals.n;
    this.totalBytes = totals.b;
  }

  private deleteRow(id: number): void {
    const row = this.deleteOne.get(id) as { bytes: number } | undefined;
    if (!row) return;
    this.totalBytes -= row.bytes;
    this.count -= 1;
  }

  maxId(): number {
    if (!this.db.open) return 0;
    const row = this.selectMaxId.get() as { m: number };
    return row.m;
  }

  get depth(): number {
    return this.count;
  }

  /** Payload bytes queued: the figure the disk budget applies to. */
  get bytes(): number {
    return this.totalBytes;
  }

  get overBudget(): boolean {
    return this.totalBytes > this.options.diskBudgetBytes;
  }

  /** Downsamples the oldest telemetry until the queue fits its budget; events are never thinned. */
  thinToBudget(): ThinningOutcome | null {
    if (!this.overBudget) return null;
    const outcome = this.db.transaction(() =>
      thinOldestTelemetry(this.db, () => this.totalBytes - this.options.diskBudgetBytes),
    )();
    if (outcome) {
      this.recount();
    }
    return outcome;
  }

  /** Called after every enqueue, so the forwarder can send at once. */
  onEnqueue(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** False once closed: a late callback (a PUBACK, a link coming up during shutdown) then finds nothing. */
  get isOpen(): boolean {
    return this.db.open;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
