import { decodeMessage, filters } from '@xaso/device-profiles/contract';
import type { Status } from '@xaso/device-profiles/contract';
import type { Logger } from 'pino';
import type { Uplink } from '../app/env.js';
import type { CollectorState, PresenceRow } from './collector-state.js';

export interface Presence {
  state: 'online' | 'offline';
  /** When the device produced the status. */
  ts: number;
  receivedAt: number;
  status: Status;
  source: 'uplink' | 'collector';
}

/**
 * The latest retained status per device, live from the uplink; the collector's state DB fills in devices
 * the console has not heard from since it started.
 */
export class PresenceBoard {
  private readonly latest = new Map<string, Presence>();
  /** Collector rows already turned into Presence (the collector keeps unchanged rows between reads). */
  private readonly fromRows = new WeakMap<PresenceRow, Presence>();
  private readonly listeners = new Set<(deviceId: string, presence: Presence) => void>();

  constructor(
    private readonly log: Logger,
    private readonly collector?: CollectorState,
    private readonly now: () => number = Date.now,
  ) {}

  async follow(uplink: Uplink): Promise<void> {
    await uplink.subscribe(filters.allStatus, (topic, payload) => this.onStatus(topic, payload));
  }

  /** Called for every newer status the uplink delivers; returns the unsubscribe function. */
  onChange(listener: (deviceId: string, presence: Presence) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(deviceId: string): Presence | undefined {
    return this.latest.get(deviceId) ?? this.fromCollector(deviceId);
  }

  /**
   * Every device's presence at once: what the uplink delivered, the collector's rows for the rest.
   * One query instead of one per device.
   */
  all(): Map<string, Presence> {
    const out = new Map<string, Presence>();
    for (const [id, row] of this.collector?.allPresence() ?? []) {
      let presence = this.fromRows.get(row);
      if (!presence) {
        presence = { ...row, status: row.status as Status, source: 'collector' };
        this.fromRows.set(row, presence);
      }
      out.set(id, presence);
    }
    for (const [id, presence] of this.latest) out.set(id, presence);
    return out;
  }

  private onStatus(topic: string, payload: Buffer): void {
    if (payload.length === 0) return;
    const decoded = decodeMessage(topic, payload);
    if (!decoded.ok || decoded.kind !== 'status') {
      this.log.warn({ topic, error: decoded.ok ? 'not a status' : decoded.error }, 'status ignored');
      return;
    }
    const status = decoded.message as Status;
    const previous = this.latest.get(status.deviceId);
    if (previous && previous.ts > status.ts) return;
    const presence: Presence = {
      state: status.state,
      ts: status.ts,
      receivedAt: this.now(),
      status,
      source: 'uplink',
    };
    this.latest.set(status.deviceId, presence);
    for (const listener of this.listeners) {
      try {
        listener(status.deviceId, presence);
      } catch (err) {
        this.log.warn({ deviceId: status.deviceId, err: (err as Error).message }, 'presence listener failed');
      }
    }
  }

  private fromCollector(deviceId: string): Presence | undefined {
    const row = this.collector?.presence(deviceId);
    return row && { ...row, status: row.status as Status, source: 'collector' };
  }
}
