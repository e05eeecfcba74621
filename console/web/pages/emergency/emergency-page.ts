import { css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, errorText } from '../../api.js';
import { t } from '../../i18n/locale.js';
import { LocalizedElement } from '../../shell/localized-element.js';
import { sharedStyles } from '../../shell/shared-styles.js';
import {
  type BroadcastRecord,
  type Target,
  type TargetArea,
  broadcastApi,
} from '../broadcasts/broadcast-api.js';
import { formLayoutStyles } from '../broadcasts/form-styles.js';
import '../broadcasts/delivery-panel.js';
import '../broadcasts/playlist-picker.js';
import '../broadcasts/target-picker.js';
import { clustersOf, targetName } from '../broadcasts/target-tree.js';
import { confirmationWord, matchesConfirmation } from './confirmation.js';

type Step = 'choose' | 'confirm' | 'live';

/** #/emergency: choose areas and a message, confirm deliberately, then watch every cluster answer. */
@customElement('xs-emergency-page')
export class XsEmergencyPage extends LocalizedElement {
  static override styles = [
    sharedStyles,
    formLayoutStyles,
    css`
      :host {
        --xs-alarm: #a4161a;
      }
      h1 {
        color: var(--xs-alarm);
      }
      .steps {
        display: flex;
        gap: 0.5rem;
        list-style: none;
        padding: 0;
        margin: 0 0 1rem;
        flex-wrap: wrap;
      }
      .steps li {
        padding: 0.3rem 0.75rem;
        border-radius: 1rem;
        border: 1px solid #8a96a3;
        background: #fff;
      }
      .steps li[aria-current='step'] {
        background: var(--xs-alarm);
        border-color: var(--xs-alarm);
        color: #fff;
        font-weight: 700;
      }
      .confirm {
        border: 3px solid var(--xs-alarm);
        border-radius: 8px;
        background: #fdecea;
        padding: 1.25rem;
        display: grid;
        gap: 1rem;
      }
      .confirm .what {
        font-size: 1.3rem;
        font-weight: 700;
        color: var(--xs-alarm);
        margin: 0;
      }
      .confirm ul {
        margin: 0;
      }
      .big {
        font-size: 1.25rem;
        min-height: 3.5rem;
        padding: 0.5rem 1.5rem;
      }
      button.alarm {
        background: var(--xs-alarm);
        border-color: var(--xs-alarm);
        color: #fff;
        font-weight: 700;
      }
      .actions {
        display: flex;
        gap: 0.75rem;
        flex-wrap: wrap;
        align-items: center;
      }
      .typed {
        max-width: 28rem;
        font-size: 1.2rem;
      }
    `,
  ];

