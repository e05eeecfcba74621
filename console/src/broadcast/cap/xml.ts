/** An element of a parsed XML document: namespace prefixes are kept out of `name` (CAP uses a default ns). */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export class XmlError extends Error {
  override name = 'XmlError';
}

const NAME = /^[A-Za-z_][\w.-]*(:[A-Za-z_][\w.-]*)?/;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(raw: string, where: () => string): string {
  return raw.replace(/&([^;\s&]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new XmlError(`unterminated entity "${whole}" ${where()}`);
    if (name.startsWith('#x') && /^#x[0-9a-fA-F]+$/.test(name))
      return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#') && /^#\d+$/.test(name)) return String.fromCodePoint(Number(name.slice(1)));
    const known = ENTITIES[name];
    if (known === undefined) throw new XmlError(`unknown entity "&${name};" ${where()}`);
    return known;
  });
}

/**
 * A small strict parser for data-only XML such as CAP: elements, attributes, text, CDATA, comments.
 * DOCTYPE and custom entities are refused (no entity expansion attacks); any malformation throws with
 * the line and column.
 */
export function parseXml(source: string): XmlElement {
  let i = 0;
  const where = () => {
    const before = source.slice(0, i);
    const line = before.split('\n').length;
    return `at line ${line}, column ${i - before.lastIndexOf('\n')}`;
  };
  const fail = (message: string): never => {
    throw new XmlError(`${message} ${where()}`);
  };
  const skipMisc = () => {
    for (;;) {
      while (i < source.length && /\s/.test(source[i] ?? '')) i++;
      if (source.startsWith('<?', i)) {
        const end = source.indexOf('?>', i);
        if (end < 0) fail('unterminated processing instruction');
        i = end + 2;
      } else if (source.startsWith('<!--', i)) {
        const end = source.indexOf('-->', i);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
      } else if (source.startsWith('<!DOCTYPE', i) || source.startsWith('<!doctype', i)) {
        fail('DOCTYPE is not allowed');
      } else return;
    }
  };
  const readName = (): string => {
    const m = NAME.exec(source.slice(i, i + 200));
    if (!m) return fail('expected a name');
    i += m[0].length;
    return m[0];
  };
  const local = (qname: string) => qname.slice(qname.indexOf(':') + 1);

  const element = (): XmlElement => {
    if (source[i] !== '<') fail('expected "<"');
    i++;
    const qname = readName();
    const el: XmlElement = { name: local(qname), attributes: {}, children: [], text: '' };
    for (;;) {
      const ws = i;
      while (/\s/.test(source[i] ?? '')) i++;
      if (source.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (source[i] === '>') {
        i++;
        break;
      }
      if (i === ws) fail(`expected whitespace, ">" or "/>" in <${qname}>`);
      const attr = readName();
      while (/\s/.test(source[i] ?? '')) i++;
      if (source[i] !== '=') fail(`attribute ${attr} needs a value`);
      i++;
      while (/\s/.test(source[i] ?? '')) i++;
      const quote = source[i];
      if (quote !== '"' && quote !== "'") return fail(`attribute ${attr} value must be quoted`);
      const end = source.indexOf(quote, i + 1);
      if (end < 0) fail(`unterminated value of attribute ${attr}`);
      const raw = source.slice(i + 1, end);
      if (raw.includes('<')) fail(`"<" inside attribute ${attr}`);
      if (Object.hasOwn(el.attributes, attr)) fail(`duplicate attribute ${attr}`);
      el.attributes[attr] = decode(raw, where);
      i = end + 1;
    }
    let text = '';
    for (;;) {
      if (i >= source.length) fail(`<${qname}> is never closed`);
      if (source.startsWith('</', i)) {
        i += 2;
        const closing = readName();
        if (closing !== qname) fail(`</${closing}> does not close <${qname}>`);
        while (/\s/.test(source[i] ?? '')) i++;
        if (source[i] !== '>') fail(`expected ">" after </${closing}`);
        i++;
        el.text = text;
        return el;
      }
      if (source.startsWith('<![CDATA[', i)) {
        const end = source.indexOf(']]>', i);
        if (end < 0) fail('unterminated CDATA section');
        text += source.slice(i + 9, end);
        i = end + 3;
      } else if (source.startsWith('<!--', i)) {
        const end = source.indexOf('-->', i);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
      } else if (source.startsWith('<?', i)) {
        const end = source.indexOf('?>', i);
        if (end < 0) fail('unterminated processing instruction');
        i = end + 2;
      } else if (source[i] === '<') {
        el.children.push(element());
      } else {
        const next = source.indexOf('<', i);
        const end = next < 0 ? source.length : next;
        text += decode(source.slice(i, end), where);
        i = end;
      }
    }
  };

  if (source.charCodeAt(0) === 0xfeff) i = 1;
  skipMisc();
  if (i >= source.length) fail('the document is empty');
  const root = element();
  skipMisc();
  if (i < source.length) fail('content after the root element');
  return root;
}

export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}
