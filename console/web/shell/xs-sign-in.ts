import { html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, errorText } from '../api.js';
import { t } from '../i18n/locale.js';
import { LocalizedElement } from './localized-element.js';
import { sharedStyles } from './shared-styles.js';

/** Username and password; fires `signed-in` with the session. */
@customElement('xs-sign-in')
export class XsSignIn extends LocalizedElement {
  static override styles = sharedStyles;

  @state() private busy = false;
  @state() private error = '';

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    this.busy = true;
    this.error = '';
    try {
      const signed = await api.login(String(form.get('username') ?? ''), String(form.get('password') ?? ''));
      this.dispatchEvent(new CustomEvent('signed-in', { detail: signed, bubbles: true, composed: true }));
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`
      <section class="card" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">${t('signIn.title')}</h1>
        <form @submit=${this.submit}>
          <label>${t('signIn.username')}
            <input name="username" autocomplete="username" required autocapitalize="none" spellcheck="false">
          </label>
          <label>${t('signIn.password')}
            <input name="password" type="password" autocomplete="current-password" required>
          </label>
          ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
          <button type="submit" ?disabled=${this.busy}>${this.busy ? t('signIn.busy') : t('signIn.submit')}</button>
        </form>
      </section>
    `;
  }
}
