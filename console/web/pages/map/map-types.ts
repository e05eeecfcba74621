import type { z } from 'zod';
import type { StationListSchema } from '../../../src/environment/schemas.js';
import type { LiveDevice, MapSettings } from '../../../src/live/live-schemas.js';

// Types only: the server's zod schemas describe the wire, none of their code reaches the bundle.
export type { LiveDevice, MapSettings };
export type Station = z.infer<typeof StationListSchema>['stations'][number];
export type StationIndex = NonNullable<Station['index']>;

/** What a marker says at a glance; colour is never the only carrier (each has a glyph and a label). */
export type MarkerState = 'online' | 'offline' | 'playing' | 'fault' | 'disabled';
export const MARKER_STATES: readonly MarkerState[] = ['online', 'playing', 'fault', 'offline', 'disabled'];

/** One thing on the map: a cluster or a station, with where it stands and how it is. */
export interface MapItem {
  id: string;
  kind: 'cluster' | 'station';
  name: string;
  areaId: string | null;
  lat: number;
  lon: number;
  approximate: boolean;
  state: MarkerState;
  device: LiveDevice | undefined;
  station: Station | undefined;
}
