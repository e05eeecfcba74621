import { css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { UserView } from '../../api.js';
import { t } from '../../i18n/locale.js';
import { LocalizedElement } from '../../shell/localized-element.js';
import { sharedStyles } from '../../shell/shared-styles.js';
import { hashParams } from './environment-api.js';
import './alarm-list.js';
import './station-detail.js';
import './station-list.js';

/**
 * `#/environment` (stations), `#/environment?tab=alarms`, `#/environment?station=<id>`: one route whose
 * query picks the view, so the map and alarm links can point straight at a station.
 */
@customElement('xs-environment-page')
export class XsEnvironmentPage extends LocalizedElement {
  static override styles = [
    sharedStyles,
    css`
      nav.tabs {
        display: flex;
        gap: 0.25rem;
        border-bottom: 2px solid var(--xs-line, #c9d1d9);
        margin-bottom: 1rem;
      }
      nav.tabs a {
        padding: 0.6rem 1rem;
        min-height: 2.5rem;
        box-sizing: border-box;
        text-decoration: none;
        color: var(--xs-brand, #0b5c8a);
        font-weight: 600;
        border-radius: 4px 4px 0 0;
      }
      nav.tabs a[aria-current='page'] {
        background: var(--xs-brand, #0b5c8a);
        color: #fff;
      }
      .back {
        display: inline-block;
        margin-bottom: 0.75rem;
        padding: 0.4rem 0;
        min-height: 2.5rem;
        box-sizing: border-box;
      }
    `,
  ];

  @property({ attribute: false }) user: UserView | undefined;
  @state() private params = hashParams();
  private readonly onHash = () => {
    this.params = hashParams();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHash);
  }

  override render() {
    const station = this.params.get('station');
    if (station)
      return html`<a class="back" href="#/environment">${t('env.back')}</a>
        ${keyed(station, html`<xs-station-detail .stationId=${station}></xs-station-detail>`)}`;
    const alarms = this.params.get('tab') === 'alarms';
    return html`
      <h1>${t('env.title')}</h1>
      <nav class="tabs" aria-label=${t('env.tabs')}>
        <a href="#/environment" aria-current=${alarms ? 'false' : 'page'}>${t('env.tab.stations')}</a>
        <a href="#/environment?tab=alarms" aria-current=${alarms ? 'page' : 'false'}>${t('env.tab.alarms')}</a>
      </nav>
      ${alarms ? html`<xs-alarm-list .user=${this.user}></xs-alarm-list>` : html`<xs-station-list></xs-station-list>`}
    `;
  }
}
