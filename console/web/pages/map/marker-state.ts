import type { LiveDevice, MapItem, MarkerState, Station } from './map-types.js';

/** Fill colour, glyph and text colour per state; the glyph keeps states apart for colour-blind eyes. */
export const STATE_STYLE: Record<MarkerState, { fill: string; ink: string; glyph: string }> = {
  online: { fill: '#1e7b34', ink: '#fff', glyph: '●' },
  playing: { fill: '#0b5c8a', ink: '#fff', glyph: '▶' },
  fault: { fill: '#d35400', ink: '#fff', glyph: '!' },
  offline: { fill: '#6b7280', ink: '#fff', glyph: '✕' },
  disabled: { fill: '#1b1f24', ink: '#fff', glyph: '⊘' },
};

/** Grey for a station without a current index. */
export const NO_INDEX_COLOUR = '#9aa5b1';

/** Disabled and offline first: a device that cannot hear us is the most urgent thing to notice. */
export function markerState(device: LiveDevice | undefined, station?: Station): MarkerState {
  if (device?.disabled) return 'disabled';
  const online = device ? device.state === 'online' : (station?.online ?? false);
  if (!online) return 'offline';
  if (device && device.faults.length > 0) return 'fault';
  if (device?.playing) return 'playing';
  return 'online';
}

/** Black or white text, whichever reads better on the official category colour (yellow needs black). */
export function inkOn(hex: string): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return '#000';
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => Number.parseInt(h ?? '0', 16) / 255);
  const luminance = 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
  return luminance > 0.5 ? '#000' : '#fff';
}

/**
 * Clusters from the live stream, stations from the environment API joined to their gateway's live state;
 * things without any position stay off the map (they are listed below it).
 */
export function mapItems(devices: Iterable<LiveDevice>, stations: readonly Station[]): MapItem[] {
  const items: MapItem[] = [];
  const byId = new Map<string, LiveDevice>();
  for (const d of devices) byId.set(d.id, d);
  const stationIds = new Set(stations.map((s) => s.id));
  for (const d of byId.values()) {
    if (d.role === 'sensor-gateway' && stationIds.has(d.id)) continue;
    items.push({
      id: d.id,
      kind: d.role === 'speaker-cluster' ? 'cluster' : 'station',
      name: d.name ?? d.id,
      areaId: d.areaId,
      lat: d.position?.lat ?? Number.NaN,
      lon: d.position?.lon ?? Number.NaN,
      approximate: d.position?.approximate ?? true,
      state: markerState(d),
      device: d,
      station: undefined,
    });
  }
  for (const s of stations) {
    const device = byId.get(s.id);
    const position = s.lat !== null && s.lon !== null ? { lat: s.lat, lon: s.lon, approximate: false } : null;
    const fallback = device?.position ?? null;
    const at = position ?? fallback;
    items.push({
      id: s.id,
      kind: 'station',
      name: s.name,
      areaId: s.areaId ?? device?.areaId ?? null,
      lat: at?.lat ?? Number.NaN,
      lon: at?.lon ?? Number.NaN,
      approximate: at?.approximate ?? true,
      state: markerState(device, s),
      device,
      station: s,
    });
  }
  return items.sort((a, b) => a.name.localeCompare(b.name, 'vi'));
}

export function placed(item: MapItem): boolean {
  return Number.isFinite(item.lat) && Number.isFinite(item.lon);
}

/** Counts per state for the legend (a live region reads them out when they change). */
export function countByState(items: readonly MapItem[]): Record<MarkerState, number> {
  const counts: Record<MarkerState, number> = { online: 0, playing: 0, fault: 0, offline: 0, disabled: 0 };
  for (const item of items) counts[item.state]++;
  return counts;
}
