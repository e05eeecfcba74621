import { html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { type AudioItem, api, errorText } from '../api.js';
import { formatDate, formatDuration, formatNumber } from '../format.js';
import { t } from '../i18n/locale.js';
import { LocalizedElement } from '../shell/localized-element.js';
import { sharedStyles } from '../shell/shared-styles.js';

/** The audio library: search, preview, upload with progress, text-to-speech. */
@customElement('xs-audio-page')
export class XsAudioPage extends LocalizedElement {
  static override styles = sharedStyles;

  @state() private items: AudioItem[] = [];
  @state() private total = 0;
  @state() private query = '';
  @state() private listError = '';
  @state() private uploadError = '';
  @state() private uploadNotice = '';
  @state() private progress: number | undefined;
  @state() private ttsError = '';
  @state() private ttsNotice = '';
  @state() private ttsBusy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    try {
      const list = await api.listAudio(this.query);
      this.items = list.items;
      this.total = list.total;
      this.listError = '';
    } catch (err) {
      this.listError = errorText(err);
    }
  }

  private search(e: SubmitEvent): void {
    e.preventDefault();
    this.query = String(new FormData(e.target as HTMLFormElement).get('q') ?? '').trim();
    void this.refresh();
  }

  private async upload(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const formElement = e.target as HTMLFormElement;
    const form = new FormData(formElement);
    const file = form.get('file');
    this.uploadError = '';
    this.uploadNotice = '';
    if (!(file instanceof File) || file.size === 0) {
      this.uploadError = t('audio.upload.noFile');
      return;
    }
    for (const key of ['title', 'tags']) if (String(form.get(key) ?? '').trim() === '') form.delete(key);
    this.progress = 0;
    try {
      const result = await api.uploadAudio(form, (fraction) => {
        this.progress = fraction;
      });
      this.uploadNotice = t(result.created ? 'audio.upload.done' : 'audio.upload.exists', {
        title: result.item.title,
      });
      formElement.reset();
      await this.refresh();
    } catch (err) {
      this.uploadError = errorText(err);
    } finally {
      this.progress = undefined;
    }
  }

  private async speak(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const formElement = e.target as HTMLFormElement;
    const form = new FormData(formElement);
    this.ttsBusy = true;
    this.ttsError = '';
    this.ttsNotice = '';
    try {
      const title = String(form.get('title') ?? '').trim();
      const result = await api.speak(String(form.get('text') ?? ''), title || undefined);
      this.ttsNotice = t(result.created ? 'audio.upload.done' : 'audio.upload.exists', {
        title: result.item.title,
      });
      formElement.reset();
      await this.refresh();
    } catch (err) {
      this.ttsError = errorText(err);
    } finally {
      this.ttsBusy = false;
    }
  }

  private loudness(item: AudioItem): string {
    const after = item.loudness.afterLufs;
    if (item.loudness.status === 'normalised' && after !== null)
      return t('audio.loudness.normalised', { lufs: formatNumber(after, 1) });
    return t('audio.loudness.notNormalised');
  }

  override render() {
    const percent = this.progress === undefined ? 0 : Math.round(this.progress * 100);
    return html`
      <h1>${t('audio.title')}</h1>
      <section class="card">
        <form role="search" @submit=${this.search}>
          <label>${t('audio.search')}<input name="q" type="search" .value=${this.query}></label>
          <button type="submit">${t('audio.searchButton')}</button>
        </form>
      </section>
      <section class="card" aria-live="polite">
        ${this.listError ? html`<p class="error" role="alert">${this.listError}</p>` : ''}
        <p>${t('audio.count', { count: this.total })}</p>
        ${this.items.length === 0 ? html`<p>${t('audio.empty')}</p>` : this.table()}
      </section>
      <section class="card" aria-labelledby="upload-title">
        <h2 id="upload-title">${t('audio.upload.title')}</h2>
        <form @submit=${this.upload}>
          <label>${t('audio.upload.file')}
            <input name="file" type="file" accept=".mp3,.wav,.ogg,audio/mpeg,audio/wav,audio/ogg" required>
          </label>
          <label>${t('audio.upload.name')}<input name="title" maxlength="200"></label>
          <label>${t('audio.upload.tags')}<input name="tags" maxlength="2000"></label>
          ${
            this.progress === undefined
              ? ''
              : html`<label>${t('audio.upload.progress', { percent })}
                  <progress max="100" .value=${percent}></progress></label>`
          }
          ${this.uploadError ? html`<p class="error" role="alert">${this.uploadError}</p>` : ''}
          ${this.uploadNotice ? html`<p class="ok" role="status">${this.uploadNotice}</p>` : ''}
          <button type="submit" ?disabled=${this.progress !== undefined}>${t('audio.upload.submit')}</button>
        </form>
      </section>
      <section class="card" aria-labelledby="tts-title">
        <h2 id="tts-title">${t('audio.tts.title')}</h2>
        <form @submit=${this.speak}>
          <label>${t('audio.tts.text')}<textarea name="text" required maxlength="5000"></textarea></label>
          <label>${t('audio.tts.name')}<input name="title" maxlength="200"></label>
          ${this.ttsError ? html`<p class="error" role="alert">${this.ttsError}</p>` : ''}
          ${this.ttsNotice ? html`<p class="ok" role="status">${this.ttsNotice}</p>` : ''}
          <button type="submit" ?disabled=${this.ttsBusy}>
            ${this.ttsBusy ? t('audio.tts.busy') : t('audio.tts.submit')}
          </button>
        </form>
      </section>
    `;
  }

  private table() {
    return html`<div class="table-wrap"><table>
      <thead><tr>
        <th scope="col">${t('audio.col.title')}</th>
        <th scope="col">${t('audio.col.duration')}</th>
        <th scope="col">${t('audio.col.loudness')}</th>
        <th scope="col">${t('audio.col.source')}</th>
        <th scope="col">${t('audio.col.created')}</th>
        <th scope="col">${t('audio.col.preview')}</th>
      </tr></thead>
      <tbody>
        ${this.items.map(
          (item) => html`<tr data-audio-id=${item.id}>
            <td>${item.title}</td>
            <td class="duration">${formatDuration(item.durationMs)}</td>
            <td>${this.loudness(item)}</td>
            <td>${t(`audio.source.${item.source}`)}</td>
            <td>${formatDate(item.createdAt)}</td>
            <td><audio controls preload="none" src="/api/audio/${item.id}/content"
              aria-label=${`${t('audio.col.preview')}: ${item.title}`}></audio></td>
          </tr>`,
        )}
      </tbody>
    </table></div>`;
  }
}
