import type { Area, UserView } from '../../api.js';

/** One entry of the "belongs to" select: an area id, or '' for province-level. */
export interface OwnerOption {
  value: string;
  label: string;
}

/** Admins and staff placed at the top of the area tree; the server applies the same rule. */
export function isProvinceStaff(user: UserView, areas: readonly Area[]): boolean {
  if (user.roles.includes('admin')) return true;
  return areas.some((a) => a.parentId === null && user.areaIds.includes(a.id));
}

/**
 * Where a new item may belong: province staff pick province-level or any area; others an area they act in
 * (their own and everything below it), their first area first, as the server defaults to it.
 */
export function ownerOptions(user: UserView, areas: readonly Area[], provinceLabel: string): OwnerOption[] {
  const option = (a: Area): OwnerOption => ({ value: a.id, label: a.name });
  if (isProvinceStaff(user, areas)) return [{ value: '', label: provinceLabel }, ...areas.map(option)];
  const byId = new Map(areas.map((a) => [a.id, a]));
  const actsIn = (area: Area): boolean => {
    const seen = new Set<string>();
    for (let a: Area | undefined = area; a && !seen.has(a.id); a = byId.get(a.parentId ?? '')) {
      if (user.areaIds.includes(a.id)) return true;
      seen.add(a.id);
    }
    return false;
  };
  const first = user.areaIds[0];
  return areas
    .filter(actsIn)
    .sort((a, b) => Number(b.id === first) - Number(a.id === first))
    .map(option);
}
