import * as L from 'leaflet';
import type { Area } from '../../api.js';
import type { MapItem, MapSettings } from './map-types.js';
import { type MarkerPresentation, markerElement } from './marker-element.js';
import { placed } from './marker-state.js';

/** Tiles need this many failures with none loaded before the map gives up on them. */
const FAILED_TILES = 2;
/** Where the map looks before any device is known: Tây Ninh. */
const DEFAULT_VIEW: L.LatLngExpression = [11.36, 106.1];
/** Metres per degree of latitude. */
const METRES_PER_DEGREE = 111_320;
/** About 1.2 km: the smallest commune outline drawn around its devices. */
const MIN_OUTLINE_M = 1200;

export interface MapViewOptions {
  container: HTMLElement;
  settings: MapSettings;
  /** Called once when the map falls back to the schematic (no tile URL, tiles failing or too slow). */
  onSchematic(reason: 'no-tiles' | 'tiles-failed'): void;
  present(item: MapItem): MarkerPresentation;
  popup(item: MapItem): HTMLElement;
}

/**
 * The Leaflet map: tiles when they load, otherwise a schematic (plain projected background, commune
 * outlines and names) with the same markers, so positions stay usable without internet.
 */
export class MapView {
  readonly map: L.Map;
  private readonly markers = new Map<string, L.Marker>();
  private readonly outlines = L.layerGroup();
  private tiles: L.TileLayer | undefined;
  /** How many items and outlines the view was last fitted to; it refits as more arrive until the user moves it. */
  private fittedTo = 0;
  private userMoved = false;
  private tileTimer: ReturnType<typeof setTimeout> | undefined;
  private outlineKey = '';
  schematic = false;

  constructor(private readonly options: MapViewOptions) {
    this.map = L.map(options.container, { keyboard: true, zoomSnap: 0.5, minZoom: 4, maxZoom: 18 });
    this.map.setView(DEFAULT_VIEW, 9);
    this.map.attributionControl.setPrefix(false);
    this.outlines.addTo(this.map);
    this.map.on('dragstart', () => {
      this.userMoved = true;
    });
    options.container.addEventListener('wheel', () => {
      this.userMoved = true;
    });
    options.container.addEventListener('keydown', () => {
      this.userMoved = true;
    });
    const { tileUrl } = options.settings;
    if (tileUrl === '') this.toSchematic('no-tiles');
    else this.loadTiles(tileUrl);
  }

  private loadTiles(url: string): void {
    const layer = L.tileLayer(url, {
      attribution: this.options.settings.attribution,
      maxZoom: 19,
    });
    let loaded = false;
    let failures = 0;
    layer.on('tileload', () => {
      loaded = true;
      clearTimeout(this.tileTimer);
    });
    layer.on('tileerror', () => {
      failures++;
      if (!loaded && failures >= FAILED_TILES) this.toSchematic('tiles-failed');
    });
    this.tileTimer = setTimeout(() => {
      if (!loaded) this.toSchematic('tiles-failed');
    }, this.options.settings.tileTimeoutMs);
    layer.addTo(this.map);
    this.tiles = layer;
  }

  private toSchematic(reason: 'no-tiles' | 'tiles-failed'): void {
    if (this.schematic) return;
    this.schematic = true;
    clearTimeout(this.tileTimer);
    if (this.tiles) this.map.removeLayer(this.tiles);
    this.tiles = undefined;
    this.options.container.classList.add('schematic');
    this.options.onSchematic(reason);
  }

  /** Markers follow the items: added, moved, restyled or removed; the view fits them the first time. */
  update(items: readonly MapItem[], areas: readonly Area[]): void {
    const shown = items.filter(placed);
    const keep = new Set(shown.map((i) => i.id));
    for (const [id, marker] of this.markers)
      if (!keep.has(id)) {
        marker.remove();
        this.markers.delete(id);
      }
    for (const item of shown) this.place(item);
    this.drawOutlines(shown, areas);
    // Items and commune outlines arrive separately (stream, stations, areas): refit as either grows.
    const extent = shown.length + this.outlines.getLayers().length;
    if (!this.userMoved && shown.length > 0 && extent > this.fittedTo) {
      this.fittedTo = extent;
      const bounds = L.latLngBounds(shown.map((i) => [i.lat, i.lon] as L.LatLngTuple));
      for (const layer of this.outlines.getLayers())
        if (layer instanceof L.Circle) bounds.extend(layer.getBounds());
      // The frame may have been laid out after the map measured it; a fit on a stale size overshoots.
      this.map.invalidateSize();
      // More room above: a marker's popup opens upwards without pushing the others out of view.
      this.map.fitBounds(bounds, { paddingTopLeft: [24, 190], paddingBottomRight: [24, 60], maxZoom: 14 });
    }
  }

