import { createRequire } from 'node:module';
import { join } from 'node:path';

interface Db {
  prepare(sql: string): { get(...p: unknown[]): unknown };
  close(): void;
}
const require = createRequire(import.meta.url);
const Database = require('better-sqlite3') as new (file: string, opts?: { readonly?: boolean }) => Db;

/** Reads a gateway's queue file from outside: how many messages wait, and the last seq handed out per kind. */
export function inspectQueue(dataDir: string): { depth: number; lastSeq: Record<string, number> } {
  const db = new Database(join(dataDir, 'queue.sqlite'));
  try {
    const depth = (db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
    const seqOf = (kind: string) =>
      (db.prepare('SELECT seq FROM counters WHERE kind = ?').get(kind) as { seq: number } | undefined)?.seq ??
      -1;
    return { depth, lastSeq: { telemetry: seqOf('telemetry'), event: seqOf('event') } };
  } finally {
    db.close();
  }
}
