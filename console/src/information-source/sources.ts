import type { Registry, SqliteDatabase } from '@xaso/broker';
import type { Priority } from '@xaso/device-profiles/contract';
import type { Area, AreaDirectory } from '../app/env.js';
import type { DevicePresence, PlaybackEventSource } from '../reports/playback-source.js';

/** A station's schedule item as the broadcast module describes it (times in epoch ms). */
export interface ScheduleSummary {
  id: string;
  title: string;
  priority: Priority;
  recurrence: string;
  cron: string | null;
  startsAt: number | null;
  validFrom: number | null;
  validTo: number | null;
  durationMs: number;
  clusterIds: string[];
}

/** What the broadcast module must provide for the province: active schedules touching these clusters. */
export interface ScheduleSummarySource {
  forClusters(clusterIds: readonly string[]): ScheduleSummary[];
}

export interface ClusterFacts {
  id: string;
  name: string;
  stationAreaId: string | null;
  lat: number | null;
  lon: number | null;
  disabled: boolean;
  presence: DevicePresence | undefined;
}

/** Everything the exchange reads from the rest of the console; built from the ConsoleContext. */
export interface InformationSourceSources {
  areas: AreaDirectory;
  registry: Registry;
  db: SqliteDatabase;
  collector: PlaybackEventSource | null;
  schedules: ScheduleSummarySource | null;
}

/** The commune an area belongs to: the station is the commune's radio (đài truyền thanh cấp xã). */
export function stationOf(areas: AreaDirectory, areaId: string | null): Area | undefined {
  if (!areaId) return undefined;
  return areas.ancestry(areaId).find((a) => a.kind === 'commune');
}

export function stations(areas: AreaDirectory): Area[] {
  return areas.list().filter((a) => a.kind === 'commune');
}

/** Positions placed by the devices API (console core table); absent table or row → null. */
function positions(db: SqliteDatabase): Map<string, { lat: number | null; lon: number | null }> {
  const present = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'console_devices'")
    .get();
  if (!present) return new Map();
  const rows = db.prepare('SELECT id, lat, lon FROM console_devices').all() as {
    id: string;
    lat: number | null;
    lon: number | null;
  }[];
  return new Map(rows.map((r) => [r.id, { lat: r.lat, lon: r.lon }]));
}

export function clusters(src: InformationSourceSources): ClusterFacts[] {
  const placed = positions(src.db);
  const presence = src.collector?.presence() ?? new Map<string, DevicePresence>();
  return src.registry
    .listDevices()
    .filter((d) => d.role === 'speaker-cluster')
    .map((d) => {
      const area = d.areaId ? src.areas.get(d.areaId) : undefined;
      const at = placed.get(d.id);
      return {
        id: d.id,
        name: d.name ?? d.id,
        stationAreaId: stationOf(src.areas, d.areaId)?.id ?? null,
        lat: at?.lat ?? area?.lat ?? null,
        lon: at?.lon ?? area?.lon ?? null,
        disabled: d.disabled,
        presence: presence.get(d.id),
      };
    });
}
