import type { AreaDirectory } from '../../app/env.js';
import { foldText } from '../../devices/fold-text.js';
import type { CapInfo } from './cap-alert.js';

/** Geocode names whose value is one of our area ids. */
export const AREA_GEOCODES = new Set(['xaso-area', 'area-id']);
const KIND_PREFIX =
  /^(tinh|thanh pho|xa|phuong|thi tran|dac khu|thon|ap|ban|khu pho|to dan pho|province|commune|ward|village)\s+/;

/** Lower case, no diacritics (đ → d), single spaces: "Xã Tân Lập" and "xa tan lap" compare equal. */
export const normaliseName = foldText;

export interface AreaMatch {
  areaIds: string[];
  /** areaDesc parts and geocodes that named nothing we know. */
  unmatched: string[];
}

/**
 * CAP areas → our area ids: a geocode `xaso-area`/`area-id` is an area id; any other geocode value is
 * tried as an area id; otherwise each `;`-separated part of areaDesc is matched against area names,
 * ignoring case, diacritics and a leading unit word ("Xã", "Phường", "Thôn"…).
 */
export function matchAreas(areas: AreaDirectory, info: CapInfo): AreaMatch {
  const byName = new Map<string, string[]>();
  for (const a of areas.list()) {
    for (const key of new Set([normaliseName(a.name), normaliseName(a.name).replace(KIND_PREFIX, '')]))
      byName.set(key, [...(byName.get(key) ?? []), a.id]);
  }
  const found = new Set<string>();
  const unmatched: string[] = [];
  for (const area of info.area) {
    let viaCode = false;
    for (const g of area.geocode) {
      if (areas.get(g.value)) {
        found.add(g.value);
        viaCode = true;
      } else if (AREA_GEOCODES.has(g.valueName)) unmatched.push(`${g.valueName}=${g.value}`);
    }
    if (viaCode) continue;
    for (const part of area.areaDesc.split(/[;,]/)) {
      const key = normaliseName(part);
      if (key === '') continue;
      const ids = byName.get(key) ?? byName.get(key.replace(KIND_PREFIX, ''));
      if (ids && ids.length === 1 && ids[0]) found.add(ids[0]);
      else unmatched.push(part.trim() + (ids && ids.length > 1 ? ' (ambiguous)' : ''));
    }
  }
  return { areaIds: [...found].sort(), unmatched };
}
