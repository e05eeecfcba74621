import type { ConsoleContext, SessionUser } from '../../app/env.js';
import { assertMayAct, needsApproval, requireClusters, resolveTarget } from '../targets.js';
import type { Fanout, ResolvedTarget, Target } from '../targets.js';

export interface Reach {
  clusters: string[];
  fanout: Fanout[];
  needsApproval: boolean;
}

type Deps = Pick<ConsoleContext, 'registry' | 'areas'>;

/**
 * Resolves every target, checks the user may act on each, and picks the fewest publishes: a group topic
 * that adds no cluster beyond bigger ones already chosen (a village inside its commune) is dropped.
 */
export function reach(deps: Deps, user: SessionUser | null, targets: readonly Target[]): Reach {
  const resolved: ResolvedTarget[] = targets.map((t, i) => {
    const r = resolveTarget(deps, t, `targets.${i}`);
    if (user) assertMayAct(deps, user, r, `targets.${i}`);
    requireClusters(r, `targets.${i}`);
    return r;
  });
  const covered = new Set<string>();
  const fanout: Fanout[] = [];
  const bySize = [...resolved].sort(
    (a, b) =>
      Number(a.fanout[0]?.kind === 'device') - Number(b.fanout[0]?.kind === 'device') ||
      b.clusters.length - a.clusters.length,
  );
  for (const r of bySize) {
    if (r.clusters.every((c) => covered.has(c))) continue;
    for (const c of r.clusters) covered.add(c);
    fanout.push(...r.fanout);
  }
  return {
    clusters: [...covered].sort(),
    fanout,
    needsApproval: resolved.some((r) => needsApproval(deps, r)),
  };
}
