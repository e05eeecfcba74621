import type { TimeSeriesReader } from '../app/env.js';
import type { Station } from './stations.js';
import { type StationSummary, stationSummary } from './summary.js';

export interface EnvironmentSummary {
  areaId: string;
  areaName: string;
  from: number;
  to: number;
  generatedAt: number;
  stations: StationSummary[];
}

/** Every station of the area (and below it) over whole local days [from, to). */
export async function environmentSummary(
  store: TimeSeriesReader,
  area: { id: string; name: string },
  stations: Station[],
  from: number,
  to: number,
  now: number,
): Promise<EnvironmentSummary> {
  const summaries: StationSummary[] = [];
  for (const s of stations) summaries.push(await stationSummary(store, s, from, to, now));
  return { areaId: area.id, areaName: area.name, from, to, generatedAt: now, stations: summaries };
}