  /** The next items are fitted again, as on first load (a commune was picked from a province's counts). */
  refit(): void {
    this.fittedTo = 0;
    this.userMoved = false;
  }

  /** Opens the popup of one item (from the list under the map). */
  focus(id: string): void {
    const marker = this.markers.get(id);
    if (!marker) return;
    this.userMoved = true;
    this.map.panTo(marker.getLatLng());
    marker.openPopup();
  }

  resize(): void {
    this.map.invalidateSize();
  }

  destroy(): void {
    clearTimeout(this.tileTimer);
    this.map.remove();
  }

  private place(item: MapItem): void {
    const presentation = this.options.present(item);
    const icon = L.divIcon({
      className: 'xs-marker-host',
      html: markerElement(presentation),
      iconSize: [30, 30],
      iconAnchor: [15, 15],
      popupAnchor: [0, -14],
    });
    let marker = this.markers.get(item.id);
    if (!marker) {
      marker = L.marker([item.lat, item.lon], {
        icon,
        title: presentation.label,
        alt: presentation.label,
        keyboard: true,
        riseOnHover: true,
      });
      marker.bindPopup(() => this.options.popup(item), { minWidth: 220, autoPanPadding: [10, 10] });
      marker.addTo(this.map);
      this.markers.set(item.id, marker);
    } else {
      marker.setLatLng([item.lat, item.lon]);
      marker.setIcon(icon);
      marker.getElement()?.setAttribute('title', presentation.label);
      marker.getPopup()?.setContent(() => this.options.popup(item));
    }
    marker.getElement()?.setAttribute('aria-label', presentation.label);
    marker.getElement()?.setAttribute('data-item-id', item.id);
    marker.getElement()?.setAttribute('data-state', item.state);
    marker.setZIndexOffset(item.state === 'playing' || item.state === 'fault' ? 500 : 0);
  }

  /** Each commune as a dashed circle around its centre and devices, named, drawn under the markers. */
  private drawOutlines(items: readonly MapItem[], areas: readonly Area[]): void {
    const byId = new Map(areas.map((a) => [a.id, a]));
    const communeOf = (areaId: string | null): Area | undefined => {
      let area = areaId === null ? undefined : byId.get(areaId);
      while (area && area.kind !== 'commune') area = area.parentId ? byId.get(area.parentId) : undefined;
      return area;
    };
    const members = new Map<string, MapItem[]>();
    for (const item of items) {
      const commune = communeOf(item.areaId);
      if (commune) members.set(commune.id, [...(members.get(commune.id) ?? []), item]);
    }
    const outlines: { name: string; centre: L.LatLng; reach: number }[] = [];
    for (const commune of areas.filter((a) => a.kind === 'commune')) {
      const inside = members.get(commune.id) ?? [];
      const centre =
        commune.lat !== undefined && commune.lon !== undefined
          ? L.latLng(commune.lat, commune.lon)
          : inside.length > 0
            ? L.latLngBounds(inside.map((i) => [i.lat, i.lon] as L.LatLngTuple)).getCenter()
            : undefined;
      if (!centre) continue;
      const reach = Math.max(MIN_OUTLINE_M, ...inside.map((i) => centre.distanceTo([i.lat, i.lon]) * 1.3));
      outlines.push({ name: commune.name, centre, reach });
    }
    // Live updates arrive often and rarely move a commune: redraw only on a change, so labels do not flicker.
    const key = JSON.stringify(
      outlines.map((o) => [o.name, o.centre.lat, o.centre.lng, Math.round(o.reach)]),
    );
    if (key === this.outlineKey) return;
    this.outlineKey = key;
    this.outlines.clearLayers();
    for (const { name, centre, reach } of outlines) {
      L.circle(centre, {
        radius: reach,
        className: 'commune-outline',
        color: '#0b5c8a',
        weight: 2,
        dashArray: '6 6',
        fillColor: '#0b5c8a',
        fillOpacity: 0.05,
        interactive: false,
      }).addTo(this.outlines);
      // The name under the circle, where no marker of the ring stands.
      const south = L.latLng(centre.lat - reach / METRES_PER_DEGREE, centre.lng);
      L.tooltip({ permanent: true, direction: 'bottom', className: 'commune-label', offset: [0, 2] })
        .setLatLng(south)
        .setContent(name)
        .addTo(this.outlines);
    }
  }
}
