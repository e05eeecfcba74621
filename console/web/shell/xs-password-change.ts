import { html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, errorText } from '../api.js';
import { t } from '../i18n/locale.js';
import { LocalizedElement } from './localized-element.js';
import { sharedStyles } from './shared-styles.js';

/** Replaces the one-time password (the server refuses everything else until then); fires `password-changed`. */
@customElement('xs-password-change')
export class XsPasswordChange extends LocalizedElement {
  static override styles = sharedStyles;

  @state() private busy = false;
  @state() private error = '';

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const current = String(form.get('currentPassword') ?? '');
    const next = String(form.get('newPassword') ?? '');
    if (next !== String(form.get('repeat') ?? '')) {
      this.error = t('password.mismatch');
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      await api.changePassword(current, next);
      this.dispatchEvent(new CustomEvent('password-changed', { bubbles: true, composed: true }));
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`
      <section class="card" aria-labelledby="password-title">
        <h1 id="password-title">${t('password.title')}</h1>
        <p>${t('password.intro')}</p>
        <form @submit=${this.submit}>
          <label>${t('password.current')}
            <input name="currentPassword" type="password" autocomplete="current-password" required>
          </label>
          <label>${t('password.new')}
            <input name="newPassword" type="password" autocomplete="new-password" required minlength="10">
          </label>
          <label>${t('password.repeat')}
            <input name="repeat" type="password" autocomplete="new-password" required minlength="10">
          </label>
          ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
          <button type="submit" ?disabled=${this.busy}>${t('password.submit')}</button>
        </form>
      </section>
    `;
  }
}
