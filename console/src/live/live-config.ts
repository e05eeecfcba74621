import { z } from 'zod';

export const OSM_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
export const OSM_ATTRIBUTION = '© OpenStreetMap contributors';

/** The overview map's background; the console serves it to the browser (GET /api/map/settings). */
export const MapConfigSchema = z.object({
  /** Leaflet URL template; an empty string means no tiles at all (the map draws its schematic). */
  tileUrl: z.string().max(500).default(OSM_TILE_URL),
  attribution: z.string().max(500).default(OSM_ATTRIBUTION),
  /** Without a first tile by then the map switches to the schematic (offline offices, no internet). */
  tileTimeoutMs: z.number().int().min(500).max(60_000).default(6000),
});

/** The live state stream (GET /api/live). */
export const LiveConfigSchema = z.object({
  /** Comment lines that keep proxies and the browser from dropping an idle stream. */
  heartbeatMs: z.number().int().min(100).max(300_000).default(15_000),
  /** How often registry changes (placed, disabled, deleted) are read while a stream is open. */
  registryPollMs: z.number().int().min(100).max(60_000).default(2000),
});

export type MapConfig = z.infer<typeof MapConfigSchema>;
export type LiveConfig = z.infer<typeof LiveConfigSchema>;
