import type { DeviceRecord } from '@xaso/broker';
import type { AreaDirectory, SessionUser } from '../app/env.js';

const SEES_EVERYTHING = new Set(['admin', 'technician']);

/**
 * Who sees a device: admins and technicians all of them, environment officers every sensor gateway,
 * everyone else the devices placed in their own areas.
 */
export function deviceVisibleTo(areas: AreaDirectory, user: SessionUser, device: DeviceRecord): boolean {
  if (user.roles.some((r) => SEES_EVERYTHING.has(r))) return true;
  if (user.roles.includes('environment') && device.role === 'sensor-gateway') return true;
  return device.areaId !== null && areas.userMayAct(user, device.areaId);
}
