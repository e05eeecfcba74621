import { css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { UserView } from '../../api.js';
import { errorText } from '../../api.js';
import { formatDateTime, formatNumber } from '../../format.js';
import { locale, t } from '../../i18n/locale.js';
import { LocalizedElement } from '../../shell/localized-element.js';
import { sharedStyles } from '../../shell/shared-styles.js';
import { type Alarm, type AlarmList, type Station, environmentApi } from './environment-api.js';

const FILTERS = {
  active: 'open,acknowledged',
  open: 'open',
  acknowledged: 'acknowledged',
  closed: 'closed',
  all: 'open,acknowledged,closed',
} as const;
type Filter = keyof typeof FILTERS;

/** The collector's alarms with filters; an environment officer acknowledges one with a note. */
@customElement('xs-alarm-list')
export class XsAlarmList extends LocalizedElement {
  static override styles = [
    sharedStyles,
    css`
      .filters {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        margin-bottom: 0.75rem;
      }
      .filters label {
        min-width: 14rem;
      }
      .sev-critical {
        color: var(--xs-danger, #a4161a);
        font-weight: 700;
      }
      .sev-warning {
        color: #8a4b00;
        font-weight: 700;
      }
      .status-open {
        font-weight: 700;
        color: var(--xs-danger, #a4161a);
      }
      form.ack {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        align-items: end;
        max-width: none;
      }
      form.ack label {
        flex: 1 1 12rem;
        font-weight: 400;
      }
      .meta {
        color: var(--xs-muted, #555f6b);
        font-size: 0.9rem;
      }
      /* A phone gets one block per alarm instead of a table five columns wide. */
      @media (max-width: 40rem) {
        table,
        tbody,
        tr,
        td {
          display: block;
        }
        thead {
          display: none;
        }
        tr {
          border-bottom: 2px solid var(--xs-line, #c9d1d9);
          padding: 0.5rem 0;
        }
        td {
          border: 0;
          padding: 0.2rem 0;
        }
      }
    `,
  ];

  @property({ attribute: false }) user: UserView | undefined;
  @state() private filter: Filter = 'active';
  @state() private stationId = '';
  @state() private stations: Station[] = [];
  @state() private list: AlarmList | undefined;
  @state() private error = '';
  @state() private notice = '';
  @state() private busy = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void environmentApi.stations().then(
      (r) => {
        this.stations = r.stations;
      },
      () => undefined,
    );
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    try {
      this.list = await environmentApi.alarms(FILTERS[this.filter], this.stationId || undefined);
    } catch (err) {
      this.error = errorText(err);
    }
  }

  private get mayAcknowledge(): boolean {
    return (this.user?.roles ?? []).some((r) => r === 'environment' || r === 'admin');
  }

  private async acknowledge(e: SubmitEvent, alarm: Alarm): Promise<void> {
    e.preventDefault();
    const note = String(new FormData(e.target as HTMLFormElement).get('note') ?? '').trim();
    this.busy = alarm.id;
    this.error = '';
    this.notice = '';
    try {
      await environmentApi.acknowledge(alarm.id, note);
      this.notice = t('env.alarms.acked');
      await this.refresh();
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.busy = '';
    }
  }

  override render() {
    const alarms = this.list?.alarms ?? [];
    return html`<section class="card" aria-labelledby="alarms-title">
      <h2 id="alarms-title">${t('env.alarms.title')}</h2>
      <div class="filters">
        <label>${t('env.alarms.status')}
          <select @change=${(e: Event) => {
            this.filter = (e.target as HTMLSelectElement).value as Filter;
            void this.refresh();
          }}>
            ${(Object.keys(FILTERS) as Filter[]).map(
              (f) =>
                html`<option value=${f} ?selected=${f === this.filter}>${t(`env.alarms.status.${f}`)}</option>`,
            )}
          </select>
        </label>
        <label>${t('env.alarms.station')}
          <select @change=${(e: Event) => {
            this.stationId = (e.target as HTMLSelectElement).value;
            void this.refresh();
          }}>
            <option value="">${t('env.alarms.allStations')}</option>
            ${this.stations.map((s) => html`<option value=${s.id} ?selected=${s.id === this.stationId}>${s.name}</option>`)}
          </select>
        </label>
      </div>
      <p role="status" aria-live="polite">${this.list ? t('env.alarms.count', { n: alarms.length }) : t('app.loading')}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      ${this.notice ? html`<p class="ok" role="status">${this.notice}</p>` : ''}
      ${this.list && !this.list.available ? html`<p class="error">${t('env.alarms.unavailable')}</p>` : ''}
      ${this.list?.available && !this.list.canAcknowledge && this.mayAcknowledge ? html`<p class="meta">${t('env.alarms.cannotAck')}</p>` : ''}
      ${alarms.length === 0 ? html`<p>${t('env.alarms.empty')}</p>` : this.table(alarms)}
    </section>`;
  }

  private table(alarms: Alarm[]) {
    return html`<div class="table-wrap"><table>
      <thead><tr>
        <th scope="col">${t('env.alarms.col.raised')}</th>
        <th scope="col">${t('env.alarms.station')}</th>
        <th scope="col">${t('env.alarms.col.what')}</th>
        <th scope="col">${t('env.alarms.col.status')}</th>
        <th scope="col">${t('env.alarms.col.action')}</th>
      </tr></thead>
      <tbody>${alarms.map((a) => this.row(a))}</tbody>
    </table></div>`;
  }

  private row(a: Alarm) {
    const limit = Array.isArray(a.limit)
      ? a.limit.map((v) => formatNumber(v, v % 1 === 0 ? 0 : 1)).join('–')
      : a.limit === undefined
        ? undefined
        : formatNumber(a.limit, a.limit % 1 === 0 ? 0 : 2);
    return html`<tr data-alarm-id=${a.id}>
      <td>${formatDateTime(a.raisedAt)}</td>
      <td>${a.stationName ?? a.stationId}</td>
      <td>
        <span class="sev-${a.severity}">${t(`env.alarms.severity.${a.severity}`)}</span>:
        ${(locale() === 'vi' ? a.channelNameVi : a.channelNameEn) ?? a.message}
        ${
          a.value !== undefined && limit !== undefined
            ? html`<div class="meta">${t('env.alarms.value', { value: formatNumber(a.value, 2), unit: a.unit ?? '', limit })}${a.standard ? ` (${a.standard})` : ''}</div>`
            : ''
        }
      </td>
      <td>
        <span class="status-${a.status}">${t(`env.alarms.status.${a.status}`)}</span>
        ${a.acknowledgedBy && a.acknowledgedAt ? html`<div class="meta">${t('env.alarms.ackBy', { user: a.acknowledgedBy, time: formatDateTime(a.acknowledgedAt) })}</div>` : ''}
        ${a.note ? html`<div class="meta">“${a.note}”</div>` : ''}
        ${a.clearedAt ? html`<div class="meta">${t('env.alarms.clearedAt', { time: formatDateTime(a.clearedAt) })}</div>` : ''}
      </td>
      <td>${
        a.status === 'open' && this.mayAcknowledge && this.list?.canAcknowledge
          ? html`<form class="ack" @submit=${(e: SubmitEvent) => this.acknowledge(e, a)}>
              <label>${t('env.alarms.note')}
                <input name="note" required maxlength="1000" placeholder=${t('env.alarms.noteHint')}>
              </label>
              <button type="submit" ?disabled=${this.busy === a.id}
                aria-label=${t('env.alarms.ackLabel', { id: a.id })}>${t('env.alarms.ack')}</button>
            </form>`
          : '—'
      }</td>
    </tr>`;
  }
}
