import { css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { errorText } from '../../api.js';
import { formatDateTime } from '../../format.js';
import { t } from '../../i18n/locale.js';
import { LocalizedElement } from '../../shell/localized-element.js';
import { sharedStyles } from '../../shell/shared-styles.js';
import {
  type Approvals,
  type BroadcastRecord,
  type ScheduleRecord,
  type TargetArea,
  broadcastApi,
} from './broadcast-api.js';
import { recurrenceText } from './recurrence-text.js';
import { targetName } from './target-tree.js';

type Item = { kind: 'schedules'; record: ScheduleRecord } | { kind: 'broadcasts'; record: BroadcastRecord };

/** Items waiting for an approver: who asked, what and where; approve or reject with a reason. */
@customElement('xs-approval-queue')
export class XsApprovalQueue extends LocalizedElement {
  static override styles = [
    sharedStyles,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.75rem;
      }
      li {
        border: 1px solid var(--xs-line, #c9d1d9);
        border-left: 6px solid #8a6100;
        border-radius: 6px;
        padding: 0.75rem;
        background: #fff;
        display: grid;
        gap: 0.5rem;
      }
      li.emergency {
        border-left-color: var(--xs-danger, #a4161a);
      }
      h3 {
        margin: 0;
        font-size: 1.1rem;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.2rem 0.75rem;
        margin: 0;
      }
      dt {
        font-weight: 600;
      }
      dd {
        margin: 0;
      }
      textarea {
        min-height: 3rem;
      }
    `,
  ];

  @property({ attribute: false }) areas: TargetArea[] = [];
  /** Approvers decide; operators only see what is waiting. */
  @property({ type: Boolean }) canDecide = false;
  @state() private queue: Approvals = { broadcasts: [], schedules: [] };
  @state() private error = '';
  @state() private notice = '';
  private notes = new Map<string, string>();

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      this.queue = await broadcastApi.approvals();
      this.error = '';
      this.dispatchEvent(
        new CustomEvent('queue-size', {
          detail: this.queue.broadcasts.length + this.queue.schedules.length,
          bubbles: true,
          composed: true,
        }),
      );
    } catch (err) {
      this.error = errorText(err);
    }
  }

  private async decide(item: Item, approve: boolean): Promise<void> {
    const note = this.notes.get(item.record.id) ?? '';
    if (!approve && note.trim() === '') {
      this.error = t('bc.approvals.reasonNeeded');
      return;
    }
    try {
      await broadcastApi.decide(item.kind, item.record.id, approve, note.trim());
      const title = this.titleOf(item);
      this.notice = t(approve ? 'bc.approvals.approved' : 'bc.approvals.rejected', { title });
      this.error = '';
      await this.refresh();
    } catch (err) {
      this.error = errorText(err);
    }
  }

  private titleOf(item: Item): string {
    if (item.kind === 'schedules') return item.record.title;
    return (
      item.record.request.title ||
      t(item.record.priority === 'emergency' ? 'bc.approvals.emergency' : 'bc.approvals.playNow')
    );
  }

  override render() {
    const items: Item[] = [
      ...this.queue.broadcasts.map((record): Item => ({ kind: 'broadcasts', record })),
      ...this.queue.schedules.map((record): Item => ({ kind: 'schedules', record })),
    ];
    return html`
      <div aria-live="polite">
        ${this.notice ? html`<p class="ok" role="status">${this.notice}</p>` : ''}
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      </div>
      ${items.length === 0 ? html`<p>${t('bc.approvals.empty')}</p>` : html`<ul>${items.map((i) => this.item(i))}</ul>`}
    `;
  }

  private item(item: Item) {
    const r = item.record;
    const emergency = r.priority === 'emergency';
    const where =
      item.kind === 'schedules'
        ? targetName(this.areas, item.record.target)
        : item.record.targets.map((x) => targetName(this.areas, x)).join(', ');
    const title = this.titleOf(item);
    return html`<li class=${emergency ? 'emergency' : ''} data-approval-id=${r.id}>
      <h3>${emergency ? `⚠ ${t('bc.approvals.emergency')}: ` : ''}${title}</h3>
      <dl>
        <dt>${t('bc.approvals.kind')}</dt>
        <dd>${item.kind === 'schedules' ? t('bc.approvals.schedule') : t('bc.approvals.playNow')}</dd>
        <dt>${t('bc.approvals.requestedBy')}</dt><dd>${r.createdBy}</dd>
        <dt>${t('bc.approvals.requestedAt')}</dt><dd>${formatDateTime(r.createdAt)}</dd>
        <dt>${t('bc.approvals.where')}</dt><dd>${where}</dd>
        ${item.kind === 'schedules' ? html`<dt>${t('bc.approvals.when')}</dt><dd>${recurrenceText(item.record.recurrence)}</dd>` : ''}
      </dl>
      ${
        this.canDecide
          ? html`<label>${t('bc.approvals.reason')}
              <textarea maxlength="500" @input=${(e: Event) => this.notes.set(r.id, (e.target as HTMLTextAreaElement).value)}></textarea>
            </label>
            <div class="row-actions">
              <button type="button" @click=${() => this.decide(item, true)}
                aria-label=${t('bc.approvals.approveLabel', { title })}>${t('bc.approvals.approve')}</button>
              <button type="button" class="danger" @click=${() => this.decide(item, false)}
                aria-label=${t('bc.approvals.rejectLabel', { title })}>${t('bc.approvals.reject')}</button>
            </div>`
          : html`<p class="hint">${t('bc.approvals.waiting')}</p>`
      }
    </li>`;
  }
}
