import type { SqliteDatabase } from '@xaso/broker';
import { decodeMessage, filters } from '@xaso/device-profiles/contract';
import type { DeviceEvent } from '@xaso/device-profiles/contract';
import type { Logger } from 'pino';
import type { Uplink } from '../app/env.js';

/** What a cluster last said about playing, from its playback events (sooner than its next status). */
export interface Playback {
  /** When the event happened on the device. */
  ts: number;
  playing: {
    broadcastId: string;
    title: string | null;
    priority: 'emergency' | 'priority' | 'normal';
    startedAt: number;
  } | null;
}

const ENDS = new Set(['end', 'failed', 'interrupted']);

/**
 * Follows every gateway's playback events: a start marks the cluster playing, an end, failure or
 * interruption marks it idle. Statuses come once a minute; these come as the speaker starts.
 */
export class PlaybackBoard {
  private readonly latest = new Map<string, Playback>();
  private readonly listeners = new Set<(deviceId: string) => void>();

  constructor(
    private readonly log: Logger,
    /** The broadcast's title as the console knows it (null when it does not). */
    private readonly titleOf: (broadcastId: string) => string | null,
  ) {}

  async follow(uplink: Uplink): Promise<void> {
    await uplink.subscribe(filters.allEvents, (topic, payload) => this.onEvent(topic, payload));
  }

  get(deviceId: string): Playback | undefined {
    return this.latest.get(deviceId);
  }

  onChange(listener: (deviceId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private onEvent(topic: string, payload: Buffer): void {
    const decoded = decodeMessage(topic, payload);
    if (!decoded.ok || decoded.kind !== 'event') return;
    const { deviceId, ts, event } = decoded.message as DeviceEvent;
    if (event.kind !== 'playback' || (event.phase !== 'start' && !ENDS.has(event.phase))) return;
    const previous = this.latest.get(deviceId);
    // Queued events arrive late after an outage: an older event never overrides a newer one.
    if (previous && previous.ts > ts) return;
    let title: string | null = null;
    if (event.phase === 'start') {
      try {
        title = this.titleOf(event.broadcastId);
      } catch (err) {
        this.log.debug({ broadcastId: event.broadcastId, err: (err as Error).message }, 'no broadcast title');
      }
    }
    this.latest.set(deviceId, {
      ts,
      playing:
        event.phase === 'start'
          ? { broadcastId: event.broadcastId, title, priority: event.priority, startedAt: ts }
          : null,
    });
    for (const listener of this.listeners) listener(deviceId);
  }
}

/**
 * Titles from the broadcast module's table (read-only: the request as it was submitted). A console
 * without that module gets null titles, and the map says "untitled".
 */
export function broadcastTitles(db: SqliteDatabase): (broadcastId: string) => string | null {
  return (broadcastId) => {
    const row = db.prepare('SELECT request FROM broadcasts WHERE id = ?').get(broadcastId) as
      | { request: string }
      | undefined;
    if (!row) return null;
    const title = (JSON.parse(row.request) as { title?: unknown }).title;
    return typeof title === 'string' && title !== '' ? title : null;
  };
}
