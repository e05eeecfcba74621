import { css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { type AudioItem, api, errorText } from '../../api.js';
import { formatDuration } from '../../format.js';
import { t } from '../../i18n/locale.js';
import { LocalizedElement } from '../../shell/localized-element.js';
import { sharedStyles } from '../../shell/shared-styles.js';

/** The playlist: search the audio library, add items, move them up and down, remove them. */
@customElement('xs-playlist-picker')
export class XsPlaylistPicker extends LocalizedElement {
  static override styles = [
    sharedStyles,
    css`
      fieldset {
        border: 1px solid var(--xs-line, #c9d1d9);
        border-radius: 6px;
        padding: 0.5rem 0.75rem;
        margin: 0;
        display: grid;
        gap: 0.5rem;
      }
      legend {
        font-weight: 600;
        padding: 0 0.25rem;
      }
      ol,
      ul {
        margin: 0;
        padding: 0;
        list-style: none;
        display: grid;
        gap: 0.3rem;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.4rem;
        justify-content: space-between;
        border-bottom: 1px solid #e3e8ee;
        padding: 0.2rem 0;
      }
      .results {
        max-height: 14rem;
        overflow-y: auto;
      }
      .search {
        display: flex;
        gap: 0.4rem;
      }
    `,
  ];

  /** Audio ids in play order. */
  @property({ attribute: false }) value: string[] = [];
  @property() legend = '';
  @state() private library: AudioItem[] = [];
  @state() private query = '';
  @state() private error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.search();
  }

  private async search(): Promise<void> {
    try {
      this.library = (await api.listAudio(this.query)).items;
      this.error = '';
    } catch (err) {
      this.error = errorText(err);
    }
  }

  /** Total length of one play-through, from the library's durations. */
  durationMs(): number {
    return this.value.reduce((sum, id) => sum + (this.item(id)?.durationMs ?? 0), 0);
  }

  private item(id: string): AudioItem | undefined {
    return this.library.find((a) => a.id === id) ?? this.known.get(id);
  }

  /** Items once seen stay named even when a later search no longer lists them. */
  private readonly known = new Map<string, AudioItem>();

  private emit(next: string[]): void {
    for (const a of this.library) this.known.set(a.id, a);
    this.value = next;
    this.dispatchEvent(new CustomEvent('playlist-change', { detail: next, bubbles: true, composed: true }));
  }

  private move(index: number, by: number): void {
    const next = [...this.value];
    const [moved] = next.splice(index, 1);
    if (moved === undefined) return;
    next.splice(Math.max(0, Math.min(next.length, index + by)), 0, moved);
    this.emit(next);
  }

  private onSearch(e: Event): void {
    e.preventDefault();
    this.query = (e.target as HTMLInputElement).value.trim();
    void this.search();
  }

  override render() {
    return html`<fieldset>
      <legend>${this.legend || t('bc.playlist.legend')}</legend>
      ${
        this.value.length === 0
          ? html`<p class="hint">${t('bc.playlist.empty')}</p>`
          : html`<ol aria-label=${t('bc.playlist.chosen')}>
              ${this.value.map((id, i) => {
                const title = this.item(id)?.title ?? id.slice(0, 12);
                return html`<li data-audio-id=${id}>
                  <span>${i + 1}. ${title} <span class="hint">${formatDuration(this.item(id)?.durationMs ?? 0)}</span></span>
                  <span class="row-actions">
                    <button type="button" class="secondary" ?disabled=${i === 0} @click=${() => this.move(i, -1)}
                      aria-label=${t('bc.playlist.up', { title })}>↑</button>
                    <button type="button" class="secondary" ?disabled=${i === this.value.length - 1}
                      @click=${() => this.move(i, 1)} aria-label=${t('bc.playlist.down', { title })}>↓</button>
                    <button type="button" class="danger" @click=${() => this.emit(this.value.filter((_, k) => k !== i))}
                      aria-label=${t('bc.playlist.remove', { title })}>✕</button>
                  </span>
                </li>`;
              })}
            </ol>
            <p class="hint">${t('bc.playlist.total', { duration: formatDuration(this.durationMs()) })}</p>`
      }
      <label>${t('bc.playlist.search')}
        <input type="search" .value=${this.query} @change=${this.onSearch}
          @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && this.onSearch(e)}>
      </label>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      <ul class="results" aria-label=${t('bc.playlist.library')}>
        ${this.library.map(
          (a) => html`<li>
            <span>${a.title} <span class="hint">${formatDuration(a.durationMs)}</span></span>
            <button type="button" class="secondary" @click=${() => this.emit([...this.value, a.id])}
              aria-label=${t('bc.playlist.add', { title: a.title })}>${t('bc.playlist.addShort')}</button>
          </li>`,
        )}
      </ul>
    </fieldset>`;
  }
}
