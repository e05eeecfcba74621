import type { Area, AreaDirectory, SessionUser } from '../../../console/src/app/env.js';

/** A small in-memory area tree for these tests; clusters are placed explicitly. */
export class TestAreas implements AreaDirectory {
  readonly placement = new Map<string, string>();
  constructor(private readonly areas: Area[]) {}

  get(id: string): Area | undefined {
    return this.areas.find((a) => a.id === id);
  }
  list(): Area[] {
    return [...this.areas];
  }
  subtree(id: string): Area[] {
    const out = this.areas.filter((a) => a.id === id);
    for (let i = 0; i < out.length; i++) out.push(...this.areas.filter((a) => a.parentId === out[i]?.id));
    return out;
  }
  ancestry(id: string): Area[] {
    const out: Area[] = [];
    for (let a = this.get(id); a; a = a.parentId ? this.get(a.parentId) : undefined) out.push(a);
    return out;
  }
  clustersIn(id: string): string[] {
    const ids = new Set(this.subtree(id).map((a) => a.id));
    return [...this.placement]
      .filter(([, area]) => ids.has(area))
      .map(([c]) => c)
      .sort();
  }
  userMayAct(user: SessionUser, areaId: string): boolean {
    return user.roles.includes('admin') || this.ancestry(areaId).some((a) => user.areaIds.includes(a.id));
  }
}

/** Province → two communes → a village, the shape the province configures. */
export function provinceTree(approvalIn: string[] = []): Area[] {
  const area = (id: string, parentId: string | null, name: string, kind: Area['kind']): Area => ({
    id,
    parentId,
    name,
    kind,
    requiresApproval: approvalIn.includes(id),
  });
  return [
    area('tinh', null, 'Tỉnh Tây Ninh', 'province'),
    area('xa-a', 'tinh', 'Xã Tân Lập', 'commune'),
    area('thon-a1', 'xa-a', 'Thôn Bàu Sen', 'village'),
    area('xa-b', 'tinh', 'Xã Phước Vinh', 'commune'),
  ];
}
