import type { Target, TargetArea } from './broadcast-api.js';

/** The area tree the pickers draw, built from the flat list `/api/broadcast-targets` returns. */
export interface AreaNode {
  area: TargetArea;
  children: AreaNode[];
}

export function buildTree(areas: readonly TargetArea[]): AreaNode[] {
  const nodes = new Map(areas.map((area) => [area.id, { area, children: [] as AreaNode[] }]));
  const roots: AreaNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.area.parentId ? nodes.get(node.area.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list: AreaNode[]) => {
    list.sort((a, b) => a.area.name.localeCompare(b.area.name, 'vi'));
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** Every cluster placed in the area or below it. */
export function clustersUnder(areas: readonly TargetArea[], areaId: string): string[] {
  const out: string[] = [];
  const visit = (id: string) => {
    for (const a of areas) {
      if (a.id !== id) continue;
      out.push(...a.clusters.map((c) => c.id));
    }
    for (const child of areas.filter((a) => a.parentId === id)) visit(child.id);
  };
  visit(areaId);
  return out;
}

/** The distinct clusters a set of targets reaches (what the confirm step counts). */
export function clustersOf(areas: readonly TargetArea[], targets: readonly Target[]): string[] {
  const out = new Set<string>();
  for (const target of targets) {
    if (target.kind === 'cluster') out.add(target.clusterId);
    else if (target.kind === 'area') for (const c of clustersUnder(areas, target.areaId)) out.add(c);
  }
  return [...out].sort();
}

export function targetKey(target: Target): string {
  switch (target.kind) {
    case 'area':
      return `area:${target.areaId}`;
    case 'cluster':
      return `cluster:${target.clusterId}`;
    case 'group':
      return `group:${target.groupId}`;
  }
}

/** A person's words for a target: the area's or the cluster's name. */
export function targetName(areas: readonly TargetArea[], target: Target): string {
  if (target.kind === 'area') return areas.find((a) => a.id === target.areaId)?.name ?? target.areaId;
  if (target.kind === 'cluster')
    for (const a of areas) {
      const found = a.clusters.find((c) => c.id === target.clusterId);
      if (found) return found.name;
    }
  return target.kind === 'group' ? target.groupId : target.clusterId;
}

/** Areas the user may broadcast in, the largest first: the default choice of the pickers. */
export function actionableAreas(areas: readonly TargetArea[]): TargetArea[] {
  const depth = (a: TargetArea): number => {
    let d = 0;
    let parent = a.parentId;
    while (parent) {
      d++;
      parent = areas.find((x) => x.id === parent)?.parentId ?? null;
    }
    return d;
  };
  return areas
    .filter((a) => a.mayAct)
    .sort((a, b) => depth(a) - depth(b) || a.name.localeCompare(b.name, 'vi'));
}
