/**
 * Character classes for Chinese text. Extractors use them to decide where a line break or a gap
 * between text runs is a word boundary (Latin) and where it is not (Chinese has no spaces).
 */

// Han ideographs (Unified + Ext A + Compatibility), CJK symbols and punctuation, full-width
// forms, Bopomofo. Ext B+ (astral) ideographs are matched through the surrogate-aware `u` flag.
const CJK =
  /[\u2E80-\u2FDF\u3000-\u303F\u3100-\u312F\u31C0-\u31EF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF\u{20000}-\u{3134F}]/u;

/** True when the character `ch` (one code point) is Chinese script or CJK punctuation. */
export function isCjk(ch: string | undefined): boolean {
  return ch !== undefined && ch !== '' && CJK.test(ch);
}

/** The last code point of `s` ('' for an empty string). */
export function lastChar(s: string): string {
  const cp = s.codePointAt(s.length - 1);
  if (cp === undefined) return '';
  // A trailing low surrogate belongs to a pair that starts one unit earlier.
  if (cp >= 0xdc00 && cp <= 0xdfff && s.length >= 2) return String.fromCodePoint(s.codePointAt(s.length - 2)!);
  return String.fromCodePoint(cp);
}

/** The first code point of `s` ('' for an empty string). */
export function firstChar(s: string): string {
  const cp = s.codePointAt(0);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

/**
 * What goes between two runs of text that sit on one line (or were split by a soft line break):
 * nothing between two Chinese characters, one space otherwise.
 */
export function joiner(before: string, after: string): string {
  if (before === '' || after === '') return '';
  if (/\s$/.test(before) || /^\s/.test(after)) return '';
  return isCjk(lastChar(before)) && isCjk(firstChar(after)) ? '' : ' ';
}
