import { ApiError, api } from '../../api.js';
import type { MapSettings, Station } from './map-types.js';

export function mapSettings(): Promise<MapSettings> {
  return api.request('GET', '/api/map/settings');
}

/**
 * Stations with their current index. The environment API may be absent or not open to this role: then
 * the map shows stations by their gateway's state only, without a category colour.
 */
export async function stationsWithIndex(): Promise<Station[]> {
  try {
    return (await api.request<{ stations: Station[] }>('GET', '/api/environment/stations')).stations;
  } catch (err) {
    if (err instanceof ApiError && [403, 404, 503].includes(err.status)) return [];
    throw err;
  }
}
