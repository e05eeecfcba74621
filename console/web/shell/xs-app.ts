import { css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { type SignedIn, api, errorText } from '../api.js';
import { locale, setLocale, t } from '../i18n/locale.js';
import { ROUTES, type Route, currentPath, mayOpen, navigationFor } from '../routes.js';
import { LocalizedElement } from './localized-element.js';
import { sharedStyles } from './shared-styles.js';
import './xs-sign-in.js';
import './xs-password-change.js';

/** The application: session, language, navigation by role and the current page. */
@customElement('xs-app')
export class XsApp extends LocalizedElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        min-height: 100vh;
        display: flex;
        flex-direction: column;
      }
      .skip {
        position: absolute;
        left: -999px;
      }
      .skip:focus {
        left: 0.5rem;
        top: 0.5rem;
        background: #fff;
        padding: 0.5rem;
        z-index: 10;
      }
      header {
        background: var(--xs-brand, #0b5c8a);
        color: var(--xs-brand-ink, #fff);
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1rem;
        padding: 0.5rem 1rem;
      }
      header .brand {
        font-weight: 700;
        font-size: 1.25rem;
      }
      header .subtitle {
        font-size: 0.9rem;
        opacity: 0.9;
      }
      header .spacer {
        flex: 1;
      }
      header button {
        background: transparent;
        border-color: #fff;
        color: #fff;
      }
      .layout {
        display: flex;
        flex: 1;
      }
      nav {
        background: #fff;
        border-right: 1px solid var(--xs-line, #c9d1d9);
        min-width: 13rem;
      }
      nav ul {
        list-style: none;
        margin: 0;
        padding: 0.5rem 0;
      }
      nav a {
        display: block;
        padding: 0.6rem 1rem;
        color: var(--xs-ink, #1b1f24);
        text-decoration: none;
      }
      nav a[aria-current='page'] {
        background: #dbe9f3;
        font-weight: 700;
        border-left: 4px solid var(--xs-brand, #0b5c8a);
      }
      main {
        flex: 1;
        padding: 1rem;
        min-width: 0;
        max-width: 72rem;
      }
      @media (max-width: 48rem) {
        .layout {
          flex-direction: column;
        }
        nav {
          border-right: none;
          border-bottom: 1px solid var(--xs-line, #c9d1d9);
        }
        nav ul {
          display: flex;
          flex-wrap: wrap;
          padding: 0;
        }
        header .subtitle {
          display: none;
        }
      }
    `,
  ];

  @state() private session: SignedIn | undefined;
  @state() private loading = true;
  @state() private path = currentPath();
  @state() private error = '';
  @state() private pageReady = new Set<string>();

  private readonly onHash = () => {
    this.path = currentPath();
    void this.loadPage();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    document.documentElement.lang = locale();
    window.addEventListener('hashchange', this.onHash);
    api.onSessionLost = () => {
      this.session = undefined;
    };
    void this.restore();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHash);
  }

  private async restore(): Promise<void> {
    try {
      this.session = await api.me();
    } catch (err) {
      this.error = errorText(err);
    }
    this.loading = false;
    await this.loadPage();
  }

  private route(): Route | undefined {
    return ROUTES.find((r) => r.path === this.path);
  }

  /** Opens the first page the user may see when the address names none. */
  private async loadPage(): Promise<void> {
    const user = this.session?.user;
    if (!user || user.mustChangePassword) return;
    if (this.path === '') {
      const first = navigationFor(user)[0];
      if (first) location.hash = `#/${first.path}`;
      return;
    }
    const route = this.route();
    if (!route?.load || this.pageReady.has(route.path) || !mayOpen(user, route)) return;
    try {
      await route.load();
      this.pageReady = new Set([...this.pageReady, route.path]);
    } catch (err) {
      this.error = errorText(err);
    }
  }

  private async signedIn(signed: SignedIn): Promise<void> {
    this.session = signed;
    this.error = '';
    await this.loadPage();
  }

  private async signOut(): Promise<void> {
    try {
      await api.logout();
    } catch (err) {
      this.error = errorText(err);
    }
    this.session = undefined;
    location.hash = '';
  }

  private toggleLocale(): void {
    setLocale(locale() === 'vi' ? 'en' : 'vi');
  }

  override render() {
    const user = this.session?.user;
    return html`
      <a class="skip" href="#main" @click=${this.skip}>${t('app.skip')}</a>
      <header>
        <span class="brand">${t('app.title')}</span>
        <span class="subtitle">${t('app.subtitle')}</span>
        <span class="spacer"></span>
        ${user ? html`<span class="who">${user.displayName} · ${user.roles.map((r) => t(`role.${r}`)).join(', ')}</span>` : ''}
        <button type="button" class="secondary" lang=${locale() === 'vi' ? 'en' : 'vi'}
          title=${t('lang.switchLabel')} @click=${this.toggleLocale}>${t('lang.switch')}</button>
        ${user ? html`<button type="button" class="secondary" @click=${this.signOut}>${t('nav.signOut')}</button>` : ''}
      </header>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      ${this.body()}
    `;
  }

  private skip(e: Event): void {
    e.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  }

  private body() {
    if (this.loading) return html`<main id="main" tabindex="-1"><p>${t('app.loading')}</p></main>`;
    const session = this.session;
    if (!session)
      return html`<main id="main" tabindex="-1">
        <xs-sign-in @signed-in=${(e: CustomEvent<SignedIn>) => this.signedIn(e.detail)}></xs-sign-in>
      </main>`;
    if (session.user.mustChangePassword)
      return html`<main id="main" tabindex="-1">
        <xs-password-change @password-changed=${() => this.restore()}></xs-password-change>
      </main>`;
    const nav = navigationFor(session.user);
    return html`
      <div class="layout">
        <nav aria-label=${t('nav.label')}>
          <ul>
            ${nav.map(
              (r) => html`<li>
                <a href="#/${r.path}" aria-current=${r.path === this.path ? 'page' : 'false'}>${t(r.label)}</a>
              </li>`,
            )}
          </ul>
        </nav>
        <main id="main" tabindex="-1">${this.page(session)}</main>
      </div>
    `;
  }

  private page(session: SignedIn) {
    const route = this.route();
    if (this.path === '') return html`<p>${t('page.welcome', { name: session.user.displayName })}</p>`;
    if (!route) return html`<p>${t('page.notFound')}</p>`;
    if (!mayOpen(session.user, route)) return html`<p class="error" role="alert">${t('page.forbidden')}</p>`;
    if (!route.view) return html`<h1>${t(route.label)}</h1><p>${t('page.notReady')}</p>`;
    if (!this.pageReady.has(route.path)) return html`<p>${t('app.loading')}</p>`;
    return route.view(session.user);
  }
}