  @state() private areas: TargetArea[] = [];
  @state() private targets: Target[] = [];
  @state() private source: 'library' | 'tts' = 'tts';
  @state() private playlist: string[] = [];
  @state() private text = '';
  @state() private repeat = 3;
  @state() private step: Step = 'choose';
  @state() private typed = '';
  @state() private error = '';
  @state() private busy = false;
  @state() private sent: BroadcastRecord | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    broadcastApi
      .targets()
      .then(({ areas }) => {
        this.areas = areas;
      })
      .catch((err: unknown) => {
        this.error = errorText(err);
      });
  }

  private clusters(): number {
    return clustersOf(this.areas, this.targets).length;
  }

  private review(e: SubmitEvent): void {
    e.preventDefault();
    if (this.targets.length === 0) this.error = t('bc.em.needArea');
    else if (this.source === 'library' && this.playlist.length === 0) this.error = t('bc.play.needAudio');
    else if (this.source === 'tts' && this.text.trim() === '') this.error = t('bc.em.needText');
    else {
      this.error = '';
      this.typed = '';
      this.step = 'confirm';
    }
  }

  private async send(): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      const playlist =
        this.source === 'tts'
          ? [
              (await api.speak(this.text.trim(), `${t('bc.em.ttsTitle')}: ${this.text.trim().slice(0, 60)}`))
                .item.id,
            ]
          : this.playlist;
      this.sent = await broadcastApi.emergency({
        targets: this.targets,
        playlist,
        repeat: this.repeat,
        title: t('bc.em.ttsTitle'),
      });
      this.step = 'live';
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const steps: [Step, string][] = [
      ['choose', t('bc.em.step.choose')],
      ['confirm', t('bc.em.step.confirm')],
      ['live', t('bc.em.step.live')],
    ];
    return html`
      <h1>⚠ ${t('bc.em.title')}</h1>
      <ol class="steps" aria-label=${t('bc.em.steps')}>
        ${steps.map(([id, label], i) => html`<li aria-current=${this.step === id ? 'step' : 'false'}>${i + 1}. ${label}</li>`)}
      </ol>
      ${this.step === 'choose' ? this.chooseView() : this.step === 'confirm' ? this.confirmView() : this.liveView()}
    `;
  }

  private chooseView() {
    return html`<form class="card" @submit=${this.review} novalidate>
      <p>${t('bc.em.intro')}</p>
      <div class="columns">
        <xs-target-picker multiple areas-only .legend=${t('bc.em.areas')} .areas=${this.areas} .value=${this.targets}
          @targets-change=${(e: CustomEvent<Target[]>) => {
            this.targets = e.detail;
          }}></xs-target-picker>
        <div class="stack">
          <div class="choices" role="radiogroup" aria-label=${t('bc.em.message')}>
            <label><input type="radio" name="source" .checked=${this.source === 'tts'} @change=${() => {
              this.source = 'tts';
            }}>${t('bc.em.fromText')}</label>
            <label><input type="radio" name="source" .checked=${this.source === 'library'} @change=${() => {
              this.source = 'library';
            }}>${t('bc.play.fromLibrary')}</label>
          </div>
          ${
            this.source === 'tts'
              ? html`<label>${t('bc.em.text')}
                  <textarea maxlength="2000" .value=${this.text} @input=${(e: Event) => {
                    this.text = (e.target as HTMLTextAreaElement).value;
                  }}></textarea></label>`
              : html`<xs-playlist-picker .value=${this.playlist} @playlist-change=${(
                  e: CustomEvent<string[]>,
                ) => {
                  this.playlist = e.detail;
                }}></xs-playlist-picker>`
          }
          <label>${t('bc.em.repeat')}
            <input type="number" min="1" max="20" .value=${String(this.repeat)} @change=${(e: Event) => {
              this.repeat = Math.max(1, Math.min(20, Number((e.target as HTMLInputElement).value) || 1));
            }}></label>
          <p class="hint">${t('bc.em.volumeNote')}</p>
        </div>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      <button type="submit" class="big alarm">${t('bc.em.next')}</button>
    </form>`;
  }

  private confirmView() {
    const word = confirmationWord(this.areas, this.targets);
    const ready = matchesConfirmation(this.typed, word);
    const names = this.targets.map((x) => targetName(this.areas, x));
    return html`<section class="confirm" aria-labelledby="confirm-what">
      <p class="what" id="confirm-what">${t('bc.em.override', { clusters: this.clusters() })}</p>
      <ul>${names.map((n) => html`<li>${n}</li>`)}</ul>
      <p>${
        this.source === 'tts'
          ? t('bc.em.willSay', { text: this.text.trim(), repeat: this.repeat })
          : t('bc.em.willPlay', { count: this.playlist.length, repeat: this.repeat })
      }</p>
      <label>${t('bc.em.typeToConfirm', { word })}
        <input class="typed" autocomplete="off" .value=${this.typed} @input=${(e: Event) => {
          this.typed = (e.target as HTMLInputElement).value;
        }}></label>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      <div class="actions">
        <button type="button" class="big alarm" ?disabled=${!ready || this.busy} @click=${this.send}>
          ${this.busy ? t('bc.em.sending') : t('bc.em.send', { clusters: this.clusters() })}</button>
        <button type="button" class="secondary big" @click=${() => {
          this.step = 'choose';
        }}>${t('bc.play.back')}</button>
      </div>
    </section>`;
  }

  private liveView() {
    const b = this.sent;
    if (!b) return '';
    if (b.status === 'pending-approval')
      return html`<p class="ok" role="status">${t('bc.em.waitingApproval')}</p>`;
    return html`<section class="card" aria-labelledby="live-title">
      <h2 id="live-title">${t('bc.em.liveTitle', { clusters: b.clusters.length })}</h2>
      <xs-delivery-panel big .broadcastId=${b.id} .areas=${this.areas} .deadlineS=${30}></xs-delivery-panel>
    </section>`;
  }
}
