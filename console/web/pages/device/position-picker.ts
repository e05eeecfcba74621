import * as L from 'leaflet';
import { css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { t } from '../../i18n/locale.js';
import { LocalizedElement } from '../../shell/localized-element.js';
import { mapSettings } from '../map/map-api.js';
import { leafletStyles } from '../map/map-styles.js';

/** Tiles that fail this often before one loads make the picker a schematic grid (no internet). */
const FAILED_TILES = 2;
const TILE_TIMEOUT_MS = 5000;
const DEFAULT_CENTRE: L.LatLngTuple = [11.36, 106.1];

export interface PickedPosition {
  lat: number;
  lon: number;
}

/**
 * Places a device by a click (or a drag of its pin) on a small map: tiles when they load, a plain grid
 * otherwise. Announces `position-pick` with the coordinates; the form beside it still takes typed ones.
 */
@customElement('xs-position-picker')
export class PositionPicker extends LocalizedElement {
  static override styles = [
    leafletStyles,
    css`
      :host {
        display: block;
      }
      .map {
        height: 260px;
        border: 1px solid #c9d3dc;
        border-radius: 6px;
        background: #eef2f5;
      }
      .map.schematic {
        background-color: #f7f5ef;
        background-image:
          linear-gradient(rgba(11, 92, 138, 0.08) 1px, transparent 1px),
          linear-gradient(90deg, rgba(11, 92, 138, 0.08) 1px, transparent 1px);
        background-size: 40px 40px;
      }
      p {
        margin: 0.25rem 0;
        font-size: 0.9rem;
        color: #4a5561;
      }
    `,
  ];

  /** The device's saved position, if any. */
  @property({ attribute: false }) position: PickedPosition | null = null;
  /** Where to look when the device has no position yet (its commune). */
  @property({ attribute: false }) centre: PickedPosition | null = null;

  private map: L.Map | undefined;
  private pin: L.Marker | undefined;
  private picked = false;

  override render() {
    return html`<p id="hint">${t('map.position.pickHint')}</p>
      <div class="map" role="application" aria-describedby="hint"
        aria-label=${t('map.position.pickLabel')}></div>`;
  }

  override firstUpdated(): void {
    const box = this.renderRoot.querySelector<HTMLElement>('.map');
    if (!box) return;
    const start = this.position ?? this.centre;
    const map = L.map(box, { keyboard: true, minZoom: 4, maxZoom: 18 });
    map.setView(start ? [start.lat, start.lon] : DEFAULT_CENTRE, start ? 14 : 9);
    map.attributionControl.setPrefix(false);
    map.on('click', (e: L.LeafletMouseEvent) => this.pick(e.latlng));
    this.map = map;
    if (this.position) this.placePin(this.position);
    void this.loadTiles(box, map);
  }

  /** The device and its commune arrive after the first render: look there until the user picks. */
  override updated(changed: Map<string, unknown>): void {
    if (!this.map || this.picked || !(changed.has('position') || changed.has('centre'))) return;
    const at = this.position ?? this.centre;
    if (at) this.map.setView([at.lat, at.lon], 14);
    if (this.position) this.placePin(this.position);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.map?.remove();
    this.map = undefined;
  }

  private async loadTiles(box: HTMLElement, map: L.Map): Promise<void> {
    const settings = await mapSettings().catch(() => undefined);
    if (!settings || settings.tileUrl === '') {
      box.classList.add('schematic');
      return;
    }
    const layer = L.tileLayer(settings.tileUrl, { attribution: settings.attribution, maxZoom: 19 });
    let loaded = false;
    let failures = 0;
    const giveUp = () => {
      if (loaded) return;
      map.removeLayer(layer);
      box.classList.add('schematic');
    };
    layer.on('tileload', () => {
      loaded = true;
    });
    layer.on('tileerror', () => {
      failures++;
      if (failures >= FAILED_TILES) giveUp();
    });
    setTimeout(giveUp, TILE_TIMEOUT_MS);
    layer.addTo(map);
  }

  private placePin(at: PickedPosition): void {
    if (!this.map) return;
    if (this.pin) {
      this.pin.setLatLng([at.lat, at.lon]);
      return;
    }
    const icon = L.divIcon({ className: 'xs-pin', html: '📍', iconSize: [28, 28], iconAnchor: [14, 26] });
    this.pin = L.marker([at.lat, at.lon], { icon, draggable: true, keyboard: false }).addTo(this.map);
    this.pin.on('dragend', () => {
      const p = this.pin?.getLatLng();
      if (p) this.pick(p);
    });
  }

  private pick(at: L.LatLng): void {
    this.picked = true;
    const picked = { lat: Number(at.lat.toFixed(6)), lon: Number(at.lng.toFixed(6)) };
    this.placePin(picked);
    this.dispatchEvent(new CustomEvent<PickedPosition>('position-pick', { detail: picked, bubbles: true }));
  }
}
