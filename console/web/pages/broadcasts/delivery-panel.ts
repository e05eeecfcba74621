import { css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { errorText } from '../../api.js';
import { formatDateTime } from '../../format.js';
import { t } from '../../i18n/locale.js';
import { LocalizedElement } from '../../shell/localized-element.js';
import { sharedStyles } from '../../shell/shared-styles.js';
import { type DeliveryProgress, type TargetArea, broadcastApi } from './broadcast-api.js';
import { type AckStatus, answeredInOrder, deliveryCounts } from './delivery-counts.js';

/** Per-cluster statuses come from GET /delivery, asked at most this often while acks stream in. */
const DETAIL_EVERY_MS = 250;

/**
 * The live answer of the clusters to one broadcast: counts against the total, a progress bar, the clusters
 * in the order they acknowledged (server-sent events), and after the deadline the ones that did not answer.
 */
@customElement('xs-delivery-panel')
export class XsDeliveryPanel extends LocalizedElement {
  static override styles = [
    sharedStyles,
    css`
      .counts {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(8rem, 1fr));
        gap: 0.5rem;
        margin: 0 0 0.75rem;
        padding: 0;
      }
      .counts div {
        border: 1px solid var(--xs-line, #c9d1d9);
        border-radius: 6px;
        padding: 0.5rem;
        background: #fff;
      }
      .counts dt {
        font-size: 0.9rem;
      }
      .counts dd {
        margin: 0;
        font-size: 1.6rem;
        font-weight: 700;
      }
      :host([big]) .counts dd {
        font-size: 2.4rem;
      }
      .failed dd {
        color: var(--xs-danger, #a4161a);
      }
      .playing dd,
      .delivered dd {
        color: var(--xs-ok, #1e7b34);
      }
      progress {
        width: 100%;
        height: 1.5rem;
      }
      ol {
        margin: 0;
        padding-left: 1.5rem;
        columns: 16rem auto;
      }
      li {
        padding: 0.15rem 0;
        break-inside: avoid;
      }
      .status {
        font-weight: 600;
      }
      .status.failed,
      .status.refused,
      .status.silent {
        color: var(--xs-danger, #a4161a);
      }
      .actions {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
        margin-top: 0.75rem;
      }
    `,
  ];

  @property() broadcastId = '';
  @property({ attribute: false }) areas: TargetArea[] = [];
  /** After this many seconds from the send, clusters still silent are listed as not answering. */
  @property({ type: Number }) deadlineS = 30;
  @property({ type: Boolean, reflect: true }) big = false;
  @state() private progress: DeliveryProgress | undefined;
  @state() private order: string[] = [];
  @state() private statuses = new Map<string, AckStatus>();
  private lastSilent: string[] = [];
  @state() private error = '';
  @state() private stopped = false;
  @state() private pastDeadline = false;
  private source: EventSource | undefined;
  private detailTimer: ReturnType<typeof setTimeout> | undefined;
  private deadlineTimer: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.listen();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.source?.close();
    clearTimeout(this.detailTimer);
    clearTimeout(this.deadlineTimer);
  }

  private listen(): void {
    const source = new EventSource(broadcastApi.deliveryStreamUrl(this.broadcastId));
    this.source = source;
    const onProgress = (e: MessageEvent<string>) => this.apply(JSON.parse(e.data) as DeliveryProgress);
    source.addEventListener('progress', onProgress);
    source.addEventListener('finished', (e) => {
      onProgress(e as MessageEvent<string>);
      source.close();
    });
    // The stream ends by itself after a while; the last full answer is still worth showing.
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) void this.detail();
    };
  }

  private apply(p: DeliveryProgress): void {
    if (!this.progress) {
      const wait = p.sentAt + this.deadlineS * 1000 - Date.now();
      this.deadlineTimer = setTimeout(
        () => {
          this.pastDeadline = true;
        },
        Math.max(0, wait),
      );
    }
    // The stream carries counts and who is still silent: whoever left that list just answered.
    const silent = new Set(p.silent);
    this.addAnswered(this.lastSilent.filter((id) => !silent.has(id)));
    this.lastSilent = p.silent;
    this.progress = p;
    this.detailTimer ??= setTimeout(() => void this.detail(), DETAIL_EVERY_MS);
  }

  private addAnswered(ids: string[]): void {
    const known = new Set(this.order);
    const fresh = ids.filter((id) => !known.has(id));
    if (fresh.length > 0) this.order = [...this.order, ...fresh];
  }

  private async detail(): Promise<void> {
    this.detailTimer = undefined;
    try {
      const full = await broadcastApi.delivery(this.broadcastId);
      const answered = answeredInOrder(full);
      this.statuses = new Map(answered.map((c) => [c.clusterId, c.status]));
      this.addAnswered(answered.map((c) => c.clusterId));
      this.progress = full;
      this.lastSilent = full.silent;
      this.error = '';
    } catch (err) {
      this.error = errorText(err);
    }
  }

  private async stop(): Promise<void> {
    try {
      await broadcastApi.stop(this.broadcastId);
      this.stopped = true;
    } catch (err) {
      this.error = errorText(err);
    }
  }

  private name(id: string): string {
    for (const a of this.areas) {
      const found = a.clusters.find((c) => c.id === id);
      if (found) return found.name;
    }
    return id;
  }

  override render() {
    const p = this.progress;
    if (!p) return html`<p role="status">${this.error || t('bc.delivery.waiting')}</p>`;
    const n = deliveryCounts(p);
    return html`
      <p>${t('bc.delivery.sentAt', { time: formatDateTime(p.sentAt) })}</p>
      <dl class="counts" aria-live="polite" aria-atomic="true">
        <div class="delivered" data-count="delivered"><dt>${t('bc.delivery.delivered')}</dt><dd>${n.delivered}/${n.total}</dd></div>
        <div class="playing" data-count="playing"><dt>${t('bc.delivery.playing')}</dt><dd>${n.playing}/${n.total}</dd></div>
        <div data-count="done"><dt>${t('bc.delivery.done')}</dt><dd>${n.done}/${n.total}</dd></div>
        <div class="failed" data-count="failed"><dt>${t('bc.delivery.failed')}</dt><dd>${n.failed}/${n.total}</dd></div>
        <div data-count="silent"><dt>${this.pastDeadline ? t('bc.delivery.noAnswer') : t('bc.delivery.pending')}</dt>
          <dd>${n.silent}/${n.total}</dd></div>
      </dl>
      <label>${t('bc.delivery.progress', { answered: n.delivered, total: n.total })}
        <progress max=${n.total} .value=${n.delivered}></progress>
      </label>
      <h3>${t('bc.delivery.answered')}</h3>
      ${
        this.order.length === 0
          ? html`<p class="hint">${t('bc.delivery.noneYet')}</p>`
          : html`<ol class="answered">${this.order.map((id) => {
              const status = this.statuses.get(id) ?? 'received';
              return html`<li data-cluster-id=${id} data-status=${status}>${this.name(id)} —
                <span class="status ${status}">${t(`bc.ack.${status}`)}</span></li>`;
            })}</ol>`
      }
      ${
        this.pastDeadline && p.silent.length > 0
          ? html`<h3>${t('bc.delivery.silentTitle', { count: p.silent.length })}</h3>
              <ul class="silent">${p.silent.map(
                (id) =>
                  html`<li data-cluster-id=${id}><span class="status silent">${this.name(id)}</span></li>`,
              )}</ul>`
          : ''
      }
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      <div class="actions">
        ${
          this.stopped
            ? html`<p class="ok" role="status">${t('bc.delivery.stopped')}</p>`
            : html`<button type="button" class="danger" @click=${this.stop}>${t('bc.delivery.stop')}</button>`
        }
      </div>
    `;
  }
}
