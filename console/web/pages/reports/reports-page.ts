import { css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { z } from 'zod';
import type { BroadcastLogSchema } from '../../../src/reports/schemas.js';
import { type Area, type UserView, api, errorText } from '../../api.js';
import { formatDate, formatDuration } from '../../format.js';
import { locale, t } from '../../i18n/locale.js';
import { LocalizedElement } from '../../shell/localized-element.js';
import { sharedStyles } from '../../shell/shared-styles.js';
import { type EnvironmentSummary, environmentApi } from '../environment/environment-api.js';
import { officialColour } from '../environment/paint.js';

type BroadcastLog = z.infer<typeof BroadcastLogSchema>;
const DAY = 86_400_000;
const VN_OFFSET = 7 * 3_600_000;

/** yyyy-mm-dd of the Vietnamese calendar day `ms` falls in. */
function vnDate(ms: number): string {
  return new Date(ms + VN_OFFSET).toISOString().slice(0, 10);
}

function displayDate(iso: string): string {
  return iso.split('-').reverse().join('/');
}

/** Broadcast log (operators, approvers) and environmental summary per area and period, with CSV and print. */
@customElement('xs-reports-page')
export class XsReportsPage extends LocalizedElement {
  static override styles = [
    sharedStyles,
    css`
      form.period {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: end;
        max-width: none;
      }
      form.period label {
        min-width: 12rem;
      }
      .links {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin: 0.5rem 0 1rem;
      }
      a.button {
        display: inline-flex;
        align-items: center;
        min-height: 2.5rem;
        padding: 0.4rem 1rem;
        border: 1px solid var(--xs-brand, #0b5c8a);
        border-radius: 4px;
        color: var(--xs-brand, #0b5c8a);
        text-decoration: none;
        font-weight: 600;
      }
      .day {
        display: inline-block;
        min-width: 2.5rem;
        text-align: center;
        border-radius: 4px;
        padding: 0.1rem 0.3rem;
        border: 1px solid rgb(0 0 0 / 20%);
      }
      td.num {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      h3 {
        margin: 1rem 0 0.5rem;
      }
      .meta {
        color: var(--xs-muted, #555f6b);
      }
    `,
  ];

  @property({ attribute: false }) user: UserView | undefined;
  @state() private areas: Area[] = [];
  @state() private areaId = '';
  @state() private from = vnDate(Date.now() - 6 * DAY);
  @state() private to = vnDate(Date.now());
  @state() private log: BroadcastLog | undefined;
  @state() private summary: EnvironmentSummary | undefined;
  @state() private error = '';
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void api.listAreas().then(
      (r) => {
        this.areas = r.areas;
        const mine = this.user?.areaIds.find((id) => r.areas.some((a) => a.id === id));
        this.areaId = mine ?? r.areas.find((a) => a.kind === 'commune')?.id ?? r.areas[0]?.id ?? '';
      },
      (err: unknown) => {
        this.error = errorText(err);
      },
    );
  }

  private has(...roles: string[]): boolean {
    return (this.user?.roles ?? []).some((r) => r === 'admin' || roles.includes(r));
  }

  private get query(): string {
    return new URLSearchParams({ areaId: this.areaId, from: this.from, to: this.to }).toString();
  }

  private async show(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    this.areaId = String(form.get('areaId') ?? '');
    this.from = String(form.get('from') ?? '');
    this.to = String(form.get('to') ?? '');
    this.busy = true;
    this.error = '';
    try {
      const [log, summary] = await Promise.all([
        this.has('operator', 'approver')
          ? api.request<BroadcastLog>('GET', `/api/reports/broadcast-log?${this.query}`)
          : Promise.resolve(undefined),
        this.has('environment', 'operator', 'approver')
          ? environmentApi.summary(this.areaId, this.from, this.to)
          : Promise.resolve(undefined),
      ]);
      this.log = log;
      this.summary = summary;
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`
      <h1>${t('env.reports.title')}</h1>
      <section class="card">
        <form class="period" @submit=${this.show}>
          <label>${t('env.reports.area')}
            <select name="areaId">
              ${this.areas.map((a) => html`<option value=${a.id} ?selected=${a.id === this.areaId}>${a.name}</option>`)}
            </select>
          </label>
          <label>${t('env.reports.from')}<input type="date" name="from" .value=${this.from} required></label>
          <label>${t('env.reports.to')}<input type="date" name="to" .value=${this.to} required></label>
          <button type="submit" ?disabled=${this.busy}>${t('env.reports.show')}</button>
        </form>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
        ${!this.log && !this.summary && !this.error ? html`<p class="meta">${t('env.reports.choose')}</p>` : ''}
      </section>
      ${this.log ? this.broadcastLog(this.log) : ''}
      ${this.summary ? this.environment(this.summary) : ''}
    `;
  }

  private links(base: string) {
    return html`<div class="links">
      <a class="button" download href="${base}/csv?${this.query}">${t('env.csv')}</a>
      <a class="button" target="_blank" rel="noopener" href="${base}/print?${this.query}">${t('env.reports.print')}</a>
    </div>`;
  }

  private broadcastLog(log: BroadcastLog) {
    return html`<section class="card" aria-labelledby="log-title">
      <h2 id="log-title">${t('env.reports.broadcastLog')} · ${log.areaName}</h2>
      <p class="meta">${formatDate(log.from)} – ${formatDate(log.to - 1)}</p>
      ${this.links('/api/reports/broadcast-log')}
      ${
        log.perCluster.length === 0
          ? html`<p>${t('env.reports.noRows')}</p>`
          : html`<div class="table-wrap"><table>
            <thead><tr>
              <th scope="col">${t('env.reports.cluster')}</th>
              <th scope="col">${t('env.reports.played')}</th>
              <th scope="col">${t('env.reports.playedTime')}</th>
              <th scope="col">${t('env.reports.failed')}</th>
            </tr></thead>
            <tbody>${[...log.perCluster, log.total].map(
              (r) => html`<tr>
                <th scope="row">${r.label}</th>
                <td class="num">${r.played}</td>
                <td class="num">${formatDuration(r.playedMs)}</td>
                <td class="num">${r.failed + r.missed}</td>
              </tr>`,
            )}</tbody>
          </table></div>`
      }
    </section>`;
  }

  private environment(s: EnvironmentSummary) {
    return html`<section class="card" aria-labelledby="env-title">
      <h2 id="env-title">${t('env.reports.summary')} · ${s.areaName}</h2>
      <p class="meta">${formatDate(s.from)} – ${formatDate(s.to - 1)}</p>
      ${this.links('/api/environment/reports/summary')}
      ${s.stations.length === 0 ? html`<p>${t('env.reports.noStations')}</p>` : s.stations.map((st) => this.station(st))}
    </section>`;
  }

  private station(st: EnvironmentSummary['stations'][number]) {
    const name = st.index === 'aqi' ? 'VN_AQI' : 'VN_WQI';
    const c = st.completeness;
    return html`<article data-station-id=${st.id}>
      <h3>${st.name}</h3>
      <p>${t('env.reports.completeness', { percent: c.percent, hours: c.hoursWithData, total: c.expectedHours })}</p>
      <div class="table-wrap"><table>
        <caption class="meta">${t('env.reports.daily', { index: name })}</caption>
        <thead><tr><th scope="col">${t('env.reports.date')}</th>${st.daily.map((d) => html`<th scope="col">${displayDate(d.date).slice(0, 5)}</th>`)}</tr></thead>
        <tbody><tr><th scope="row">${name}</th>${st.daily.map(
          (d) =>
            html`<td>${
              d.value === null || !d.colour
                ? html`<span title=${d.reason ?? ''}>—</span>`
                : html`<span class="day" style=${officialColour(d.colour)}
                    title=${d.category ?? ''}>${d.value}</span><div class="meta">${d.category}</div>`
            }</td>`,
        )}</tr></tbody>
      </table></div>
      <div class="table-wrap"><table>
        <caption class="meta">${t('env.reports.exceed')}</caption>
        <thead><tr>
          <th scope="col">${t('env.col.parameter')}</th>
          <th scope="col">${t('env.col.limit')}</th>
          <th scope="col">${t('env.reports.exceed')}</th>
        </tr></thead>
        <tbody>${st.exceedances.map(
          (e) => html`<tr>
            <th scope="row">${locale() === 'vi' ? e.nameVi : e.nameEn}</th>
            <td>${Array.isArray(e.limit) ? e.limit.join('–') : `${e.comparison === 'min' ? '≥' : '≤'} ${e.limit}`} ${e.unit} (${t(`env.averaging.${e.averaging as '1h'}`)})</td>
            <td class="num">${t('env.reports.hours', { hours: e.hours, total: e.hoursWithData })}</td>
          </tr>`,
        )}</tbody>
      </table></div>
    </article>`;
  }
}
