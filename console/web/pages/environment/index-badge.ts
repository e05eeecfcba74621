import { css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { t } from '../../i18n/locale.js';
import { LocalizedElement } from '../../shell/localized-element.js';
import type { StationIndex } from './environment-api.js';
import { officialColour } from './paint.js';

/** VN_AQI / VN_WQI value  on its official colour, with the category name as text (colour is never alone). */
@customElement('xs-index-badge')
export class XsIndexBadge extends LocalizedElement {
  static override styles = css`
    :host {
      display: inline-flex;
    }
    .badge {
      display: inline-flex;
      align-items: baseline;
      gap: 0.4rem;
      border-radius: 6px;
      padding: 0.3rem 0.6rem;
      border: 1px solid rgb(0 0 0 / 25%);
      font-weight: 600;
    }
    .value {
      font-size: 1.5rem;
    }
    .none {
      color: #555f6b;
      font-style: italic;
    }
  `;

  @property({ attribute: false }) index: StationIndex | null = null;
  @property() kind: 'air' | 'water' = 'air';

  override render() {
    const name = this.kind === 'air' ? 'VN_AQI' : 'VN_WQI';
    const i = this.index;
    if (!i) return html`<span class="none">${t('env.noIndex', { index: name })}</span>`;
    return html`<span class="badge" style=${officialColour(i.colour)}
      role="img" aria-label="${name} ${i.value}: ${i.category}">
      <span>${name}</span><span class="value">${i.value}</span><span>${i.category}</span>
    </span>`;
  }
}
