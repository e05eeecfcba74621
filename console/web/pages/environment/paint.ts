import { nothing } from 'lit';
import { cssProps } from '../../shell/css-props.js';

/** Black or white text, whichever reads better on the official colour (yellow needs black, purple white). */
export function inkOn(colour: string): string {
  const n = Number.parseInt(colour.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return 0.299 * r + 0.587 * g + 0.114 * b > 140 ? '#000' : '#fff';
}

/**
 * An AQI/WQI category's official colour with readable text, for a `style=${…}` binding (set through the
 * CSSOM: the CSP refuses style attributes).
 */
export function officialColour(colour: string | null | undefined) {
  if (!colour || !/^#[0-9a-f]{6}$/i.test(colour)) return nothing;
  return cssProps({ 'background-color': colour, color: inkOn(colour) });
}
