import { LitElement } from 'lit';
import { onLocaleChange } from '../i18n/locale.js';

/** A lit element that re-renders when the user switches language. */
export class LocalizedElement extends LitElement {
  private stopListening: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.stopListening = onLocaleChange(() => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopListening?.();
  }
}
