import type { z } from 'zod';
import type { HealthHistorySchema } from '../../../src/live/health-routes.js';
import { ApiError, type DeviceView, api } from '../../api.js';

export type HealthHistory = z.infer<typeof HealthHistorySchema>;

export interface DeviceEvent {
  seq: number;
  ts: number;
  kind: string;
  body: unknown;
  receivedAt: number;
}

const path = (id: string, rest = '') => `/api/devices/${encodeURIComponent(id)}${rest}`;

export function getDevice(id: string): Promise<DeviceView> {
  return api.request('GET', path(id));
}

/** Undefined when the collector's store is not there (503): the page says so instead of failing. */
export async function deviceEvents(id: string, limit = 50): Promise<DeviceEvent[] | undefined> {
  try {
    return (await api.request<{ events: DeviceEvent[] }>('GET', path(id, `/events?limit=${limit}`))).events;
  } catch (err) {
    if (err instanceof ApiError && err.status === 503) return undefined;
    throw err;
  }
}

/** The status series when the time-series store answers; undefined means "use the events". */
export async function healthHistory(id: string, hours = 24): Promise<HealthHistory | undefined> {
  try {
    return await api.request<HealthHistory>('GET', path(id, `/health?hours=${hours}`));
  } catch (err) {
    if (err instanceof ApiError && (err.status === 503 || err.status === 404)) return undefined;
    throw err;
  }
}

export function setPosition(id: string, position: { lat: number; lon: number } | null): Promise<DeviceView> {
  return api.request('PATCH', path(id), { position });
}

/** Re-places the device in its area: clusters get their group configuration pushed again, signed. */
export function pushConfiguration(
  id: string,
  areaId: string | null,
): Promise<{ groups: string[]; configVersion?: number }> {
  return api.request('PUT', path(id, '/area'), { areaId });
}
