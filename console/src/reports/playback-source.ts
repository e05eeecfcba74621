import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DeviceEventBodySchema, type PlaybackEventSchema } from '@xaso/device-profiles/contract';
import type { z } from 'zod';

export type PlaybackBody = z.infer<typeof PlaybackEventSchema>;

/** One proof-of-broadcast event as the collector stored it (exactly once per device and seq). */
export interface PlaybackEvent {
  deviceId: string;
  seq: number;
  ts: number;
  receivedAt: number;
  body: PlaybackBody;
}

/** Where reports and the information source read proof of broadcast from. */
export interface PlaybackEventSource {
  /** Playback events of these devices with ts in [from, to), ordered by device then time. */
  between(deviceIds: readonly string[], from: number, to: number): PlaybackEvent[];
  /** Events received after the cursor (the collector's received_at, then device/seq), for incremental export. */
  receivedAfter(
    cursor: PlaybackCursor,
    limit: number,
  ): { events: PlaybackEvent[]; cursor: PlaybackCursor; skipped: number };
  /** The latest status of each device, as the collector keeps it. */
  presence(): Map<string, DevicePresence>;
  close(): void;
}

export interface DevicePresence {
  state: 'online' | 'offline';
  ts: number;
  /** The full retained status JSON (speaker state inside). */
  status: unknown;
}

export interface PlaybackCursor {
  receivedAt: number;
  deviceId: string;
  seq: number;
}
export const START_CURSOR: PlaybackCursor = { receivedAt: 0, deviceId: '', seq: -1 };

interface ReadonlyDb {
  prepare(sql: string): { all(...params: unknown[]): unknown[] };
  close(): void;
}
type ReadonlyDbConstructor = new (
  path: string,
  options: { readonly: boolean; fileMustExist: boolean; timeout: number },
) => ReadonlyDb;
const Database = createRequire(import.meta.url)('better-sqlite3') as ReadonlyDbConstructor;

interface EventRow {
  device_id: string;
  seq: number;
  ts: number;
  body: string;
  received_at: number;
}

export class PlaybackSourceError extends Error {}

/**
 * Opens the collector's state DB read-only: the collector owns it and writes it; the console only
 * reads the `events` table. A body that no longer parses is skipped and counted, never thrown.
 */
export function openPlaybackSource(stateDbPath: string): PlaybackEventSource {
  if (!existsSync(stateDbPath)) {
    throw new PlaybackSourceError(
      `collector state DB not found at ${stateDbPath} (config: collectorStateDb)`,
    );
  }
  const db = new Database(stateDbPath, { readonly: true, fileMustExist: true, timeout: 5000 });
  const betweenStmt = db.prepare(
    `SELECT device_id, seq, ts, body, received_at FROM events
     WHERE kind = 'playback' AND ts >= ? AND ts < ? AND device_id IN (SELECT value FROM json_each(?))
     ORDER BY device_id, ts, seq`,
  );
  const afterStmt = db.prepare(
    `SELECT device_id, seq, ts, body, received_at FROM events
     WHERE kind = 'playback' AND (received_at, device_id, seq) > (?, ?, ?)
     ORDER BY received_at, device_id, seq LIMIT ?`,
  );
  const presenceStmt = db.prepare('SELECT device_id, state, ts, status FROM device_presence');
  return {
    presence() {
      const rows = presenceStmt.all() as { device_id: string; state: string; ts: number; status: string }[];
      return new Map(
        rows.map((r) => [
          r.device_id,
          { state: r.state === 'online' ? 'online' : 'offline', ts: r.ts, status: safeJson(r.status) },
        ]),
      );
    },
    between(deviceIds, from, to) {
      const rows = betweenStmt.all(from, to, JSON.stringify(deviceIds)) as EventRow[];
      return decode(rows).events;
    },
    receivedAfter(cursor, limit) {
      const rows = afterStmt.all(cursor.receivedAt, cursor.deviceId, cursor.seq, limit) as EventRow[];
      const last = rows.at(-1);
      const next = last ? { receivedAt: last.received_at, deviceId: last.device_id, seq: last.seq } : cursor;
      return { ...decode(rows), cursor: next };
    },
    close() {
      db.close();
    },
  };
}

function decode(rows: EventRow[]): { events: PlaybackEvent[]; skipped: number } {
  const events: PlaybackEvent[] = [];
  let skipped = 0;
  for (const row of rows) {
    const parsed = DeviceEventBodySchema.safeParse(safeJson(row.body));
    if (!parsed.success || parsed.data.kind !== 'playback') {
      skipped++;
      continue;
    }
    events.push({
      deviceId: row.device_id,
      seq: row.seq,
      ts: row.ts,
      receivedAt: row.received_at,
      body: parsed.data,
    });
  }
  return { events, skipped };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A source over a state DB the collector may not have created yet: opened on first use, and until it
 * exists reads answer "nothing yet" while `available()` says so.
 */
export function lazyPlaybackSource(stateDbPath: string): PlaybackEventSource & { available(): boolean } {
  let opened: PlaybackEventSource | null = null;
  const source = (): PlaybackEventSource | null => {
    if (!opened && existsSync(stateDbPath)) opened = openPlaybackSource(stateDbPath);
    return opened;
  };
  return {
    available: () => source() !== null,
    between: (ids, from, to) => source()?.between(ids, from, to) ?? [],
    receivedAfter: (cursor, limit) =>
      source()?.receivedAfter(cursor, limit) ?? { events: [], cursor, skipped: 0 },
    presence: () => source()?.presence() ?? new Map(),
    close: () => opened?.close(),
  };
}
