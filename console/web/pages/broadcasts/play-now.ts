import { css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { errorText } from '../../api.js';
import { t } from '../../i18n/locale.js';
import { LocalizedElement } from '../../shell/localized-element.js';
import { sharedStyles } from '../../shell/shared-styles.js';
import {
  type BroadcastRecord,
  type PlayRequest,
  type Target,
  type TargetArea,
  broadcastApi,
} from './broadcast-api.js';
import { formLayoutStyles } from './form-styles.js';
import './delivery-panel.js';
import './playlist-picker.js';
import { clustersOf, targetName } from './target-tree.js';
import './target-picker.js';

/** "Phát ngay": audio from the library or a live stream, to chosen targets, confirmed, then its delivery. */
@customElement('xs-play-now')
export class XsPlayNow extends LocalizedElement {
  static override styles = [
    sharedStyles,
    formLayoutStyles,
    css`
      .confirm {
        border: 2px solid var(--xs-brand, #0b5c8a);
        border-radius: 6px;
        padding: 1rem;
        background: #eef6fb;
        display: grid;
        gap: 0.75rem;
      }
      .actions {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
      }
    `,
  ];

  @property({ attribute: false }) areas: TargetArea[] = [];
  @state() private source: 'audio' | 'live' = 'audio';
  @state() private playlist: string[] = [];
  @state() private url = '';
  @state() private targets: Target[] = [];
  @state() private repeat = 1;
  @state() private volume = 80;
  @state() private step: 'form' | 'confirm' | 'sent' = 'form';
  @state() private sent: BroadcastRecord | undefined;
  @state() private error = '';
  @state() private busy = false;

  private request(): PlayRequest {
    return this.source === 'audio'
      ? {
          kind: 'play',
          targets: this.targets,
          playlist: this.playlist,
          repeat: this.repeat,
          volume: this.volume,
        }
      : { kind: 'live', targets: this.targets, url: this.url.trim(), volume: this.volume };
  }

  private review(e: SubmitEvent): void {
    e.preventDefault();
    if (this.targets.length === 0) this.error = t('bc.play.needTargets');
    else if (this.source === 'audio' && this.playlist.length === 0) this.error = t('bc.play.needAudio');
    else if (this.source === 'live' && !/^https?:\/\/\S+$/.test(this.url.trim()))
      this.error = t('bc.play.needUrl');
    else {
      this.error = '';
      this.step = 'confirm';
    }
  }

  private async send(): Promise<void> {
    this.busy = true;
    try {
      this.sent = await broadcastApi.play(this.request());
      this.step = 'sent';
      this.error = '';
    } catch (err) {
      this.error = errorText(err);
      this.step = 'form';
    } finally {
      this.busy = false;
    }
  }

  private again(): void {
    this.step = 'form';
    this.sent = undefined;
  }

  override render() {
    if (this.step === 'sent' && this.sent) return this.sentView(this.sent);
    if (this.step === 'confirm') return this.confirmView();
    return html`<form @submit=${this.review} novalidate aria-labelledby="play-title">
      <h2 id="play-title">${t('bc.play.title')}</h2>
      <div class="columns">
        <div class="stack">
          <div class="choices" role="radiogroup" aria-label=${t('bc.play.source')}>
            <label><input type="radio" name="source" .checked=${this.source === 'audio'}
              @change=${() => {
                this.source = 'audio';
              }}>${t('bc.play.fromLibrary')}</label>
            <label><input type="radio" name="source" .checked=${this.source === 'live'}
              @change=${() => {
                this.source = 'live';
              }}>${t('bc.play.live')}</label>
          </div>
          ${
            this.source === 'audio'
              ? html`<xs-playlist-picker .value=${this.playlist}
                  @playlist-change=${(e: CustomEvent<string[]>) => {
                    this.playlist = e.detail;
                  }}></xs-playlist-picker>
                <label>${t('bc.play.repeat')}<input type="number" min="1" max="20" .value=${String(this.repeat)}
                  @change=${(e: Event) => {
                    this.repeat = Math.max(
                      1,
                      Math.min(20, Number((e.target as HTMLInputElement).value) || 1),
                    );
                  }}></label>`
              : html`<label>${t('bc.play.url')}<span class="hint">${t('bc.play.urlHint')}</span>
                  <input type="url" inputmode="url" .value=${this.url} placeholder="http://"
                    @input=${(e: Event) => {
                      this.url = (e.target as HTMLInputElement).value;
                    }}></label>`
          }
          <label>${t('bc.editor.volume', { volume: this.volume })}
            <input type="range" min="0" max="100" step="5" .value=${String(this.volume)}
              @change=${(e: Event) => {
                this.volume = Number((e.target as HTMLInputElement).value);
              }}></label>
        </div>
        <xs-target-picker multiple .areas=${this.areas} .value=${this.targets}
          @targets-change=${(e: CustomEvent<Target[]>) => {
            this.targets = e.detail;
          }}></xs-target-picker>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      <button type="submit">${t('bc.play.review')}</button>
    </form>`;
  }

  private confirmView() {
    const clusters = clustersOf(this.areas, this.targets).length;
    const where = this.targets.map((x) => targetName(this.areas, x)).join(', ');
    return html`<section class="confirm" aria-labelledby="confirm-title">
      <h2 id="confirm-title">${t('bc.play.confirmTitle')}</h2>
      <p>${t(this.source === 'audio' ? 'bc.play.confirmAudio' : 'bc.play.confirmLive', {
        count: this.playlist.length,
        url: this.url,
        clusters,
        where,
      })}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      <div class="actions">
        <button type="button" ?disabled=${this.busy} @click=${this.send}>${t('bc.play.send')}</button>
        <button type="button" class="secondary" @click=${() => {
          this.step = 'form';
        }}>${t('bc.play.back')}</button>
      </div>
    </section>`;
  }

  private sentView(b: BroadcastRecord) {
    if (b.status === 'pending-approval')
      return html`<section class="card">
        <p class="ok" role="status">${t('bc.play.waitingApproval')}</p>
        <button type="button" class="secondary" @click=${this.again}>${t('bc.play.another')}</button>
      </section>`;
    return html`<section aria-labelledby="delivery-title">
      <h2 id="delivery-title">${t('bc.play.deliveryTitle')}</h2>
      <xs-delivery-panel .broadcastId=${b.id} .areas=${this.areas}></xs-delivery-panel>
      <button type="button" class="secondary" @click=${this.again}>${t('bc.play.another')}</button>
    </section>`;
  }
}
