/**
 * Text normalization shared by every loader, so that passages, offsets and search terms look the
 * same whatever the source format was.
 */

// C0/C1 controls except tab, line feed and carriage return (handled as whitespace/line ends),
// plus zero-width characters, the soft hyphen and stray byte-order marks.
const INVISIBLE = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F\u00AD\u200B-\u200D\u2060\uFEFF]/g;
// Horizontal whitespace: tab, space, NBSP, the U+2000 family, narrow NBSP, medium math space and
// the ideographic (full-width) space that Chinese documents use for paragraph indents.
const HSPACE = /[\t \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g;
// Kangxi radicals and CJK radical supplements: PDFs made by some word processors map ideographs
// such as 一 or 人 to these look-alikes (⼀ U+2F00, ⼈ U+2F08), which breaks search. NFKC folds
// them; it is applied to these blocks only because it would also fold full-width punctuation.
const RADICALS = /[\u2E80-\u2EFF\u2F00-\u2FDF]/g;

/**
 * One line of text: controls and zero-width characters removed, whitespace runs (NBSP and
 * full-width spaces included) collapsed to one space, ends trimmed. Contains no `\n`.
 */
export function normalizeLine(line: string): string {
  return line
    .replace(/[\r\n\v\f\u2028\u2029]/g, ' ')
    .replace(INVISIBLE, '')
    .replace(RADICALS, (c) => c.normalize('NFKC'))
    .replace(HSPACE, ' ')
    .trim();
}

/** Splits on every kind of line end: CRLF, CR, LF, vertical tab, form feed, U+2028/2029. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|[\r\n\v\f\u2028\u2029]/);
}

/**
 * A whole text: `\r\n` and other line ends become `\n`, each line is normalized as by
 * `normalizeLine`, runs of blank lines become a single blank line, and the result is trimmed.
 */
export function normalizeText(text: string): string {
  const out: string[] = [];
  let blank = false;
  for (const raw of splitLines(text)) {
    const line = normalizeLine(raw);
    if (line === '') {
      blank = out.length > 0;
      continue;
    }
    if (blank) out.push('');
    out.push(line);
    blank = false;
  }
  return out.join('\n');
}
