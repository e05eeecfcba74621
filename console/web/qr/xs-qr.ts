import { LitElement, css, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { encodeQr } from './qr-code.js';
import { qrPath } from './qr-svg.js';

/** A QR code of `text` as an SVG (dark on white, quiet zone included). */
@customElement('xs-qr')
export class XsQr extends LitElement {
  static override styles = css`
    :host {
      display: inline-block;
      width: 14rem;
      max-width: 100%;
    }
    svg {
      display: block;
      width: 100%;
      height: auto;
      background: #fff;
    }
  `;

  @property() text = '';
  @property() label = '';

  override render() {
    const { d, viewBox } = qrPath(encodeQr(this.text));
    return svg`<svg xmlns="http://www.w3.org/2000/svg" viewBox=${viewBox} role="img" aria-label=${this.label}
      shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path d=${d} fill="#000"/></svg>`;
  }
}
