import { css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { type UserView, errorText } from '../../api.js';
import { formatDate } from '../../format.js';
import { t } from '../../i18n/locale.js';
import { LocalizedElement } from '../../shell/localized-element.js';
import { sharedStyles } from '../../shell/shared-styles.js';
import './approval-queue.js';
import { type CalendarOccurrence, type SaveResult, type TargetArea, broadcastApi } from './broadcast-api.js';
import './play-now.js';
import './schedule-editor.js';
import { actionableAreas } from './target-tree.js';
import './week-calendar.js';
import { DAY_MS, addWeeks, localDate, weekStart } from './week.js';

type Tab = 'calendar' | 'approvals' | 'play';
const TABS: readonly Tab[] = ['calendar', 'approvals', 'play'];

/** #/broadcasts: the week's programme of an area, the schedule editor, the approval queue and play now. */
@customElement('xs-broadcasts-page')
export class XsBroadcastsPage extends LocalizedElement {
  static override styles = [
    sharedStyles,
    css`
      [role='tablist'] {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem;
        border-bottom: 2px solid var(--xs-brand, #0b5c8a);
        margin-bottom: 1rem;
      }
      [role='tab'] {
        background: #fff;
        color: var(--xs-brand, #0b5c8a);
        border-radius: 6px 6px 0 0;
        border-bottom: none;
      }
      [role='tab'][aria-selected='true'] {
        background: var(--xs-brand, #0b5c8a);
        color: #fff;
      }
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: 0.5rem 1rem;
        margin-bottom: 0.75rem;
      }
      .toolbar label {
        min-width: 14rem;
      }
      .week {
        display: flex;
        align-items: center;
        gap: 0.4rem;
        flex-wrap: wrap;
      }
      .week strong {
        min-width: 12rem;
        text-align: center;
      }
      .legend {
        display: flex;
        gap: 1rem;
        flex-wrap: wrap;
        font-size: 0.9rem;
        margin: 0.5rem 0 0;
      }
      .swatch {
        display: inline-block;
        width: 1rem;
        height: 1rem;
        vertical-align: middle;
        border: 1px solid #0b5c8a;
        background: #d7ebf7;
        margin-right: 0.3rem;
      }
      .swatch.pending {
        background: #ffe8a1;
        border-color: #8a6100;
      }
      .badge {
        display: inline-block;
        min-width: 1.4rem;
        padding: 0 0.35rem;
        border-radius: 1rem;
        background: var(--xs-danger, #a4161a);
        color: #fff;
        font-size: 0.85rem;
        margin-left: 0.3rem;
      }
    `,
  ];

  @property({ attribute: false }) user: UserView | undefined;
  @state() private tab: Tab = 'calendar';
  @state() private areas: TargetArea[] = [];
  @state() private areaId = '';
  @state() private start = weekStart(Date.now());
  @state() private occurrences: CalendarOccurrence[] = [];
  @state() private editing: { id: string } | undefined;
  @state() private error = '';
  @state() private notice = '';
  @state() private waiting = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    const tab = new URLSearchParams(location.hash.split('?')[1] ?? '').get('tab');
    if (tab && (TABS as readonly string[]).includes(tab)) this.tab = tab as Tab;
    void this.load();
  }

  private get isApprover(): boolean {
    return Boolean(this.user?.roles.some((r) => r === 'approver' || r === 'admin'));
  }

  private async load(): Promise<void> {
    try {
      this.areas = (await broadcastApi.targets()).areas;
      this.areaId = actionableAreas(this.areas)[0]?.id ?? '';
      await this.refresh();
      this.waiting = await broadcastApi.approvals().then((q) => q.broadcasts.length + q.schedules.length);
    } catch (err) {
      this.error = errorText(err);
    }
  }

  private async refresh(): Promise<void> {
    if (!this.areaId) return;
    try {
      const calendar = await broadcastApi.calendar(localDate(this.start), this.areaId);
      this.occurrences = calendar.occurrences;
      this.error = '';
    } catch (err) {
      this.error = errorText(err);
    }
  }

  private go(weeks: number): void {
    this.start = weeks === 0 ? weekStart(Date.now()) : addWeeks(this.start, weeks);
    void this.refresh();
  }

  private saved(e: CustomEvent<SaveResult>): void {
    const { schedule, published } = e.detail;
    this.notice =
      schedule.status === 'pending-approval'
        ? t('bc.saved.pending', { title: schedule.title })
        : t('bc.saved.active', { title: schedule.title, clusters: Object.keys(published).length });
    this.editing = undefined;
    void this.refresh();
    void broadcastApi.approvals().then((q) => {
      this.waiting = q.broadcasts.length + q.schedules.length;
    });
  }

  override render() {
    const tabs: [Tab, string][] = [
      ['calendar', t('bc.tab.calendar')],
      ['approvals', t('bc.tab.approvals')],
      ['play', t('bc.tab.play')],
    ];
    return html`
      <h1>${t('bc.title')}</h1>
      <div role="tablist" aria-label=${t('bc.title')}>
        ${tabs.map(
          ([id, label]) => html`<button type="button" role="tab" id="tab-${id}" aria-controls="panel"
            aria-selected=${this.tab === id ? 'true' : 'false'} @click=${() => {
              this.tab = id;
              this.notice = '';
            }}>${label}${id === 'approvals' && this.waiting > 0 ? html`<span class="badge" aria-label=${t('bc.approvals.count', { count: this.waiting })}>${this.waiting}</span>` : ''}</button>`,
        )}
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      ${this.notice ? html`<p class="ok" role="status">${this.notice}</p>` : ''}
      <div id="panel" role="tabpanel" aria-labelledby="tab-${this.tab}">${this.panel()}</div>
    `;
  }

  private panel() {
    if (this.tab === 'approvals')
      return html`<xs-approval-queue .areas=${this.areas} ?canDecide=${this.isApprover}
        @queue-size=${(e: CustomEvent<number>) => {
          this.waiting = e.detail;
          void this.refresh();
        }}></xs-approval-queue>`;
    if (this.tab === 'play') return html`<xs-play-now .areas=${this.areas}></xs-play-now>`;
    if (this.editing)
      return html`<section class="card">
        <xs-schedule-editor .areas=${this.areas} .scheduleId=${this.editing.id}
          .initial=${this.areaId ? { target: { kind: 'area', areaId: this.areaId } } : {}}
          @schedule-saved=${this.saved}
          @schedule-deleted=${() => {
            this.notice = t('bc.saved.deleted');
            this.editing = undefined;
            void this.refresh();
          }}
          @editor-close=${() => {
            this.editing = undefined;
          }}></xs-schedule-editor>
      </section>`;
    return this.calendar();
  }

  private calendar() {
    const choices = actionableAreas(this.areas);
    const end = this.start + 6 * DAY_MS;
    return html`
      <div class="toolbar">
        <label>${t('bc.area')}
          <select @change=${(e: Event) => {
            this.areaId = (e.target as HTMLSelectElement).value;
            void this.refresh();
          }}>
            ${choices.map((a) => html`<option value=${a.id} ?selected=${a.id === this.areaId}>${a.name}</option>`)}
          </select>
        </label>
        <div class="week" role="group" aria-label=${t('bc.week.label')}>
          <button type="button" class="secondary" @click=${() => this.go(-1)} aria-label=${t('bc.week.previous')}>←</button>
          <strong aria-live="polite">${t('bc.week.range', { from: formatDate(this.start).slice(0, 5), to: formatDate(end) })}</strong>
          <button type="button" class="secondary" @click=${() => this.go(1)} aria-label=${t('bc.week.next')}>→</button>
          <button type="button" class="secondary" @click=${() => this.go(0)}>${t('bc.week.this')}</button>
        </div>
        <button type="button" @click=${() => {
          this.notice = '';
          this.editing = { id: '' };
        }}>${t('bc.newSchedule')}</button>
      </div>
      ${choices.length === 0 ? html`<p>${t('bc.noAreas')}</p>` : ''}
      <xs-week-calendar .occurrences=${this.occurrences} .start=${this.start} .now=${Date.now()}
        @occurrence-select=${(e: CustomEvent<CalendarOccurrence>) => {
          this.notice = '';
          this.editing = { id: e.detail.scheduleId };
        }}></xs-week-calendar>
      <p class="legend">
        <span><span class="swatch"></span>${t('bc.legend.active')}</span>
        <span><span class="swatch pending"></span>${t('bc.legend.pending')}</span>
        <span>${t('bc.legend.timezone')}</span>
      </p>
    `;
  }
}
