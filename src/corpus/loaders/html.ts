import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { visibleLength } from '../blank-field.ts';
import { isCjk } from '../cjk.ts';
import { normalizeLine } from '../normalize-text.ts';
import { writeTable, type TableRow } from '../table-rows.ts';
import { TextBuilder } from '../text-builder.ts';
import type { Extracted, Loader } from './extracted.ts';
import { decodeFile } from './text.ts';

/**
 * `.html`/`.htm` as staff save pages from government and school sites: charset from a BOM, valid
 * UTF-8 or the page's `<meta charset>`; the main text found by Mozilla's Readability over a
 * linkedom DOM (navigation, sidebars of other articles, breadcrumbs, footers and scripts left out,
 * their characters counted under `site-furniture`); headings from h1-h6 and from short bold
 * paragraphs (第一章　总则); tables as rows with headers. Title: `<title>` without the site's name;
 * when that is a column name (【2020年1月学习材料】, 学习专栏), the bold centred line that names
 * the document; a release headline (…印发《……条例》) gives the regulation's own name.
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

// linkedom's DOM is typed loosely; these are the few members used.
interface El {
  tagName: string;
  childNodes: ArrayLike<Node>;
  textContent: string | null;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  hasAttribute(name: string): boolean;
  querySelectorAll(selector: string): ArrayLike<El>;
  querySelector(selector: string): El | null;
  parentElement: El | null;
  remove(): void;
}
interface Node {
  nodeType: number;
  textContent: string | null;
}

const DROP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'IFRAME', 'SVG', 'CANVAS', 'BUTTON', 'SELECT', 'TEXTAREA', 'INPUT', 'OBJECT', 'EMBED', 'FORM', 'NAV', 'ASIDE']);
const PARAGRAPH = new Set(['P', 'BLOCKQUOTE', 'PRE', 'UL', 'OL', 'DL', 'FIGURE', 'HR', 'SECTION', 'ARTICLE', 'MAIN', 'HEADER', 'ADDRESS', 'DETAILS', 'CENTER', 'BODY']);
const LINE = new Set(['DIV', 'LI', 'TR', 'DT', 'DD', 'CAPTION', 'FIGCAPTION', 'SUMMARY']);
// Short bold paragraphs are headings (第一章　总则); a bold sentence is emphasis, not a heading.
const MAX_BOLD_HEADING_CHARS = 40;
const SENTENCE_END = /[。；！？，、：:;!?,]$/u;
/** A paragraph that is only a chapter/section heading (第一章　总则) is one, however it is styled. */
const STRUCTURE_HEADING = /^第[一二三四五六七八九十百零〇两\d]+[编章节][\s\u3000]*\S{1,20}$/u;
/** Facts about an element of the page as written, read before Readability drops styles. */
interface Presentation {
  bold: boolean;
  centred: boolean;
  /** The heading level as written (Readability turns h1 into h2). */
  level: number;
}

export function htmlToText(html: string): Extracted {
  const { document } = parseHTML(html) as unknown as { document: { body: El | null; documentElement: El; querySelector(s: string): El | null; querySelectorAll(s: string): ArrayLike<El> } };
  const titleTag = normalizeLine(document.querySelector('title')?.textContent ?? '');
  const pageHeading = firstHeading(document);
  // Saved pages are often malformed enough that linkedom leaves <body> empty and the content
  // beside it: then the whole document is the page.
  const body = document.body && visibleLength(document.body.textContent ?? '') > 0 ? document.body : document.documentElement;
  for (const el of Array.from(body.querySelectorAll('title,meta,link'))) el.remove();
  for (const el of Array.from(body.querySelectorAll('script,style,noscript,template'))) el.remove();
  for (const el of Array.from(body.querySelectorAll('[hidden],[aria-hidden="true"]'))) el.remove();
  for (const el of Array.from(body.querySelectorAll('[style]'))) {
    if (/(display\s*:\s*none|visibility\s*:\s*hidden)/i.test(el.getAttribute('style') ?? '')) el.remove();
  }
  const pageChars = visibleLength(body.textContent ?? '');

  // Readability rewrites the tree and drops inline styles: remember what bold and centred were.
  const presentation = new Map<string, Presentation>();
  let n = 0;
  for (const el of Array.from(body.querySelectorAll('p,div,h1,h2,h3,h4,h5,h6,li,td,th,center'))) {
    const id = String(n++);
    el.setAttribute('data-tongxin', id);
    presentation.set(id, { bold: isAllBold(el), centred: isCentred(el), level: Number(/^H([1-6])$/i.exec(el.tagName)?.[1] ?? 0) });
  }
  // Readability decides from text density; on a short page it may find nothing better than the
  // whole body, which is then walked with the same rules.
  // A page that marks its main text (<article>, <main>) is taken at its word.
  const marked = Array.from(body.querySelectorAll('article')).sort((x, y) => visibleLength(y.textContent ?? '') - visibleLength(x.textContent ?? ''))[0] ??
    body.querySelector('main') ?? body.querySelector('[role=main]');
  const article = marked ? null : (new Readability(document as never, { serializer: (el: unknown) => el, charThreshold: 200 } as never).parse() as { content?: unknown } | null);
  const root = marked ?? (article?.content as El | undefined) ?? body;

  const b = new TextBuilder();
  const boldCentred: string[] = [];
  walk(root, b, presentation, boldCentred);
  const built = b.build();
  b.drop('site-furniture', pageChars - visibleLength(built.text));
  const title = pageTitle(titleTag, pageHeading, boldCentred);
  return { ...b.build(), ...(title ? { title } : {}) };
}

