import { z } from '@hono/zod-openapi';
import type { DeviceRecord } from '@xaso/broker';
import type { SessionUser } from '../app/env.js';
import { areaCentre, conditionOf } from '../live/live-device.js';
import type { FleetRead } from './fleet-overview.js';

export const StateCountsSchema = z
  .object({
    total: z.number().int(),
    online: z.number().int(),
    /** Not online: offline, disabled or never heard from. */
    offline: z.number().int(),
    /** Online and playing (also counted in online). */
    playing: z.number().int(),
    /** Online with a fault reported (also counted in online). */
    fault: z.number().int(),
    disabled: z.number().int(),
  })
  .openapi('StateCounts');

const KindCountsSchema = z.object({
  'speaker-cluster': StateCountsSchema,
  'sensor-gateway': StateCountsSchema,
});

export const AreaSummarySchema = z
  .object({
    areaId: z.string(),
    parentId: z.string().nullable(),
    name: z.string(),
    kind: z.enum(['province', 'commune', 'village', 'other']),
    /** The area's coordinates, or its nearest ancestor's: where a summary marker stands. */
    centre: z.object({ lat: z.number(), lon: z.number() }).nullable(),
    /** Devices placed in the area or anywhere under it that you may see. */
    devices: KindCountsSchema,
  })
  .openapi('AreaSummary');

export const DeviceSummarySchema = z
  .object({
    at: z.number().int(),
    /** Every device counted (in the asked area, or all you may see). */
    total: KindCountsSchema,
    /** Devices placed in no area (only without an area filter). */
    unplaced: KindCountsSchema,
    /** Areas you act in or that hold devices you see, parents before children. */
    areas: z.array(AreaSummarySchema),
  })
  .openapi('DeviceSummary');

export type StateCounts = z.infer<typeof StateCountsSchema>;
export type KindCounts = z.infer<typeof KindCountsSchema>;
export type DeviceSummary = z.infer<typeof DeviceSummarySchema>;

const noCounts = (): StateCounts => ({ total: 0, online: 0, offline: 0, playing: 0, fault: 0, disabled: 0 });
const noKindCounts = (): KindCounts => ({ 'speaker-cluster': noCounts(), 'sensor-gateway': noCounts() });

function add(counts: StateCounts, c: ReturnType<typeof conditionOf>): void {
  counts.total++;
  if (c.online) counts.online++;
  else counts.offline++;
  if (c.playing) counts.playing++;
  if (c.fault) counts.fault++;
  if (c.disabled) counts.disabled++;
}

export interface SummaryScope {
  user: SessionUser;
  /** Only this area and below. */
  area?: string | undefined;
  kind?: DeviceRecord['role'] | undefined;
}

/** Counts per area (rolled up over its subtree) by kind and state, from one whole-fleet read. */
export function summarize(read: FleetRead, scope: SummaryScope, at: number): DeviceSummary {
  const visible = read.visibleTo(scope.user);
  const inScope = scope.area === undefined ? undefined : read.areas.subtree(scope.area);
  const presence = read.presence();
  const total = noKindCounts();
  const unplaced = noKindCounts();
  const perArea = new Map<string, KindCounts>();
  for (const { record } of read.entries) {
    if (scope.kind !== undefined && record.role !== scope.kind) continue;
    if (inScope && (record.areaId === null || !inScope.has(record.areaId))) continue;
    if (!visible(record)) continue;
    const condition = conditionOf(record, presence.get(record.id), read.playback(record.id));
    add(total[record.role], condition);
    if (record.areaId === null || !read.areas.get(record.areaId)) {
      add(unplaced[record.role], condition);
      continue;
    }
    for (const area of read.areas.ancestry(record.areaId)) {
      if (inScope && !inScope.has(area.id)) break;
      let counts = perArea.get(area.id);
      if (!counts) {
        counts = noKindCounts();
        perArea.set(area.id, counts);
      }
      add(counts[record.role], condition);
    }
  }
  // Empty areas too where the user works (technicians work everywhere), so a quiet commune still shows.
  const worksIn = (areaId: string) =>
    scope.user.roles.includes('technician') || read.areas.userMayAct(scope.user, areaId);
  const listed = read.areas
    .list()
    .filter((a) => (inScope === undefined || inScope.has(a.id)) && (perArea.has(a.id) || worksIn(a.id)))
    .sort((a, b) => depth(read, a.id) - depth(read, b.id) || a.name.localeCompare(b.name, 'vi'));
  return {
    at,
    total,
    unplaced,
    areas: listed.map((a) => ({
      areaId: a.id,
      parentId: a.parentId,
      name: a.name,
      kind: a.kind,
      centre: areaCentre(read.areas.ancestry(a.id)) ?? null,
      devices: perArea.get(a.id) ?? noKindCounts(),
    })),
  };
}

function depth(read: FleetRead, id: string): number {
  return read.areas.ancestry(id).length;
}
