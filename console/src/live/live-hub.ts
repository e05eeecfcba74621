import type { DeviceRecord, Registry } from '@xaso/broker';
import type { Logger } from 'pino';
import type { FleetView, SessionUser } from '../app/env.js';
import type { AreaIndex } from '../devices/area-index.js';
import type { CatalogueEntry } from '../devices/fleet-catalogue.js';
import { areaCentre, ringPosition, toLiveDevice } from './live-device.js';
import type { LiveDevice, LiveUpdate } from './live-schemas.js';
import type { PlaybackBoard } from './playback-board.js';

export interface LiveHubDeps {
  registry: Registry;
  fleet: FleetView;
  log: Logger;
  /** Playback events, sooner than statuses; absent in contexts that do not follow them. */
  playback?: PlaybackBoard;
  /** How often registry changes (placed, disabled, deleted) are looked for while someone listens. */
  registryPollMs: number;
}

type Listener = (update: LiveUpdate) => void;

/** Which part of the fleet a stream shows: what the user may see, optionally one area's subtree or one kind. */
export interface LiveScope {
  user: SessionUser;
  /** Area ids of the subtree asked for (undefined: everywhere). */
  areaIds?: ReadonlySet<string> | undefined;
  kind?: DeviceRecord['role'] | undefined;
}

/**
 * The fleet as the map sees it. Presence changes arrive from the PresenceBoard as they happen; registry
 * changes are read from its change feed. Both are followed only while at least one stream is open.
 */
export class LiveHub {
  private readonly listeners = new Set<Listener>();
  private stopPresence: (() => void) | undefined;
  private stopPlayback: (() => void) | undefined;
  private poll: NodeJS.Timeout | undefined;
  private cursor = 0;
  /** Fallback places of devices without a surveyed position, ringed around their area's centre. */
  private ring = new Map<string, { lat: number; lon: number }>();
  /** Devices the ring was laid out for; a new one means laying it out again. */
  private laidOut = new Set<string>();

  constructor(private readonly deps: LiveHubDeps) {}

  /**
   * Every device in scope, from one whole-fleet read (a few queries, presence in bulk) rather than
   * several queries per device.
   */
  snapshot(scope: LiveScope): LiveDevice[] {
    const read = this.deps.fleet.overview.read();
    this.ring = this.layoutRing(read.entries, read.areas);
    const visible = read.visibleTo(scope.user);
    const presence = read.presence();
    const out: LiveDevice[] = [];
    for (const { record, details } of read.entries) {
      if (scope.kind !== undefined && record.role !== scope.kind) continue;
      if (scope.areaIds && (record.areaId === null || !scope.areaIds.has(record.areaId))) continue;
      if (!visible(record)) continue;
      out.push(
        toLiveDevice({
          record,
          details,
          presence: presence.get(record.id),
          fallback: this.ring.get(record.id),
          playback: read.playback(record.id),
        }),
      );
    }
    return out;
  }

  device(id: string): LiveDevice | undefined {
    const record = this.deps.registry.getDevice(id);
    if (!record) return undefined;
    if (!this.laidOut.has(id)) this.relayout();
    return this.live(record);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  close(): void {
    this.listeners.clear();
    this.stop();
  }

  private start(): void {
    this.cursor = this.deps.registry.changeCursor();
    this.stopPresence = this.deps.fleet.presence.onChange((id) => this.changed(id));
    this.stopPlayback = this.deps.playback?.onChange((id) => this.changed(id));
    this.poll = setInterval(() => this.readRegistryChanges(), this.deps.registryPollMs);
    this.poll.unref();
  }

  private stop(): void {
    this.stopPresence?.();
    this.stopPresence = undefined;
    this.stopPlayback?.();
    this.stopPlayback = undefined;
    clearInterval(this.poll);
    this.poll = undefined;
  }

  private readRegistryChanges(): void {
    try {
      const { cursor, changes } = this.deps.registry.changesSince(this.cursor);
      this.cursor = cursor;
      if (changes.length > 0) this.relayout();
      for (const id of new Set(changes.map((c) => c.deviceId))) this.changed(id);
    } catch (err) {
      this.deps.log.warn({ err: (err as Error).message }, 'registry change feed not readable');
    }
  }

  private changed(id: string): void {
    const device = this.device(id);
    const update: LiveUpdate = device ? { kind: 'device', device } : { kind: 'removed', id };
    for (const listener of this.listeners) listener(update);
  }

  private live(record: DeviceRecord): LiveDevice {
    const { presence, details } = this.deps.fleet;
    return toLiveDevice({
      record,
      details: details.get(record.id),
      presence: presence.get(record.id),
      fallback: this.ring.get(record.id),
      playback: this.deps.playback?.get(record.id),
    });
  }

  private relayout(): void {
    const read = this.deps.fleet.overview.read();
    this.ring = this.layoutRing(read.entries, read.areas);
  }

  private layoutRing(
    entries: readonly CatalogueEntry[],
    areas: AreaIndex,
  ): Map<string, { lat: number; lon: number }> {
    this.laidOut = new Set(entries.map((e) => e.record.id));
    const byArea = new Map<string, string[]>();
    for (const { record, details } of entries) {
      if (record.areaId === null || details.position) continue;
      const ids = byArea.get(record.areaId);
      if (ids) ids.push(record.id);
      else byArea.set(record.areaId, [record.id]);
    }
    const ring = new Map<string, { lat: number; lon: number }>();
    for (const [areaId, ids] of byArea) {
      const centre = areaCentre(areas.ancestry(areaId));
      if (!centre) continue;
      ids.sort().forEach((id, i) => ring.set(id, ringPosition(centre, i, ids.length)));
    }
    return ring;
  }
}