function walk(node: El, b: TextBuilder, presentation: Map<string, Presentation>, boldCentred: string[]): void {
  for (const childNode of Array.from(node.childNodes)) {
    if (childNode.nodeType === 3) {
      b.add(collapseWhitespace(childNode.textContent ?? ''));
      continue;
    }
    if (childNode.nodeType !== 1) continue;
    const el = childNode as unknown as El;
    const tag = el.tagName.toUpperCase();
    if (DROP.has(tag) || tag === 'FOOTER') continue;
    const facts = presentation.get(el.getAttribute('data-tongxin') ?? '');
    const heading = /^H([1-6])$/.exec(tag);
    if (heading) {
      b.heading(facts?.level || Number(heading[1]), inlineText(el));
      continue;
    }
    if (tag === 'BR') {
      b.endLine();
      continue;
    }
    if (tag === 'TABLE') {
      writeTable(tableRows(el), b, { detectHeader: true });
      continue;
    }
    if (tag === 'PRE') {
      b.endLine(true).addLines(el.textContent ?? '').endLine(true);
      continue;
    }
    if (tag === 'P' || tag === 'DIV' || tag === 'CENTER') {
      const text = normalizeLine(inlineText(el));
      if ((facts?.bold || STRUCTURE_HEADING.test(text)) && text !== '' && [...text].length <= MAX_BOLD_HEADING_CHARS && !SENTENCE_END.test(text) && !hasBlockChild(el)) {
        if (facts?.centred) boldCentred.push(text);
        b.heading(facts?.centred ? 1 : 2, text);
        continue;
      }
    }
    const paragraph = PARAGRAPH.has(tag);
    const line = LINE.has(tag);
    if (paragraph) b.endLine(true);
    else if (line) b.endLine();
    walk(el, b, presentation, boldCentred);
    if (paragraph) b.endLine(true);
    else if (line) b.endLine();
  }
}

function tableRows(table: El): TableRow[] {
  return Array.from(table.querySelectorAll('tr')).map((tr) => {
    const cells = Array.from(tr.querySelectorAll('th,td')).filter((c) => c.parentElement === tr);
    return {
      cells: cells.map((c) => ({ text: inlineText(c), colSpan: Number(c.getAttribute('colspan') ?? 1) || 1 })),
      ...(cells.length > 0 && cells.every((c) => c.tagName.toUpperCase() === 'TH') ? { header: true } : {}),
    };
  });
}

function hasBlockChild(el: El): boolean {
  return el.querySelector('p,div,table,ul,ol,h1,h2,h3,h4,h5,h6') !== null;
}

/** An element's text on one line; a <br> or block inside is a space. */
function inlineText(el: El): string {
  let out = '';
  const visit = (n: Node): void => {
    if (n.nodeType === 3) out += collapseWhitespace(n.textContent ?? '');
    else if (n.nodeType === 1) {
      const e = n as unknown as El;
      const tag = e.tagName.toUpperCase();
      if (DROP.has(tag)) return;
      const block = tag === 'BR' || PARAGRAPH.has(tag) || LINE.has(tag) || tag === 'TD' || tag === 'TH';
      if (block) out += ' ';
      Array.from(e.childNodes).forEach(visit);
      if (block) out += ' ';
    }
  };
  Array.from(el.childNodes).forEach(visit);
  return out;
}

