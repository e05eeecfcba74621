import type { DeviceRecord } from '@xaso/broker';
import type { AreaDirectory, SessionUser } from '../app/env.js';
import type { AreaIndex } from './area-index.js';

const SEES_EVERYTHING = new Set(['admin', 'technician']);

/** What visibility depends on: a device's role and where it is placed. */
export type Placed = Pick<DeviceRecord, 'role' | 'areaId'>;

/**
 * Who sees a device: admins and technicians all of them, environment officers every sensor gateway,
 * everyone else the devices placed in their own areas.
 */
export function deviceVisibleTo(
  areas: Pick<AreaDirectory, 'userMayAct'>,
  user: SessionUser,
  device: Placed,
): boolean {
  if (user.roles.some((r) => SEES_EVERYTHING.has(r))) return true;
  if (user.roles.includes('environment') && device.role === 'sensor-gateway') return true;
  return device.areaId !== null && areas.userMayAct(user, device.areaId);
}

/** The same rule over an in-memory area tree, with the answer per area remembered: for whole-fleet reads. */
export function visibilityFor(index: AreaIndex, user: SessionUser): (device: Placed) => boolean {
  const mayAct = new Map<string, boolean>();
  const inArea = {
    userMayAct: (u: SessionUser, areaId: string) => {
      const known = mayAct.get(areaId);
      if (known !== undefined) return known;
      const answer = index.userMayAct(u, areaId);
      mayAct.set(areaId, answer);
      return answer;
    },
  };
  return (device) => deviceVisibleTo(inArea, user, device);
}
