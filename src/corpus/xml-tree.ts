import { XMLParser } from 'fast-xml-parser';

/**
 * An XML element as the zip-of-XML loaders (pptx, ofd) read it: namespace prefixes removed
 * (`p:sp` is `sp`, `ofd:TextCode` is `TextCode`), attributes and text kept as strings, children
 * in document order. fast-xml-parser does the parsing; this is only a typed view of its
 * `preserveOrder` output, because slide shapes and runs must stay in the order they were written.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  /** Child elements and text, in document order (text as strings). */
  children: Array<XmlElement | string>;
}

// Numbers stay strings (`202` and `0.3528` are read by the loaders, never guessed at by the
// parser), whitespace inside text is kept (`<a:t> </a:t>` is a space between two runs).
const PARSER = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

type RawNode = Record<string, unknown> & { ':@'?: Record<string, string> };

/**
 * Parses an XML document and returns its root element. Throws (fast-xml-parser's error) on
 * malformed XML; a document with no element throws too, so callers can report the part.
 */
export function parseXml(xml: string | Uint8Array): XmlElement {
  const text = typeof xml === 'string' ? xml : new TextDecoder('utf-8').decode(xml);
  const nodes = PARSER.parse(text, true) as RawNode[];
  const root = nodes.map(toElement).find((n): n is XmlElement => typeof n !== 'string');
  if (!root) throw new Error('no root element');
  return root;
}

function toElement(node: RawNode): XmlElement | string {
  const attrs = node[':@'] ?? {};
  for (const [key, value] of Object.entries(node)) {
    if (key === ':@') continue;
    if (key === '#text') return String(value);
    const kids = Array.isArray(value) ? (value as RawNode[]) : [];
    return { name: key, attrs, children: kids.map(toElement) };
  }
  return '';
}

/** Child elements of `el`, optionally only those named `name`. */
export function childElements(el: XmlElement | undefined, name?: string): XmlElement[] {
  if (!el) return [];
  return el.children.filter((c): c is XmlElement => typeof c !== 'string' && (name === undefined || c.name === name));
}

/** The first child element named `name`. */
export function childElement(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return childElements(el, name)[0];
}

/** The element at the end of a path of child names (`childPath(root, 'DocBody', 'DocRoot')`). */
export function childPath(el: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let cur = el;
  for (const n of names) cur = childElement(cur, n);
  return cur;
}

/** Every descendant element named `name`, in document order (not descending into matches). */
export function findElements(el: XmlElement | undefined, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    for (const c of childElements(e)) {
      if (c.name === name) out.push(c);
      else walk(c);
    }
  };
  if (el) walk(el);
  return out;
}

/** All text inside `el`, concatenated in document order. */
export function textOf(el: XmlElement | undefined): string {
  if (!el) return '';
  return el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}