/** True when all of the element's text sits inside <strong>/<b> or a bold style. */
// Chinese official documents set headings in a heading face rather than bold (GB/T 9704: the
// title in 小标宋, first-level headings in 黑体), and saved pages keep that as inline styles.
const HEADING_STYLE = /font-weight\s*:\s*(bold|[6-9]00)|font-family\s*:[^;"]*(黑体|SimHei|小标宋|STZhongsong|华文中宋)/i;

function isAllBold(el: El): boolean {
  const all = visibleLength(el.textContent ?? '');
  if (all === 0) return false;
  if (HEADING_STYLE.test(el.getAttribute('style') ?? '')) return true;
  let bold = 0;
  for (const s of Array.from(el.querySelectorAll('strong,b,[style]'))) {
    if (!/^(STRONG|B)$/i.test(s.tagName) && !HEADING_STYLE.test(s.getAttribute('style') ?? '')) continue;
    // Nested bold elements would count twice: only the outermost counts.
    if (hasBoldAncestor(s, el)) continue;
    bold += visibleLength(s.textContent ?? '');
  }
  return bold >= all;
}

function hasBoldAncestor(el: El, within: El): boolean {
  for (let p = el.parentElement; p && p !== within; p = p.parentElement) {
    if (/^(STRONG|B)$/i.test(p.tagName) || HEADING_STYLE.test(p.getAttribute('style') ?? '')) return true;
  }
  return false;
}

function isCentred(el: El): boolean {
  const style = el.getAttribute('style') ?? '';
  return /text-align\s*:\s*center/i.test(style) || (el.getAttribute('align') ?? '').toLowerCase() === 'center' || el.tagName.toUpperCase() === 'CENTER';
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

function firstHeading(document: { querySelector(s: string): El | null }): string {
  const h = document.querySelector('h1') ?? document.querySelector('h2.title, .title h2, h2');
  return h ? normalizeLine(h.textContent ?? '') : '';
}

// `标题--栏目-网站`, `标题_网站`, `标题 - 网站`, `标题 | 网站`: the site's part follows the first separator.
const SITE_SEPARATOR = /\s*(?:--|_|\s[-–—|]\s|\|)\s*/;
/** A column's name rather than a document's: 【2020年1月学习材料】, 学习专栏, 每周一学. */
const COLUMN_NAME = /^【[^】]*】$|^[^\s《》]{2,8}(专栏|栏目|园地|动态|要闻|学习)$/u;
/** A weekly-study column prefix before the document's name: 每周一学（2024年2月26日-3月3日）. */
const COLUMN_PREFIX = /^[^（(《]{2,8}[（(][^）)]*\d{4}年[^）)]*[）)]\s*/u;
/** A release headline: 中共中央办公厅印发《干部人事档案工作条例》 names the regulation it carries. */
const RELEASE = /^[^《]{0,30}(?:印发|发布|公布)(?:了|修订后的)?《([^》]+)》$/u;

/**
 * The document's title: `<title>` (or the page's first heading) without the site's name and the
 * column's date prefix; when that is a column name, the first bold centred line of the text; a
 * release headline gives the name inside its 《》.
 */
export function pageTitle(titleTag: string, heading: string, boldCentred: string[]): string | undefined {
  let title = titleTag.split(SITE_SEPARATOR)[0] ?? '';
  if (heading && titleTag.includes(heading) && heading.length < titleTag.length) title = heading;
  title = normalizeLine(title || heading);
  if (title === '' || COLUMN_NAME.test(title)) {
    const named = boldCentred.find((l) => /《[^》]+》/.test(l) || /(条例|办法|规定|通知|意见|决定|准则)$/u.test(l));
    title = named ?? boldCentred[0] ?? title;
  }
  title = title.replace(COLUMN_PREFIX, '');
  const released = RELEASE.exec(title) ?? /^《([^》]+)》$/u.exec(title);
  if (released) title = released[1]!;
  return title === '' ? undefined : title;
}
