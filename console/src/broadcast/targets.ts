import { DeviceIdSchema, GroupIdSchema } from '@xaso/device-profiles/contract';
import { z } from 'zod';
import type { ConsoleContext, SessionUser } from '../app/env.js';
import { BroadcastError } from './errors.js';

/** Who a broadcast is for: one cluster, a registry group, or an administrative area (and below). */
export const TargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cluster'), clusterId: DeviceIdSchema }),
  z.object({ kind: z.literal('group'), groupId: GroupIdSchema }),
  z.object({ kind: z.literal('area'), areaId: GroupIdSchema }),
]);
export type Target = z.infer<typeof TargetSchema>;

/** Where one publish goes: a cluster's own command topic or a group fan-out topic. */
export type Fanout = { kind: 'device'; deviceId: string } | { kind: 'group'; groupId: string };

export interface ResolvedTarget {
  target: Target;
  clusters: string[];
  /** Areas the clusters sit in; permissions and approval are decided on these. */
  areaIds: string[];
  fanout: Fanout[];
}

type Deps = Pick<ConsoleContext, 'registry' | 'areas'>;

function speakers(deps: Deps) {
  return deps.registry.listDevices().filter((d) => d.role === 'speaker-cluster' && !d.disabled);
}

/** Resolves a target to its clusters; unknown or empty targets are a 404 naming the field. */
export function resolveTarget(deps: Deps, target: Target, field = 'target'): ResolvedTarget {
  switch (target.kind) {
    case 'cluster': {
      const device = deps.registry.getDevice(target.clusterId);
      if (!device || device.role !== 'speaker-cluster')
        throw new BroadcastError(
          404,
          `${field}.clusterId: no loudspeaker cluster "${target.clusterId}"`,
          `${field}.clusterId`,
        );
      return {
        target,
        clusters: [device.id],
        areaIds: device.areaId ? [device.areaId] : [],
        fanout: [{ kind: 'device', deviceId: device.id }],
      };
    }
    case 'group': {
      const members = speakers(deps).filter((d) => d.groups.includes(target.groupId));
      if (members.length === 0)
        throw new BroadcastError(
          404,
          `${field}.groupId: no loudspeaker cluster is in group "${target.groupId}"`,
          `${field}.groupId`,
        );
      const areaIds = [...new Set(members.flatMap((d) => (d.areaId ? [d.areaId] : [])))];
      return {
        target,
        clusters: members.map((d) => d.id).sort(),
        areaIds,
        fanout: [{ kind: 'group', groupId: target.groupId }],
      };
    }
    case 'area': {
      if (!deps.areas.get(target.areaId))
        throw new BroadcastError(404, `${field}.areaId: no area "${target.areaId}"`, `${field}.areaId`);
      const clusters = deps.areas.clustersIn(target.areaId);
      return {
        target,
        clusters: [...clusters].sort(),
        areaIds: [target.areaId],
        fanout: [{ kind: 'group', groupId: target.areaId }],
      };
    }
  }
}

/** A target that resolves to no cluster (an area not yet equipped) cannot be broadcast to. */
export function requireClusters(resolved: ResolvedTarget, field = 'target'): void {
  if (resolved.clusters.length > 0) return;
  const at = resolved.target.kind === 'area' ? `${field}.areaId` : field;
  throw new BroadcastError(422, `${at}: there is no loudspeaker cluster there yet`, at);
}

/** Operators act only within their areas; a cluster outside any area is for admins only. */
export function assertMayAct(
  deps: Deps,
  user: SessionUser,
  resolved: ResolvedTarget,
  field = 'target',
): void {
  if (user.roles.includes('admin')) return;
  const outside =
    resolved.areaIds.length === 0
      ? ['(no area)']
      : resolved.areaIds.filter((a) => !deps.areas.userMayAct(user, a));
  if (outside.length > 0)
    throw new BroadcastError(403, `${field}: you may not broadcast in ${outside.join(', ')}`, field);
}

/** Approval applies when the area or any area above it asks for it. */
export function needsApproval(deps: Deps, resolved: ResolvedTarget): boolean {
  return resolved.areaIds.some((id) => deps.areas.ancestry(id).some((a) => a.requiresApproval));
}
