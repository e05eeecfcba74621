import { html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { type Area, type DeviceSummary, type UserView, api, errorText } from '../../api.js';
import { formatDateTime } from '../../format.js';
import { t } from '../../i18n/locale.js';
import { LocalizedElement } from '../../shell/localized-element.js';
import { sharedStyles } from '../../shell/shared-styles.js';
import { type LiveConnection, followLive } from './live-client.js';
import { mapSettings, stationsWithIndex } from './map-api.js';
import { itemList, mapLegend } from './map-lists.js';
import { itemPopup, presentItem } from './map-present.js';
import { leafletStyles, mapStyles } from './map-styles.js';
import type { LiveDevice, MapItem, MarkerState, Station } from './map-types.js';
import { MapView } from './map-view.js';
import { countByState, mapItems } from './marker-state.js';
import { type KindsShown, SummaryLayer, bothKinds, communeSummaries } from './summary-layer.js';
import { summaryList } from './summary-list.js';

/** Stations' index changes hourly; a slow refresh is plenty (device states come live). */
const STATION_REFRESH_MS = 5 * 60_000;

/** Above this many devices a province-wide map shows a count per commune, not a marker per device. */
const SUMMARY_ABOVE = 500;
const SUMMARY_REFRESH_MS = 30_000;
/** Zoomed in this far on a large fleet, the map opens the commune in the middle of the view. */
const DETAIL_ZOOM = 12;

const ZERO = { total: 0, online: 0, offline: 0, playing: 0, fault: 0, disabled: 0 };

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
  /** Per-area counts; the map draws them instead of devices when the fleet is large and no commune is picked. */
  @state() private summary: DeviceSummary | undefined;
  @state() private large = false;
  @query('.map') private mapElement: HTMLElement | undefined;

  private view: MapView | undefined;
  private summaryLayer: SummaryLayer | undefined;
  private summaryTimer: ReturnType<typeof setInterval> | undefined;
  /** The commune opened by zooming in (not picked): zooming out again returns to the counts. */
  private zoomedInto: string | undefined;
  private stopLive: (() => void) | undefined;
  private stationTimer: ReturnType<typeof setInterval> | undefined;
  private readonly onResize = () => this.view?.resize();

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('resize', this.onResize);
    void this.start();
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
    clearInterval(this.summaryTimer);
    this.view?.destroy();
    this.view = undefined;
  }

  /** Asks how many devices there are first: thousands get the per-commune summary, a province of 200 the stream. */
  private async start(): Promise<void> {
    try {
      this.summary = await api.deviceSummary();
      this.large = bothKinds({ devices: this.summary.total }).total > SUMMARY_ABOVE;
    } catch (err) {
      // Without the summary the map still works as it always did: every device from the stream.
      this.large = false;
      this.error = errorText(err);
    }
    if (this.large)
      this.summaryTimer = setInterval(() => {
        if (this.summaryMode()) void this.refreshSummary();
      }, SUMMARY_REFRESH_MS);
    this.follow();
  }

  private async refreshSummary(): Promise<void> {
    try {
      this.summary = await api.deviceSummary();
    } catch (err) {
      this.error = errorText(err);
    }
  }

  private kinds(): KindsShown {
    return { clusters: this.showClusters, stations: this.showStations };
  }

  private summaryMode(): boolean {
    return this.large && this.areaFilter === '';
  }

  /** The live stream for what the map draws: everything, or only the picked commune of a large fleet. */
  private follow(): void {
    this.stopLive?.();
    this.stopLive = undefined;
    this.devices = new Map();
    if (this.summaryMode()) return;
    const url = this.large ? `/api/live?area=${encodeURIComponent(this.areaFilter)}` : '/api/live';
    this.stopLive = followLive(
      {
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
      },
      url,
    );
  }

  private pickArea(areaId: string, byZoom = false): void {
    this.zoomedInto = byZoom ? areaId : undefined;
    this.areaFilter = areaId;
    if (this.large) {
      // Picked from the counts: show the whole commune; zoomed into: leave the view where the user put it.
      if (!byZoom && areaId !== '') this.view?.refit();
      this.follow();
      if (this.summaryMode()) void this.refreshSummary();
    }
  }

  /** Zooming into a large fleet shows the devices of the commune in view; zooming back out, the counts. */
  private followZoom(): void {
    if (!this.large || !this.view || !this.summaryLayer || !this.summary) return;
    const zoomedIn = this.view.map.getZoom() >= DETAIL_ZOOM;
    if (zoomedIn && (this.summaryMode() || this.zoomedInto !== undefined)) {
      const id = this.summaryLayer.nearestInView(communeSummaries(this.summary, this.kinds()));
      if (id !== undefined && id !== this.areaFilter) this.pickArea(id, true);
    } else if (!zoomedIn && this.zoomedInto !== undefined && this.areaFilter === this.zoomedInto)
      this.pickArea('');
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
      this.summaryLayer = new SummaryLayer(this.view.map, (id) => this.pickArea(id));
      this.view.map.on('moveend', () => this.followZoom());
      this.updated();
    } catch (err) {
      this.error = errorText(err);
    }
  }

  override updated(): void {
    this.view?.update(this.visibleItems(), this.areas);
    this.summaryLayer?.update(
      this.summaryMode() && this.summary ? communeSummaries(this.summary, this.kinds()) : [],
      this.kinds(),
    );
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

  /** Nothing device by device while the map shows counts per commune (stations are counted there too). */
  private allItems(): MapItem[] {
    if (this.summaryMode()) return [];
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
          <select @change=${(e: Event) => this.pickArea((e.target as HTMLSelectElement).value)}>
            <option value="">${t('map.filter.allAreas')}</option>
            ${communes.map((a) => html`<option value=${a.id} ?selected=${a.id === this.areaFilter}>${a.name}</option>`)}
          </select>
        </label>
      </div>
      ${this.statusLine(items.length)}
      ${
        this.schematic
          ? html`<p class="notice" role="status">${t(this.schematic === 'no-tiles' ? 'map.schematic.noTiles' : 'map.schematic.failed')}</p>`
          : ''
      }
      <div class="map-frame">
        <div class="map" role="application" aria-label=${t('map.mapLabel')}></div>
      </div>
      ${mapLegend(this.summaryMode() ? this.summaryCounts() : counts)}
      ${
        this.summaryMode() && this.summary
          ? summaryList(communeSummaries(this.summary, this.kinds()), this.kinds(), (id) => this.pickArea(id))
          : itemList(
              items,
              (id) => this.areaName(id),
              (id) => this.view?.focus(id),
            )
      }
    `;
  }

  private statusLine(shown: number) {
    if (this.summaryMode() && this.summary) {
      const total = bothKinds({ devices: this.summary.total }).total;
      return html`<p class="status-line">
        <span class="pill" role="status">${t('map.summary.updated', { time: formatDateTime(this.summary.at) })}</span>
      </p>
      <p class="notice" role="status">${t('map.summary.notice', { count: total })}</p>`;
    }
    return html`<p class="status-line">
      <span class="pill ${this.connection === 'live' ? 'live' : ''}" role="status">${t(`map.live.${this.connection}`)}</span>
      <span>${t('map.total', { count: shown })}</span>
    </p>`;
  }

  /** The legend's counts from the summary: playing and fault are online devices too. */
  private summaryCounts(): Record<MarkerState, number> {
    const c = bothKinds({
      devices: this.summary?.total ?? { 'speaker-cluster': ZERO, 'sensor-gateway': ZERO },
    });
    return {
      online: c.online,
      playing: c.playing,
      fault: c.fault,
      offline: c.offline - c.disabled,
      disabled: c.disabled,
    };
  }
}
