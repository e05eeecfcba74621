import { html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { type Area, type UserView, api, errorText } from '../../api.js';
import { t } from '../../i18n/locale.js';
import { LocalizedElement } from '../../shell/localized-element.js';
import { sharedStyles } from '../../shell/shared-styles.js';
import { type LiveConnection, followLive } from './live-client.js';
import { mapSettings, stationsWithIndex } from './map-api.js';
import { itemPopup, presentItem, stateText } from './map-present.js';
import { leafletStyles, mapStyles } from './map-styles.js';
import { type LiveDevice, MARKER_STATES, type MapItem, type Station } from './map-types.js';
import { MapView } from './map-view.js';
import { markerElement } from './marker-element.js';
import { STATE_STYLE, countByState, mapItems, placed } from './marker-state.js';

/** Stations' index changes hourly; a slow refresh is plenty (device states come live). */
const STATION_REFRESH_MS = 5 * 60_000;

/** VN_AQI's official category colours, Tốt to Nguy hại, for the legend. */
const AQI_COLOURS = ['#00e400', '#ffff00', '#ff7e00', '#ff0000', '#8f3f97', '#7e0023'];

/** Colours through the CSSOM: the CSP forbids style attributes in markup. */
function swatch(colour: string): HTMLElement {
  const el = document.createElement('span');
  el.className = 'swatch';
  el.style.backgroundColor = colour;
  return el;
}

/** The overview map: clusters and stations, live states, filters, legend with counts, and a list. */
@customElement('xs-map-page')
export class XsMapPage extends LocalizedElement {
  static override styles = [sharedStyles, leafletStyles, mapStyles];

  @property({ attribute: false }) user: UserView | undefined;
  @state() private devices = new Map<string, LiveDevice>();
  @state() private stations: Station[] = [];
  @state() private areas: Area[] = [];
  @state() private connection: LiveConnection = 'connecting';
  @state() private schematic: 'no-tiles' | 'tiles-failed' | undefined;
  @state() private showClusters = true;
  @state() private showStations = true;
  @state() private areaFilter = '';
  @state() private error = '';
  @query('.map') private mapElement: HTMLElement | undefined;

  private view: MapView | undefined;
  private stopLive: (() => void) | undefined;
  private stationTimer: ReturnType<typeof setInterval> | undefined;
  private readonly onResize = () => this.view?.resize();

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('resize', this.onResize);
    this.stopLive = followLive({
      snapshot: (devices) => {
        this.devices = new Map(devices.map((d) => [d.id, d]));
      },
      device: (device) => {
        this.devices = new Map(this.devices).set(device.id, device);
      },
      removed: (id) => {
        const next = new Map(this.devices);
        next.delete(id);
        this.devices = next;
      },
      connection: (c) => {
        this.connection = c;
      },
      sessionEnded: () => void api.me().catch(() => undefined),
    });
    void this.loadStations();
    this.stationTimer = setInterval(() => void this.loadStations(), STATION_REFRESH_MS);
    void api.listAreas().then(
      (r) => {
        this.areas = r.areas;
      },
      (err: unknown) => {
        this.error = errorText(err);
      },
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('resize', this.onResize);
    this.stopLive?.();
    clearInterval(this.stationTimer);
    this.view?.destroy();
    this.view = undefined;
  }

  override async firstUpdated(): Promise<void> {
    try {
      const settings = await mapSettings();
      const container = this.mapElement;
      if (!container) return;
      this.view = new MapView({
        container,
        settings,
        onSchematic: (reason) => {
          this.schematic = reason;
        },
        present: presentItem,
        popup: (item) => itemPopup(item, (id) => this.areaName(id)),
      });
      this.view.update(this.visibleItems(), this.areas);
    } catch (err) {
      this.error = errorText(err);
    }
  }

  override updated(): void {
    this.view?.update(this.visibleItems(), this.areas);
  }

  private async loadStations(): Promise<void> {
    try {
      this.stations = await stationsWithIndex();
    } catch (err) {
      this.error = errorText(err);
    }
  }

  private areaName(id: string | null): string {
    if (id === null) return t('map.noArea');
    return this.areas.find((a) => a.id === id)?.name ?? id;
  }

  /** The chosen area and everything under it. */
  private inArea(): Set<string> | undefined {
    if (!this.areaFilter) return undefined;
    const ids = new Set([this.areaFilter]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const a of this.areas)
        if (a.parentId !== null && ids.has(a.parentId) && !ids.has(a.id)) {
          ids.add(a.id);
          grew = true;
        }
    }
    return ids;
  }

  private allItems(): MapItem[] {
    return mapItems(this.devices.values(), this.stations);
  }

  private visibleItems(): MapItem[] {
    const area = this.inArea();
    return this.allItems().filter(
      (i) =>
        (i.kind === 'cluster' ? this.showClusters : this.showStations) &&
        (area === undefined || (i.areaId !== null && area.has(i.areaId))),
    );
  }

  override render() {
    const items = this.visibleItems();
    const counts = countByState(items);
    const communes = this.areas.filter((a) => a.kind !== 'village');
    return html`
      <h1>${t('map.title')}</h1>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      <div class="toolbar">
        <fieldset>
          <legend>${t('map.filter.show')}</legend>
          <label class="check"><input type="checkbox" .checked=${this.showClusters}
            @change=${(e: Event) => {
              this.showClusters = (e.target as HTMLInputElement).checked;
            }}>${t('map.filter.clusters')}</label>
          <label class="check"><input type="checkbox" .checked=${this.showStations}
            @change=${(e: Event) => {
              this.showStations = (e.target as HTMLInputElement).checked;
            }}>${t('map.filter.stations')}</label>
        </fieldset>
        <label class="area">${t('map.filter.area')}
          <select @change=${(e: Event) => {
            this.areaFilter = (e.target as HTMLSelectElement).value;
          }}>
            <option value="">${t('map.filter.allAreas')}</option>
            ${communes.map((a) => html`<option value=${a.id} ?selected=${a.id === this.areaFilter}>${a.name}</option>`)}
          </select>
        </label>
      </div>
      <p class="status-line">
        <span class="pill ${this.connection === 'live' ? 'live' : ''}" role="status">${t(`map.live.${this.connection}`)}</span>
        <span>${t('map.total', { count: items.length })}</span>
      </p>
      ${
        this.schematic
          ? html`<p class="notice" role="status">${t(this.schematic === 'no-tiles' ? 'map.schematic.noTiles' : 'map.schematic.failed')}</p>`
          : ''
      }
      <div class="map-frame">
        <div class="map" role="application" aria-label=${t('map.mapLabel')}></div>
      </div>
      ${this.legend(counts)}
      ${this.list(items)}
    `;
  }

  private legend(counts: Record<(typeof MARKER_STATES)[number], number>) {
    const sample = (state: (typeof MARKER_STATES)[number]) =>
      markerElement({
        shape: 'round',
        fill: STATE_STYLE[state].fill,
        ink: STATE_STYLE[state].ink,
        ring: '#fff',
        text: STATE_STYLE[state].glyph,
        dashed: state === 'offline',
        label: '',
      });
    return html`<section class="card" aria-labelledby="legend-title">
      <h2 id="legend-title">${t('map.legend.title')}</h2>
      <ul class="legend" aria-live="polite">
        ${MARKER_STATES.map(
          (s) =>
            html`<li data-legend=${s}>${sample(s)}<span>${stateText(s)}: <strong>${counts[s]}</strong></span></li>`,
        )}
        <li><span class="swatches" aria-hidden="true">
          ${AQI_COLOURS.map(swatch)}
        </span><span>${t('map.legend.stations')}</span></li>
      </ul>
    </section>`;
  }

  private list(items: readonly MapItem[]) {
    return html`<section class="card" aria-labelledby="list-title">
      <h2 id="list-title">${t('map.list.title', { count: items.length })}</h2>
      <div class="table-wrap"><table>
        <thead><tr>
          <th scope="col">${t('map.list.name')}</th>
          <th scope="col" class="hide-phone">${t('map.list.kind')}</th>
          <th scope="col" class="hide-phone">${t('map.list.area')}</th>
          <th scope="col">${t('map.list.state')}</th>
          <th scope="col"><span class="hide-phone">${t('map.list.actions')}</span></th>
        </tr></thead>
        <tbody>
          ${items.map((i) => {
            const p = presentItem(i);
            return html`<tr data-item-id=${i.id} data-state=${i.state}>
              <td>${i.name}${placed(i) ? '' : html` <span class="hint">(${t('map.list.noPosition')})</span>`}</td>
              <td class="hide-phone">${t(`map.kind.${i.kind}`)}</td>
              <td class="hide-phone">${this.areaName(i.areaId)}</td>
              <td><span class="state-badge">${markerElement({ ...p, label: '' })}${stateText(i.state)}</span>
                ${i.device?.playing ? html`<div class="hint">${i.device.playing.title ?? t('map.untitled')}</div>` : ''}</td>
              <td><div class="row-actions">
                ${placed(i) ? html`<button type="button" class="secondary link-button hide-phone" @click=${() => this.view?.focus(i.id)}>${t('map.list.show')}</button>` : ''}
                ${i.device ? html`<a href="#/device?id=${encodeURIComponent(i.device.id)}">${t('map.popup.detail')}</a>` : ''}
              </div></td>
            </tr>`;
          })}
        </tbody>
      </table></div>
    </section>`;
  }
}
