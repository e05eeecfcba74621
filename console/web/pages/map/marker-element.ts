/** How one marker looks: shape, colours, the glyph or number inside, and the label screen readers say. */
export interface MarkerPresentation {
  shape: 'round' | 'square';
  fill: string;
  ink: string;
  /** Outline colour: the state of a station whose fill is its index colour. */
  ring: string;
  text: string;
  dashed: boolean;
  label: string;
}

/** Built with the DOM, not an HTML string: names come from users and must never become markup. */
export function markerElement(p: MarkerPresentation): HTMLElement {
  const el = document.createElement('span');
  el.className = `xs-marker ${p.shape}${p.dashed ? ' dashed' : ''}`;
  el.style.backgroundColor = p.fill;
  el.style.color = p.ink;
  el.style.borderColor = p.ring;
  el.textContent = p.text;
  el.setAttribute('aria-hidden', 'true');
  return el;
}
