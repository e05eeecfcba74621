import type { AreaDirectory, AudioCatalog } from '../app/env.js';
import { type BroadcastLog, type ClusterInfo, buildBroadcastLog } from './broadcast-log.js';
import type { BroadcastRecordSource } from './broadcast-records.js';
import { DAY_MS, localDayStart } from './local-time.js';
import type { PlaybackEventSource } from './playback-source.js';

export interface BroadcastLogQuery {
  areaId: string;
  /** Local dates yyyy-mm-dd, both inclusive. */
  from: string;
  to: string;
}

export type ClusterLookup = (id: string) => { name: string | null; areaId: string | null } | undefined;

export interface ReportDeps {
  areas: AreaDirectory;
  audio: AudioCatalog;
  /** The registry's name and placement of a cluster. */
  cluster: ClusterLookup;
  playback: PlaybackEventSource;
  broadcasts: BroadcastRecordSource;
  now?: () => number;
}

/** Clusters in the area's subtree, each with the name of the area it is placed in. */
export function clustersOf(areas: AreaDirectory, areaId: string, lookup: ClusterLookup): ClusterInfo[] {
  return areas.clustersIn(areaId).map((id) => {
    const found = lookup(id);
    const placed = found?.areaId ? areas.get(found.areaId) : undefined;
    return { id, name: found?.name ?? id, areaId: placed?.id ?? null, areaName: placed?.name ?? '' };
  });
}

export function broadcastLogFor(deps: ReportDeps, q: BroadcastLogQuery): BroadcastLog {
  const area = deps.areas.get(q.areaId);
  const from = localDayStart(q.from);
  const to = localDayStart(q.to) + DAY_MS;
  const clusters = clustersOf(deps.areas, q.areaId, deps.cluster);
  // Ends of plays that started before `to` arrive after it: read a little past the period.
  const events = deps.playback.between(
    clusters.map((c) => c.id),
    from - DAY_MS,
    to + DAY_MS,
  );
  return buildBroadcastLog({
    areaId: q.areaId,
    areaName: area?.name ?? q.areaId,
    from,
    to,
    clusters,
    events,
    broadcasts: deps.broadcasts,
    titleOfAudio: (id) => deps.audio.get(id)?.title,
    now: deps.now?.() ?? Date.now(),
  });
}
