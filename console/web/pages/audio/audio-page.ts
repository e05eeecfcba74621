import { html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { type Area, type AudioItem, type UserView, api, errorText } from '../../api.js';
import { formatDate, formatDuration, formatNumber } from '../../format.js';
import { t } from '../../i18n/locale.js';
import { LocalizedElement } from '../../shell/localized-element.js';
import { sharedStyles } from '../../shell/shared-styles.js';
import { type OwnerOption, ownerOptions } from './owner-choice.js';

type Scope = 'all' | 'mine' | 'shared';

/**
 * The audio library: search, filter by owner, preview, upload with progress, text-to-speech. A commune's
 * own items belong to it; province-level items are for everyone, and admins share commune items.
 */
@customElement('xs-audio-page')
export class XsAudioPage extends LocalizedElement {
  static override styles = sharedStyles;

  @property({ attribute: false }) user: UserView | undefined;

  @state() private items: AudioItem[] = [];
  @state() private total = 0;
  @state() private query = '';
  @state() private scope: Scope = 'all';
  @state() private areas: Area[] = [];
  @state() private listError = '';
  @state() private listNotice = '';
  @state() private uploadError = '';
  @state() private uploadNotice = '';
  @state() private progress: number | undefined;
  @state() private ttsError = '';
  @state() private ttsNotice = '';
  @state() private ttsBusy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
    void this.loadAreas();
  }

  private async loadAreas(): Promise<void> {
    try {
      this.areas = (await api.listAreas()).areas;
    } catch (err) {
      this.listError = errorText(err);
    }
  }

  private async refresh(): Promise<void> {
    try {
      const list = await api.listAudio(this.query, this.scope);
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

  private filter(e: Event): void {
    const value = (e.target as HTMLSelectElement).value;
    this.scope = value === 'mine' || value === 'shared' ? value : 'all';
    void this.refresh();
  }

  private owners(): OwnerOption[] {
    return this.user ? ownerOptions(this.user, this.areas, t('audio.owner.province')) : [];
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
      const owner = form.get('areaId');
      const areaId = owner === null ? undefined : String(owner) === '' ? null : String(owner);
      const result = await api.speak(String(form.get('text') ?? ''), title || undefined, areaId);
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

  private async share(item: AudioItem): Promise<void> {
    this.listNotice = '';
    try {
      const updated = await api.shareAudio(item.id, !item.shared);
      this.listNotice = t(updated.shared ? 'audio.share.done' : 'audio.unshare.done', { title: item.title });
      await this.refresh();
    } catch (err) {
      this.listError = errorText(err);
    }
  }

  private loudness(item: AudioItem): string {
    const after = item.loudness.afterLufs;
    if (item.loudness.status === 'normalised' && after !== null)
      return t('audio.loudness.normalised', { lufs: formatNumber(after, 1) });
    return t('audio.loudness.notNormalised');
  }

  private owner(item: AudioItem): string {
    if (item.ownerAreaName === null) return t('audio.owner.province');
    return item.shared ? t('audio.owner.shared', { area: item.ownerAreaName }) : item.ownerAreaName;
  }

  /** A select when there is a choice, else a line saying where new items go. */
  private ownerField(id: string) {
    const options = this.owners();
    const [only] = options;
    if (options.length === 1 && only)
      return html`<p class="hint">${t('audio.owner.yours', { area: only.label })}</p>`;
    if (options.length === 0) return '';
    return html`<label for=${id}>${t('audio.owner.field')}
      <select id=${id} name="areaId">
        ${options.map((o) => html`<option value=${o.value}>${o.label}</option>`)}
      </select></label>`;
  }

  override render() {
    const percent = this.progress === undefined ? 0 : Math.round(this.progress * 100);
    return html`
      <h1>${t('audio.title')}</h1>
      <section class="card">
        <form role="search" @submit=${this.search}>
          <label>${t('audio.search')}<input name="q" type="search" .value=${this.query}></label>
          <label>${t('audio.filter.label')}
            <select name="scope" .value=${this.scope} @change=${this.filter}>
              <option value="all">${t('audio.filter.all')}</option>
              <option value="mine">${t('audio.filter.mine')}</option>
              <option value="shared">${t('audio.filter.shared')}</option>
            </select></label>
          <button type="submit">${t('audio.searchButton')}</button>
        </form>
        <p class="hint">${t('audio.owner.hint')}</p>
      </section>
      <section class="card" aria-live="polite">
        ${this.listError ? html`<p class="error" role="alert">${this.listError}</p>` : ''}
        ${this.listNotice ? html`<p class="ok" role="status">${this.listNotice}</p>` : ''}
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
          ${this.ownerField('upload-owner')}
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
          ${this.ownerField('tts-owner')}
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
    const isAdmin = this.user?.roles.includes('admin') ?? false;
    return html`<div class="table-wrap"><table>
      <thead><tr>
        <th scope="col">${t('audio.col.title')}</th>
        <th scope="col">${t('audio.col.owner')}</th>
        <th scope="col">${t('audio.col.duration')}</th>
        <th scope="col">${t('audio.col.loudness')}</th>
        <th scope="col">${t('audio.col.source')}</th>
        <th scope="col">${t('audio.col.created')}</th>
        <th scope="col">${t('audio.col.preview')}</th>
        ${isAdmin ? html`<th scope="col">${t('audio.col.actions')}</th>` : ''}
      </tr></thead>
      <tbody>
        ${this.items.map(
          (item) => html`<tr data-audio-id=${item.id}>
            <td>${item.title}</td>
            <td class="owner">${this.owner(item)}</td>
            <td class="duration">${formatDuration(item.durationMs)}</td>
            <td>${this.loudness(item)}</td>
            <td>${t(`audio.source.${item.source}`)}</td>
            <td>${formatDate(item.createdAt)}</td>
            <td><audio controls preload="none" src="/api/audio/${item.id}/content"
              aria-label=${`${t('audio.col.preview')}: ${item.title}`}></audio></td>
            ${
              isAdmin && item.ownerAreaId !== null
                ? html`<td><button type="button" class="secondary" @click=${() => this.share(item)}>
                    ${item.shared ? t('audio.unshare') : t('audio.share')}</button></td>`
                : isAdmin
                  ? html`<td></td>`
                  : ''
            }
          </tr>`,
        )}
      </tbody>
    </table></div>`;
  }
}
