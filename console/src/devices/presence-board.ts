import { decodeMessage, filters } from '@xaso/device-profiles/contract';
import type { Status } from '@xaso/device-profiles/contract';
import type { Logger } from 'pino';
import type { Uplink } from '../app/env.js';
import type { CollectorState } from './collector-state.js';

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

  constructor(
    private readonly log: Logger,
    private readonly collector?: CollectorState,
    private readonly now: () => number = Date.now,
  ) {}

  async follow(uplink: Uplink): Promise<void> {
    await uplink.subscribe(filters.allStatus, (topic, payload) => this.onStatus(topic, payload));
  }

  get(deviceId: string): Presence | undefined {
    return this.latest.get(deviceId) ?? this.fromCollector(deviceId);
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
    this.latest.set(status.deviceId, {
      state: status.state,
      ts: status.ts,
      receivedAt: this.now(),
      status,
      source: 'uplink',
    });
  }

  private fromCollector(deviceId: string): Presence | undefined {
    const row = this.collector?.presence(deviceId);
    return row && { ...row, status: row.status as Status, source: 'collector' };
  }
}
