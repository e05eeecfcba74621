import type { Area, AreaDirectory, SessionUser } from '../app/env.js';
import { HttpError } from '../app/http-error.js';

/** Who an item belongs to: an area's own recording, or the province (no owner area, or shared by an admin). */
export interface AudioOwnership {
  ownerAreaId: string | null;
  shared: boolean;
}

/** Which items a list may return: everything, or province-level items plus those owned in these areas. */
export type AudioVisibility = { kind: 'all' } | { kind: 'areas'; areaIds: string[] };

export type ScopeAreas = Pick<AreaDirectory, 'get' | 'subtree' | 'userMayAct'>;

export function isProvinceLevel(item: AudioOwnership): boolean {
  return item.ownerAreaId === null || item.shared;
}

/**
 * The audio library's area rules, shaped like the devices' visibility: a commune's own recordings are seen
 * and managed by the staff of that commune (and the areas above it); province-level items are seen by
 * everyone and managed by province staff only.
 */
export class AudioScope {
  constructor(private readonly areas: ScopeAreas) {}

  /** Admins, and staff whose areas include the top of the tree (the province itself). */
  isProvinceStaff(user: SessionUser): boolean {
    if (user.roles.includes('admin')) return true;
    return user.areaIds.some((id) => this.areas.get(id)?.parentId === null);
  }

  sees(user: SessionUser, item: AudioOwnership): boolean {
    if (isProvinceLevel(item) || this.isProvinceStaff(user)) return true;
    return item.ownerAreaId !== null && this.areas.userMayAct(user, item.ownerAreaId);
  }

  manages(user: SessionUser, item: AudioOwnership): boolean {
    if (this.isProvinceStaff(user)) return true;
    return (
      !isProvinceLevel(item) && item.ownerAreaId !== null && this.areas.userMayAct(user, item.ownerAreaId)
    );
  }

  visibility(user: SessionUser): AudioVisibility {
    if (this.isProvinceStaff(user)) return { kind: 'all' };
    const ids = new Set(user.areaIds.flatMap((id) => this.areas.subtree(id).map((a) => a.id)));
    return { kind: 'areas', areaIds: [...ids].sort() };
  }

  /** The same rules with every area look-up remembered: for one request that checks a whole list. */
  remembering(): AudioScope {
    const areas = new Map<string, Area | undefined>();
    const acts = new Map<string, boolean>();
    return new AudioScope({
      get: (id) => {
        if (!areas.has(id)) areas.set(id, this.areas.get(id));
        return areas.get(id);
      },
      subtree: (id) => this.areas.subtree(id),
      userMayAct: (user, id) => {
        const key = `${user.id}\n${id}`;
        const known = acts.get(key);
        if (known !== undefined) return known;
        const answer = this.areas.userMayAct(user, id);
        acts.set(key, answer);
        return answer;
      },
    });
  }

  areaName(id: string | null): string | null {
    return id === null ? null : (this.areas.get(id)?.name ?? id);
  }

  /**
   * The owner of a new item. `requested`: an area id, null for province-level, undefined to let the console
   * pick (the user's first area; province-level for province staff). Refusals name the field `areaId`.
   */
  ownerFor(user: SessionUser, requested: string | null | undefined): string | null {
    const province = this.isProvinceStaff(user);
    if (requested === null) {
      if (province) return null;
      throw new HttpError(403, 'forbidden', 'areaId: only province staff add province-level audio', 'areaId');
    }
    if (requested !== undefined) {
      if (this.areas.get(requested) === undefined)
        throw new HttpError(400, 'unknown-area', `areaId: no area ${requested}`, 'areaId');
      if (province || this.areas.userMayAct(user, requested)) return requested;
      throw new HttpError(403, 'forbidden', `areaId: you do not act in area ${requested}`, 'areaId');
    }
    if (province) return null;
    // The first area rather than a refusal: the emergency page speaks text without asking for an area.
    const [first] = user.areaIds;
    if (first === undefined)
      throw new HttpError(
        403,
        'forbidden',
        'areaId: your account has no area; ask an administrator',
        'areaId',
      );
    return first;
  }
}
