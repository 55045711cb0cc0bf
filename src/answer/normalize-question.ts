/**
 * Turns whatever a resident typed (or pasted from a web page) into the text that is searched.
 * Never throws: chat input is arbitrary Unicode, including lone surrogates and very long pastes.
 * Every pattern here is linear (no nested quantifiers, no unbounded lazy scans), so 100k
 * characters take milliseconds.
 *
 * Punctuation choice: full-width ASCII forms (ＡＢＣ１２３％＋（）) fold to ASCII, except the
 * Chinese sentence marks ，？！；： which stay as typed; 。“” are not full-width forms and stay too.
 * Search drops punctuation anyway, and the question is echoed to residents, where 多少? reads worse
 * than 多少？.
 */
import { toSimplified } from '../corpus/to-simplified.ts';

export interface NormalizedQuestion {
  /** The cleaned question, at most `maxChars` code points. */
  text: string;
  /** True when the cleaned question was longer than `maxChars` and was cut. */
  truncated: boolean;
  /** True when nothing searchable remains: no letter or digit (blank, punctuation or emoji only). */
  empty: boolean;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// A tag starts with a letter (or / and a letter), so "1<2 且 3>2" is left alone.
// One quantifier only: a name pattern followed by [^<>]* would backtrack quadratically on "<aaaa…".
const TAG = /<\/?[A-Za-z][^<>]*>/g;
const TAG_NAME = /^<\/?([A-Za-z][A-Za-z0-9-]*)/;
// Inline tags vanish (报到的<b>比例</b> stays one word); any other tag separates like a space.
const INLINE_TAGS = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'big', 'cite', 'code', 'del', 'dfn', 'em', 'font', 'i', 'ins',
  'kbd', 'mark', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'tt', 'u', 'var',
]);
const ENTITY = /&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,6});/g;
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0',
};
// C0 and C1 controls (tab, LF and CR included: whitespace is collapsed to one space below).
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;
// Bidi marks/embeddings/isolates, zero-width space/joiners, word joiner, BOM, soft hyphen.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD]/g;
const FULL_WIDTH = /[\uFF01-\uFF5E]/g;
const KEEP_FULL_WIDTH = new Set(['，', '？', '！', '；', '：']);
// Markdown emphasis and code marks: runs of * or `, and doubled ~ or _ (a single _ may be a name).
const MARKDOWN = /[*`]+|~~|__/g;
const WHITESPACE = /\s+/g;
const SEARCHABLE = /[\p{L}\p{N}]/u;

/**
 * Cleans a question for search. Order matters: tags go before entities are decoded (so
 * `&lt;b&gt;` stays visible text), and entities before controls are stripped (so `&#8203;`
 * cannot smuggle an invisible character through).
 * `maxChars` counts code points; a pair of surrogates is never split.
 */
export function normalizeQuestion(raw: string, maxChars = 500): NormalizedQuestion {
  const limit = Number.isFinite(maxChars) ? Math.max(0, Math.floor(maxChars)) : 500;
  let s = typeof raw === 'string' ? raw : '';
  s = s.replace(LONE_SURROGATE, '');
  s = stripComments(s);
  s = s.replace(TAG, (tag) => (INLINE_TAGS.has(TAG_NAME.exec(tag)?.[1]?.toLowerCase() ?? '') ? '' : ' '));
  s = s.replace(ENTITY, decodeEntity);
  s = s.replace(CONTROL, ' ').replace(INVISIBLE, '');
  s = s.replace(FULL_WIDTH, (c) => (KEEP_FULL_WIDTH.has(c) ? c : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
  s = s.replace(MARKDOWN, '').replace(WHITESPACE, ' ').trim();

  // Convert only what can be kept (plus a margin for phrase lookups at the edge): a 100k paste
  // costs no more than a normal question.
  let truncated = false;
  const preCut = cutAt(s, limit + 16);
  if (preCut < s.length) {
    s = s.slice(0, preCut);
    truncated = true;
  }
  s = toSimplified(s);
  const cut = cutAt(s, limit);
  if (cut < s.length) {
    s = s.slice(0, cut).trimEnd();
    truncated = true;
  }
  return { text: s, truncated, empty: !SEARCHABLE.test(s) };
}

/** Index just past the first `max` code points of `s` (s.length when it has no more). */
function cutAt(s: string, max: number): number {
  if (s.length <= max) return s.length;
  let i = 0;
  for (let n = 0; n < max && i < s.length; n++) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
  }
  return i;
}

/** Removes `<!-- … -->`; an unclosed comment hides the rest, as in a browser. Linear scan. */
function stripComments(s: string): string {
  let start = s.indexOf('<!--');
  if (start < 0) return s;
  let out = '';
  let from = 0;
  while (start >= 0) {
    out += s.slice(from, start) + ' ';
    const end = s.indexOf('-->', start + 4);
    if (end < 0) return out;
    from = end + 3;
    start = s.indexOf('<!--', from);
  }
  return out + s.slice(from);
}

function decodeEntity(match: string, body: string): string {
  if (body[0] !== '#') return NAMED_ENTITIES[body.toLowerCase()] ?? match;
  const hex = body[1] === 'x' || body[1] === 'X';
  const cp = Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10);
  // Surrogates, NUL and values past Unicode would make a malformed string: drop them.
  if (!(cp > 0 && cp <= 0x10ffff) || (cp >= 0xd800 && cp <= 0xdfff)) return '';
  return String.fromCodePoint(cp);
}
