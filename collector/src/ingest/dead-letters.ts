import type { SqliteDatabase, SqliteStatement } from '../sqlite.js';

export const DEAD_LETTER_PAYLOAD_CHARS = 4096;

export interface DeadLetter {
  id: number;
  stage: string;
  topic: string;
  payload: string;
  payloadBytes: number;
  reason: string;
  receivedAt: number;
}

/** Messages that could not be used, kept with the reason (truncated payload) for the console and operators. */
export class DeadLetters {
  private readonly insert: SqliteStatement;

  constructor(private readonly db: SqliteDatabase) {
    this.insert = db.prepare(
      'INSERT INTO dead_letters (stage, topic, payload, payload_bytes, reason, received_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  add(stage: string, topic: string, payload: Buffer, reason: string, receivedAt: number): void {
    const text = payload
      .subarray(0, DEAD_LETTER_PAYLOAD_CHARS * 4)
      .toString('utf8')
      .slice(0, DEAD_LETTER_PAYLOAD_CHARS);
    this.insert.run(stage, topic.slice(0, 1024), text, payload.length, reason.slice(0, 2000), receivedAt);
  }

  list(limit = 100): DeadLetter[] {
    return this.db
      .prepare<{
        id: number;
        stage: string;
        topic: string;
        payload: string;
        payload_bytes: number;
        reason: string;
        received_at: number;
      }>('SELECT * FROM dead_letters ORDER BY id DESC LIMIT ?')
      .all(limit)
      .map((r) => ({
        id: r.id,
        stage: r.stage,
        topic: r.topic,
        payload: r.payload,
        payloadBytes: r.payload_bytes,
        reason: r.reason,
        receivedAt: r.received_at,
      }));
  }
}
