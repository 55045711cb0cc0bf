import { parse, HTMLElement, TextNode, type Node } from 'node-html-parser';
import { isCjk } from '../cjk.ts';
import { normalizeLine } from '../normalize-text.ts';
import { TextBuilder } from '../text-builder.ts';
import type { Extracted, Loader } from './extracted.ts';
import { decodeFile } from './text.ts';

/**
 * `.html`/`.htm`: the main text of a page. Charset from a BOM, valid UTF-8, or the page's
 * `<meta charset>` (GBK/GB2312 on many government sites). Content root: the longest <article>,
 * else <main> / [role=main], else <body>. Boilerplate (scripts, styles, navigation, headers,
 * footers, asides, forms, hidden elements) is dropped; blocks become line breaks.
 */
export const loadHtml: Loader = async (bytes, path): Promise<Extracted> => {
  const declared = sniffCharset(bytes);
  return htmlToText(decodeFile(bytes, path, declared ? { declared } : {}));
};

/** The charset a page declares in its first 4 KB (`<meta charset>` or http-equiv), if any. */
export function sniffCharset(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, 4096).toString('latin1');
  return /<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)/i.exec(head)?.[1];
}

const DROP = new Set([
  'script', 'style', 'noscript', 'template', 'nav', 'aside', 'form', 'iframe', 'frame', 'frameset',
  'svg', 'canvas', 'button', 'select', 'textarea', 'input', 'object', 'embed', 'dialog', 'head',
  'title', 'meta', 'link', 'audio', 'video', 'map',
]);
// Blocks that end a paragraph (blank line after) versus ones that only end a line.
const PARAGRAPH = new Set([
  'p', 'blockquote', 'pre', 'table', 'ul', 'ol', 'dl', 'figure', 'hr', 'section', 'article', 'main',
  'header', 'footer', 'address', 'details', 'center', 'body',
]);
const LINE = new Set(['div', 'li', 'tr', 'dt', 'dd', 'br', 'caption', 'figcaption', 'summary', 'option', 'legend']);
const CELL = new Set(['td', 'th']);
// Class/id names of layout boilerplate on sites without HTML5 sectioning tags (whole names only).
const BOILERPLATE_NAME =
  /^(nav|navbar|navigation|main-nav|menu|topbar|top-bar|header|site-header|footer|site-footer|foot|breadcrumbs?|crumbs?|sidebar|side-bar|share|share-bar|copyright|skip-link)$/i;

export function htmlToText(html: string): Extracted {
  const doc = parse(html, {
    comment: false,
    // Keep raw-text elements unparsed and empty: their content is never document text.
    blockTextElements: { script: false, style: false, noscript: false },
  });
  const h1 = doc.querySelector('h1');
  const title = pageTitle(normalizeLine(doc.querySelector('title')?.text ?? ''), h1 ? normalizeLine(h1.text) : '');

  const article = doc
    .querySelectorAll('article')
    .sort((a, b) => b.text.length - a.text.length)[0];
  const main = article ?? doc.querySelector('main') ?? doc.querySelector('[role=main]');
  const root = main ?? doc.querySelector('body') ?? doc;
  const b = new TextBuilder();
  walk(root, b, { page: main === undefined || main === null, pre: false });
  const built = b.build();
  return { ...built, ...(title ? { title } : {}) };
}

/**
 * <title> is often `标题_网站名` or `标题 - 网站名`; when it contains the first <h1>, the h1 is
 * the document's own title.
 */
function pageTitle(titleTag: string, h1: string): string {
  if (h1 && titleTag.includes(h1) && h1.length < titleTag.length) return h1;
  return titleTag || h1;
}

interface WalkState {
  /** True when walking a whole <body>: site headers, footers and class-named chrome are dropped. */
  page: boolean;
  pre: boolean;
}

function walk(node: Node, b: TextBuilder, state: WalkState): void {
  if (node instanceof TextNode) {
    if (state.pre) b.addLines(node.text.replace(/\n$/, '')); // keep the pre's own line breaks
    else b.add(collapseWhitespace(node.text));
    return;
  }
  if (!(node instanceof HTMLElement)) return;
  const tag = node.rawTagName?.toLowerCase() ?? '';
  if (DROP.has(tag) || isHidden(node)) return;
  if (state.page && (tag === 'header' || tag === 'footer' || isBoilerplateByName(node))) return;
  if (!state.page && tag === 'footer') return;

  const heading = /^h([1-6])$/.exec(tag);
  if (heading) {
    b.heading(Number(heading[1]), inlineText(node));
    return;
  }
  if (tag === 'br') {
    b.endLine();
    return;
  }
  if (CELL.has(tag)) {
    // A cell's paragraphs (Word tables always have them) stay on the row's line.
    b.add(' ' + inlineText(node) + ' ');
    return;
  }
  const paragraph = PARAGRAPH.has(tag);
  const line = LINE.has(tag);
  if (paragraph) b.endLine(true);
  else if (line) b.endLine();
  const inner = tag === 'pre' ? { ...state, pre: true } : state;
  for (const child of node.childNodes) walk(child, b, inner);
  if (paragraph) b.endLine(true);
  else if (line) b.endLine();
}

/** The text of an element as one line (headings, table cells), dropped descendants excluded. */
function inlineText(el: HTMLElement): string {
  let out = '';
  const visit = (n: Node): void => {
    if (n instanceof TextNode) out += collapseWhitespace(n.text);
    else if (n instanceof HTMLElement) {
      const tag = n.rawTagName?.toLowerCase() ?? '';
      if (DROP.has(tag) || isHidden(n)) return;
      const block = tag === 'br' || PARAGRAPH.has(tag) || LINE.has(tag) || CELL.has(tag);
      if (block) out += ' ';
      n.childNodes.forEach(visit);
      if (block) out += ' ';
    }
  };
  el.childNodes.forEach(visit);
  return out;
}

/**
 * HTML whitespace collapses to one space, except a source line break between two Chinese
 * characters, which is dropped (browsers' segment-break rule for CJK, CSS Text 3 §4.1.2).
 */
function collapseWhitespace(s: string): string {
  return s.replace(/[ \t\r\n\f]+/g, (run, offset: number, all: string) => {
    if (run.includes('\n') && isCjk(all[offset - 1]) && isCjk(all[offset + run.length])) return '';
    return ' ';
  });
}

function isHidden(el: HTMLElement): boolean {
  if (el.hasAttribute('hidden') || el.getAttribute('aria-hidden') === 'true') return true;
  const style = el.getAttribute('style');
  return style !== undefined && /(display\s*:\s*none|visibility\s*:\s*hidden)/i.test(style);
}

function isBoilerplateByName(el: HTMLElement): boolean {
  const names = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`.split(/\s+/);
  return names.some((n) => BOILERPLATE_NAME.test(n));
}
