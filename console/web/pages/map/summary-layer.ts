import * as L from 'leaflet';
import type { DeviceSummary } from '../../api.js';
import { formatNumber } from '../../format.js';
import { t } from '../../i18n/locale.js';
import { markerElement } from './marker-element.js';
import { STATE_STYLE } from './marker-state.js';

type AreaSummary = DeviceSummary['areas'][number];
type Counts = AreaSummary['devices']['speaker-cluster'];

/** Which kinds the map's checkboxes show. */
export interface KindsShown {
  clusters: boolean;
  stations: boolean;
}
const BOTH: KindsShown = { clusters: true, stations: true };
const NONE: Counts = { total: 0, online: 0, offline: 0, playing: 0, fault: 0, disabled: 0 };

/** Clusters and stations of an area together (those of the kinds shown). */
export function bothKinds(area: Pick<AreaSummary, 'devices'>, kinds: KindsShown = BOTH): Counts {
  const a = kinds.clusters ? area.devices['speaker-cluster'] : NONE;
  const b = kinds.stations ? area.devices['sensor-gateway'] : NONE;
  return {
    total: a.total + b.total,
    online: a.online + b.online,
    offline: a.offline + b.offline,
    playing: a.playing + b.playing,
    fault: a.fault + b.fault,
    disabled: a.disabled + b.disabled,
  };
}

/** The communes a province-wide map shows as one marker each (those holding devices you see). */
export function communeSummaries(summary: DeviceSummary, kinds: KindsShown = BOTH): AreaSummary[] {
  return summary.areas.filter((a) => a.kind === 'commune' && bothKinds(a, kinds).total > 0);
}

/** The colour says what needs looking at first: a fault, then devices not online, then playing. */
function summaryStyle(c: Counts) {
  if (c.fault > 0) return STATE_STYLE.fault;
  if (c.offline > 0) return STATE_STYLE.offline;
  if (c.playing > 0) return STATE_STYLE.playing;
  return STATE_STYLE.online;
}

export function summaryLabel(area: AreaSummary, kinds: KindsShown = BOTH): string {
  const c = bothKinds(area, kinds);
  const n = (v: number) => formatNumber(v, 0);
  return t('map.summary.marker', {
    name: area.name,
    total: n(c.total),
    online: n(c.online),
    playing: n(c.playing),
    fault: n(c.fault),
  });
}

/**
 * One marker per commune with its device count, for a province too large to draw device by device;
 * a click asks for that commune's devices.
 */
export class SummaryLayer {
  private readonly layer = L.layerGroup();
  private fitted = false;

  constructor(
    private readonly map: L.Map,
    private readonly pick: (areaId: string) => void,
  ) {
    this.layer.addTo(map);
  }

  update(areas: readonly AreaSummary[], kinds: KindsShown = BOTH): void {
    this.layer.clearLayers();
    const placed = areas.filter((a) => a.centre !== null);
    for (const area of placed) {
      if (!area.centre) continue;
      const counts = bothKinds(area, kinds);
      const style = summaryStyle(counts);
      const label = summaryLabel(area, kinds);
      const el = markerElement({
        shape: 'square',
        fill: style.fill,
        ink: style.ink,
        ring: '#fff',
        text: formatNumber(counts.total, 0),
        dashed: false,
        label,
      });
      el.classList.add('summary');
      const marker = L.marker([area.centre.lat, area.centre.lon], {
        icon: L.divIcon({ className: 'xs-marker-host', html: el, iconSize: [44, 30], iconAnchor: [22, 15] }),
        title: label,
        alt: label,
        keyboard: true,
      });
      marker.on('click', () => this.pick(area.areaId));
      marker.addTo(this.layer);
      marker.getElement()?.setAttribute('data-area-id', area.areaId);
      marker.getElement()?.setAttribute('aria-label', label);
    }
    if (!this.fitted && placed.length > 0) {
      this.fitted = true;
      const bounds = L.latLngBounds(
        placed.flatMap((a) => (a.centre ? [[a.centre.lat, a.centre.lon] as L.LatLngTuple] : [])),
      );
      this.map.invalidateSize();
      this.map.fitBounds(bounds, { padding: [40, 40], maxZoom: 12 });
    }
  }

  /** The area (of those given) whose centre is nearest the middle of the view, when one is in view. */
  nearestInView(areas: readonly AreaSummary[]): string | undefined {
    const view = this.map.getBounds();
    const middle = this.map.getCenter();
    let nearest: { id: string; metres: number } | undefined;
    for (const a of areas) {
      if (!a.centre || !view.contains([a.centre.lat, a.centre.lon])) continue;
      const metres = middle.distanceTo([a.centre.lat, a.centre.lon]);
      if (!nearest || metres < nearest.metres) nearest = { id: a.areaId, metres };
    }
    return nearest?.id;
  }

  clear(): void {
    this.layer.clearLayers();
    this.fitted = false;
  }
}
