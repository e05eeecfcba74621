import type { Area, SessionUser } from '../app/env.js';

/**
 * The area tree in memory for one overview read: ancestry and subtrees without a query per device.
 * Built from AreaDirectory.list() (one query); answers exactly as the directory would.
 */
export class AreaIndex {
  private readonly byId: Map<string, Area>;
  private readonly children = new Map<string, string[]>();
  private readonly ancestors = new Map<string, Area[]>();

  constructor(areas: readonly Area[]) {
    this.byId = new Map(areas.map((a) => [a.id, a]));
    for (const a of areas) {
      if (a.parentId === null) continue;
      const list = this.children.get(a.parentId);
      if (list) list.push(a.id);
      else this.children.set(a.parentId, [a.id]);
    }
  }

  get(id: string): Area | undefined {
    return this.byId.get(id);
  }

  list(): Area[] {
    return [...this.byId.values()];
  }

  /** The area and its ancestors, root last; a cycle stops at the first repeat, as the directory does. */
  ancestry(id: string): Area[] {
    const known = this.ancestors.get(id);
    if (known) return known;
    const out: Area[] = [];
    const seen = new Set<string>();
    let next = this.byId.get(id);
    while (next && !seen.has(next.id)) {
      out.push(next);
      seen.add(next.id);
      next = next.parentId === null ? undefined : this.byId.get(next.parentId);
    }
    this.ancestors.set(id, out);
    return out;
  }

  /** The ids of the area and everything under it (empty when the area is unknown). */
  subtree(id: string): Set<string> {
    const ids = new Set<string>();
    if (!this.byId.has(id)) return ids;
    const queue = [id];
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
      if (ids.has(next)) continue;
      ids.add(next);
      queue.push(...(this.children.get(next) ?? []));
    }
    return ids;
  }

  /** Same answer as AreaDirectory.userMayAct. */
  userMayAct(user: SessionUser, areaId: string): boolean {
    if (user.roles.includes('admin')) return true;
    return this.ancestry(areaId).some((a) => user.areaIds.includes(a.id));
  }
}
