import { html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { errorText } from '../../api.js';
import { formatDateTime, formatNumber } from '../../format.js';
import { locale, t } from '../../i18n/locale.js';
import { LocalizedElement } from '../../shell/localized-element.js';
import { sharedStyles } from '../../shell/shared-styles.js';
import {
  type ChannelLimit,
  type ChannelView,
  type StationDetail,
  type StationSeries,
  environmentApi,
} from './environment-api.js';
import { officialColour } from './paint.js';
import './index-badge.js';
import { stationDetailStyles } from './station-detail-styles.js';
import './station-chart.js';
import type { DrawnEvent, ZoomEvent } from './station-chart.js';

const HOUR = 3_600_000;
const PRESETS = {
  hour: HOUR,
  day: 24 * HOUR,
  week: 7 * 24 * HOUR,
  month: 31 * 24 * HOUR,
  year: 366 * 24 * HOUR,
};
type Preset = keyof typeof PRESETS;
/** About two buckets per horizontal pixel of a wide screen: finer would not show, coarser would hide peaks. */
const MAX_POINTS = 2000;

export function limitText(l: ChannelLimit): string {
  if (Array.isArray(l.limit)) return `${l.limit[0]}–${l.limit[1]}`;
  return `${l.comparison === 'min' ? '≥' : '≤'} ${formatNumber(l.limit, 0)}`;
}

function breaks(l: ChannelLimit, v: number): boolean {
  if (Array.isArray(l.limit)) return v < l.limit[0] || v > l.limit[1];
  return l.comparison === 'min' ? v < l.limit : v > l.limit;
}

/** What one point stands for: the bucket width, or the data's own spacing when that is coarser. */
function stepOf(s: StationSeries): number {
  const n = s.times.length;
  const spacing = n > 1 ? ((s.times[n - 1] ?? 0) - (s.times[0] ?? 0)) / (n - 1) : 0;
  return Math.max(s.intervalMs, spacing);
}

function stepText(ms: number): string {
  return ms < HOUR
    ? t('env.minutes', { n: Math.round(ms / 60_000) })
    : t('env.hours', { n: Math.round(ms / HOUR) });
}

/** One station: latest values against QCVN limits, index now and last 24 h, a zoomable chart, CSV export. */
@customElement('xs-station-detail')
export class XsStationDetail extends LocalizedElement {
  static override styles = [sharedStyles, stationDetailStyles];

  @property() stationId = '';
  @state() private detail: StationDetail | undefined;
  @state() private field = '';
  @state() private preset: Preset | null = 'day';
  @state() private range: { from: number; to: number } = { from: Date.now() - PRESETS.day, to: Date.now() };
  @state() private series: StationSeries | undefined;
  @state() private loading = false;
  @state() private error = '';
  private request = 0;
  private fetchStarted = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.detail = await environmentApi.station(this.stationId);
      const first = this.detail.channels.find((c) => c.latest !== null) ?? this.detail.channels[0];
      this.field = first?.field ?? '';
      await this.choose('day');
    } catch (err) {
      this.error = errorText(err);
    }
  }

  private async choose(preset: Preset): Promise<void> {
    const to = Date.now();
    this.preset = preset;
    await this.fetch(to - PRESETS[preset], to);
  }

  private async fetch(from: number, to: number): Promise<void> {
    const mine = ++this.request;
    this.range = { from, to };
    this.loading = true;
    this.error = '';
    this.fetchStarted = performance.now();
    try {
      const series = await environmentApi.series(this.stationId, [this.field], from, to, MAX_POINTS);
      if (mine === this.request) this.series = series;
    } catch (err) {
      if (mine === this.request) this.error = errorText(err);
    } finally {
      if (mine === this.request) this.loading = false;
    }
  }

  private onZoom(e: ZoomEvent): void {
    this.preset = null;
    void this.fetch(e.detail.from, e.detail.to);
  }

  /** Request-to-drawn time on the host, for the browser test and the benchmark. */
  private onDrawn(e: DrawnEvent): void {
    this.dataset.renderMs = String(Math.round(performance.now() - this.fetchStarted));
    this.dataset.points = String(e.detail.points);
    this.dataset.intervalMs = String(this.series?.intervalMs ?? 0);
  }

  private dominantName(d: StationDetail, field: string): string {
    const c = d.channels.find((x) => x.field === field);
    return c ? this.channelName(c) : field;
  }

  private channelName(c: ChannelView): string {
    return locale() === 'vi' ? c.nameVi : c.nameEn;
  }

  override render() {
    if (this.error && !this.detail) return html`<p class="error" role="alert">${this.error}</p>`;
    const d = this.detail;
    if (!d) return html`<p>${t('app.loading')}</p>`;
    const s = d.station;
    return html`
      <section class="card head" aria-labelledby="station-name">
        <div>
          <h1 id="station-name">${s.name}</h1>
          <p class="meta">${t(`env.kind.${s.kind}`)} · <code>${s.id}</code> ·
            ${s.online ? t('env.online') : t('env.offline')} ·
            ${s.lastReadingAt ? t('env.lastReading', { time: formatDateTime(s.lastReadingAt) }) : t('env.noReading')}</p>
          ${s.index?.dominant ? html`<p class="meta">${t('env.dominant', { name: this.dominantName(d, s.index.dominant) })}</p>` : ''}
        </div>
        <xs-index-badge .index=${s.index} kind=${s.kind}></xs-index-badge>
      </section>
      ${this.last24h(d)}
      ${this.chartCard(d)}
      ${this.channelTable(d)}
    `;
  }

  private last24h(d: StationDetail) {
    if (d.last24h.length === 0) return '';
    const name = d.station.kind === 'air' ? 'VN_AQI' : 'VN_WQI';
    return html`<section class="card" aria-labelledby="last24">
      <h2 id="last24">${t('env.last24h', { index: name })}</h2>
      <div class="strip">
        ${d.last24h.map(
          (h) => html`<span style=${officialColour(h.colour)}
            title="${formatDateTime(h.at)}: ${name} ${h.value} (${h.category})">${h.value}</span>`,
        )}
      </div>
    </section>`;
  }

  private chartCard(d: StationDetail) {
    const channel = d.channels.find((c) => c.field === this.field);
    const s = this.series;
    const label = channel
      ? t('env.chart.label', { name: this.channelName(channel), unit: channel.unit })
      : '';
    const presets: Preset[] = ['hour', 'day', 'week', 'month', 'year'];
    return html`<section class="card" aria-labelledby="chart-title">
      <h2 id="chart-title">${t('env.chart')}</h2>
      <div class="controls">
        <label>${t('env.chart.field')}
          <select @change=${(e: Event) => {
            this.field = (e.target as HTMLSelectElement).value;
            void this.fetch(this.range.from, this.range.to);
          }}>
            ${d.channels.map((c) => html`<option value=${c.field} ?selected=${c.field === this.field}>${this.channelName(c)} (${c.unit})</option>`)}
          </select>
        </label>
        <fieldset class="presets">
          <legend>${t('env.chart.range')}</legend>
          ${presets.map(
            (p) => html`<button type="button" aria-pressed=${this.preset === p ? 'true' : 'false'}
              @click=${() => this.choose(p)}>${t(`env.preset.${p}`)}</button>`,
          )}
        </fieldset>
        <a class="button" download
          href=${environmentApi.seriesCsvUrl(d.station.id, [this.field], this.range.from, this.range.to)}>${t('env.csv')}</a>
      </div>
      <p class="meta">${t('env.chart.hint')}</p>
      <p class="meta" role="status" aria-live="polite">${
        this.loading
          ? t('env.chart.loading')
          : s
            ? s.times.length === 0
              ? t('env.chart.empty')
              : t('env.chart.resolution', {
                  from: formatDateTime(this.range.from),
                  to: formatDateTime(this.range.to),
                  step: stepText(stepOf(s)),
                  points: s.times.length,
                })
            : ''
      }</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      <xs-station-chart .series=${s} .limits=${channel?.limits ?? []} label=${label} unit=${channel?.unit ?? ''}
        @zoom=${this.onZoom} @drawn=${this.onDrawn}></xs-station-chart>
    </section>`;
  }

  private channelTable(d: StationDetail) {
    return html`<section class="card" aria-labelledby="channels-title">
      <h2 id="channels-title">${t('env.channels')}</h2>
      <div class="table-wrap"><table>
        <thead><tr>
          <th scope="col">${t('env.col.parameter')}</th>
          <th scope="col">${t('env.col.value')}</th>
          <th scope="col">${t('env.col.unit')}</th>
          <th scope="col">${t('env.col.limit')}</th>
          <th scope="col" class="col-time">${t('env.col.time')}</th>
        </tr></thead>
        <tbody>
          ${d.channels.map((c) => {
            const v = c.latest?.value;
            const over = v !== undefined && c.limits.some((l) => l.averaging === 'sample' && breaks(l, v));
            return html`<tr data-field=${c.field}>
              <th scope="row">${this.channelName(c)}</th>
              <td class="num ${over ? 'over' : ''}">${v === undefined ? '—' : formatNumber(v, v >= 100 ? 0 : 1)}${over ? html` <span>(${t('env.over')})</span>` : ''}</td>
              <td>${c.unit}</td>
              <td>${c.limits.map((l) => html`<div>${limitText(l)} (${t(`env.averaging.${l.averaging}`)})</div>`)}</td>
              <td class="col-time">${c.latest ? formatDateTime(c.latest.time) : '—'}</td>
            </tr>`;
          })}
        </tbody>
      </table></div>
    </section>`;
  }
}
