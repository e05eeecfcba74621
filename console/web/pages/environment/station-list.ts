import { css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { type Area, api, errorText } from '../../api.js';
import { formatDateTime, formatNumber } from '../../format.js';
import { locale, t } from '../../i18n/locale.js';
import { LocalizedElement } from '../../shell/localized-element.js';
import { sharedStyles } from '../../shell/shared-styles.js';
import { type Station, type StationDetail, environmentApi } from './environment-api.js';
import './index-badge.js';

const SHOWN_VALUES = 4;

/** Every station as a card: state, VN_AQI/WQI badge, the main latest values; a card opens the detail page. */
@customElement('xs-station-list')
export class XsStationList extends LocalizedElement {
  static override styles = [
    sharedStyles,
    css`
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr));
        gap: 1rem;
      }
      .card {
        margin: 0;
        display: grid;
        gap: 0.5rem;
        align-content: start;
      }
      .card h2 {
        margin: 0;
      }
      .card h2 a {
        color: var(--xs-brand, #0b5c8a);
      }
      .meta {
        color: var(--xs-muted, #555f6b);
        margin: 0;
        font-size: 0.95rem;
      }
      .state {
        font-weight: 600;
      }
      .state.online {
        color: var(--xs-ok, #1e7b34);
      }
      .state.offline {
        color: var(--xs-danger, #a4161a);
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0.2rem 0.75rem;
        margin: 0;
      }
      dt {
        color: var(--xs-muted, #555f6b);
      }
      dd {
        margin: 0;
        font-weight: 600;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  @state() private stations: Station[] | undefined;
  @state() private details = new Map<string, StationDetail>();
  @state() private areas: Area[] = [];
  @state() private error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const [list, areas] = await Promise.all([
        environmentApi.stations(),
        api.listAreas().catch(() => ({ areas: [] })),
      ]);
      this.areas = areas.areas;
      this.stations = list.stations;
      const details = await Promise.all(
        list.stations.map((s) => environmentApi.station(s.id).catch(() => undefined)),
      );
      this.details = new Map(details.flatMap((d) => (d ? [[d.station.id, d] as const] : [])));
    } catch (err) {
      this.error = errorText(err);
    }
  }

  override render() {
    if (this.error) return html`<p class="error" role="alert">${this.error}</p>`;
    if (!this.stations) return html`<p>${t('app.loading')}</p>`;
    if (this.stations.length === 0) return html`<p class="card">${t('env.empty')}</p>`;
    return html`<div class="grid">${this.stations.map((s) => this.card(s))}</div>`;
  }

  private card(s: Station) {
    const area = this.areas.find((a) => a.id === s.areaId)?.name ?? s.areaId ?? '—';
    const values = (this.details.get(s.id)?.channels ?? [])
      .filter((c) => c.latest !== null)
      .slice(0, SHOWN_VALUES);
    return html`<article class="card" data-station-id=${s.id} aria-labelledby="st-${s.id}">
      <h2 id="st-${s.id}"><a href="#/environment?station=${encodeURIComponent(s.id)}"
        aria-label=${t('env.open', { name: s.name })}>${s.name}</a></h2>
      <p class="meta">${t(`env.kind.${s.kind}`)} · ${area}</p>
      <p class="meta"><span class="state ${s.online ? 'online' : 'offline'}">${s.online ? t('env.online') : t('env.offline')}</span>
        · ${s.lastReadingAt ? t('env.lastReading', { time: formatDateTime(s.lastReadingAt) }) : t('env.noReading')}</p>
      <xs-index-badge .index=${s.index} kind=${s.kind}></xs-index-badge>
      ${
        values.length > 0
          ? html`<dl>${values.map(
              (c) => html`<dt>${locale() === 'vi' ? c.nameVi : c.nameEn}</dt>
                <dd>${formatNumber(c.latest?.value ?? 0, (c.latest?.value ?? 0) >= 100 ? 0 : 1)} ${c.unit}</dd>`,
            )}</dl>`
          : ''
      }
    </article>`;
  }
}
