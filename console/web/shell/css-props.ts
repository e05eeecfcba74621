import { noChange } from 'lit';
import { type AttributePart, Directive, type PartInfo, PartType, directive } from 'lit/directive.js';

/**
 * Sets inline style properties through the CSSOM on every render. Lit's styleMap writes a `style`
 * attribute on the first render, which the console's Content-Security-Policy (no 'unsafe-inline')
 * blocks; CSSOM writes are allowed.
 */
class CssPropsDirective extends Directive {
  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ATTRIBUTE) throw new Error('cssProps belongs in an attribute binding');
  }

  render(_props: Readonly<Record<string, string>>): typeof noChange {
    return noChange;
  }

  override update(part: AttributePart, [props]: [Readonly<Record<string, string>>]): typeof noChange {
    for (const [name, value] of Object.entries(props)) part.element.style.setProperty(name, value);
    return noChange;
  }
}

export const cssProps = directive(CssPropsDirective);
