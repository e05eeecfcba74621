import { ScheduleSchema, topics } from '@xaso/device-profiles/contract';
import type { Ack, PlaylistItem, Schedule, ScheduleEntry } from '@xaso/device-profiles/contract';
import type { ConsoleContext } from '../../app/env.js';
import { resolveTarget } from '../targets.js';
import { DAY_MS, TIMEZONE } from '../time.js';
import { startRules } from './recurrence.js';
import type { ScheduleRecord } from './schedule-record.js';
import type { ScheduleStore } from './schedule-store.js';

/** A retained schedule stays valid this long; every change republishes it with a fresh expiry. */
export const SCHEDULE_TTL_MS = 400 * DAY_MS;
const MAX_ENTRIES = 500;

export interface ClusterSync {
  clusterId: string;
  version: number;
  entries: number;
  publishedAt: number;
  ackedVersion: number | null;
  ackedStatus: string | null;
  ackedAt: number | null;
  reason: string | null;
  state: 'in-sync' | 'pending' | 'refused';
}

interface SyncRow {
  cluster_id: string;
  version: number;
  entries: number;
  published_at: number;
  acked_version: number | null;
  acked_status: string | null;
  acked_at: number | null;
  reason: string | null;
}

function toSync(r: SyncRow): ClusterSync {
  const refused = r.acked_status === 'refused' || r.acked_status === 'failed';
  return {
    clusterId: r.cluster_id,
    version: r.version,
    entries: r.entries,
    publishedAt: r.published_at,
    ackedVersion: r.acked_version,
    ackedStatus: r.acked_status,
    ackedAt: r.acked_at,
    reason: r.reason,
    state: refused ? 'refused' : r.acked_version === r.version ? 'in-sync' : 'pending',
  };
}

type Deps = Pick<ConsoleContext, 'db' | 'registry' | 'areas' | 'audio' | 'signer' | 'uplink' | 'log'>;

/** Compiles every active schedule of a cluster into one signed, versioned, retained contract Schedule. */
export class Programme {
  constructor(
    private readonly deps: Deps,
    private readonly store: ScheduleStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Active schedules per cluster, resolving each target once. */
  schedulesByCluster(): Map<string, ScheduleRecord[]> {
    const map = new Map<string, ScheduleRecord[]>();
    for (const s of this.store.list('active')) {
      let clusters: string[];
      try {
        clusters = resolveTarget(this.deps, s.target).clusters;
      } catch {
        // A target emptied since saving (area without clusters, cluster removed) simply plays nowhere.
        continue;
      }
      for (const c of clusters) map.set(c, [...(map.get(c) ?? []), s]);
    }
    return map;
  }

  entriesFor(schedules: readonly ScheduleRecord[]): ScheduleEntry[] {
    const entries: ScheduleEntry[] = [];
    for (const s of schedules) {
      const playlist = s.playlist.flatMap((id): PlaylistItem[] => {
        const item = this.deps.audio.get(id);
        return item
          ? [{ audioId: item.id, path: item.path, durationMs: item.durationMs, title: item.title }]
          : [];
      });
      if (playlist.length === 0) {
        this.deps.log.warn({ scheduleId: s.id }, 'schedule has no audio left in the library; left out');
        continue;
      }
      startRules(s.recurrence).forEach((rule, i) => {
        entries.push({
          id: i === 0 ? s.id : `${s.id}.${i}`,
          broadcastId: s.id,
          title: s.title,
          ...rule,
          validFrom: s.validFrom,
          ...(s.validTo === null ? {} : { validTo: s.validTo }),
          playlist,
          volume: s.volume,
          priority: s.priority,
        });
      });
    }
    return entries.slice(0, MAX_ENTRIES);
  }

  /** Publishes a new version to each cluster (publishes in parallel); returns the versions sent. */
  async publish(clusters: Iterable<string>): Promise<Map<string, number>> {
    const byCluster = this.schedulesByCluster();
    const now = this.now();
    const compiled = [...new Set(clusters)].map((clusterId) => {
      const entries = this.entriesFor(byCluster.get(clusterId) ?? []);
      const version = Math.max((this.sync(clusterId)?.version ?? 0) + 1, now);
      const schedule: Schedule = ScheduleSchema.parse(
        this.deps.signer.sign(
          { v: 1, deviceId: clusterId, version, timezone: TIMEZONE, entries },
          'console',
          SCHEDULE_TTL_MS,
        ),
      );
      return { clusterId, version, entries: entries.length, payload: JSON.stringify(schedule) };
    });
    const upsert = this.deps.db.prepare(
      `INSERT INTO broadcast_cluster_schedules (cluster_id, version, entries, published_at)
       VALUES (?, ?, ?, ?) ON CONFLICT (cluster_id) DO UPDATE SET version = excluded.version,
       entries = excluded.entries, published_at = excluded.published_at`,
    );
    // Recorded before publishing: a fast gateway acks before our PUBACK is back, and recordAck drops acks
    // for a version it does not know yet.
    this.deps.db.transaction(() => {
      for (const c of compiled) upsert.run(c.clusterId, c.version, c.entries, now);
    })();
    await Promise.all(
      compiled.map((c) =>
        this.deps.uplink.publish(topics.schedule(c.clusterId), c.payload, { qos: 1, retain: true }),
      ),
    );
    return new Map(compiled.map((c) => [c.clusterId, c.version]));
  }

  /** Records a gateway's answer about a schedule version; answers about superseded versions only move acked. */
  recordAck(ack: Ack): void {
    if (ack.ref.kind !== 'schedule') return;
    const current = this.sync(ack.deviceId);
    if (!current || ack.ref.version > current.version) return;
    const bad = ack.status === 'refused' || ack.status === 'failed';
    if (ack.ref.version === current.version) {
      this.deps.db
        .prepare(
          `UPDATE broadcast_cluster_schedules SET acked_status = ?, acked_at = ?, reason = ?,
             acked_version = ? WHERE cluster_id = ?`,
        )
        .run(
          ack.status,
          ack.ts,
          ack.reason ?? null,
          bad ? current.ackedVersion : current.version,
          ack.deviceId,
        );
    } else if (!bad && ack.ref.version > (current.ackedVersion ?? -1)) {
      this.deps.db
        .prepare('UPDATE broadcast_cluster_schedules SET acked_version = ? WHERE cluster_id = ?')
        .run(ack.ref.version, ack.deviceId);
    }
  }

  sync(clusterId: string): ClusterSync | undefined {
    const row = this.deps.db
      .prepare('SELECT * FROM broadcast_cluster_schedules WHERE cluster_id = ?')
      .get(clusterId) as SyncRow | undefined;
    return row ? toSync(row) : undefined;
  }

  syncAll(): ClusterSync[] {
    const rows = this.deps.db
      .prepare('SELECT * FROM broadcast_cluster_schedules ORDER BY cluster_id')
      .all() as SyncRow[];
    return rows.map(toSync);
  }
}
