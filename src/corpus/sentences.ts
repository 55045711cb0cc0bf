/**
 * Sentence spans of Chinese text: a sentence ends at 。！？；…(and ASCII !?;) with any closing
 * quotes or brackets after them, or at a line break. Offsets are into the given string; the
 * spans exclude surrounding whitespace.
 */
export const SENTENCE_END = /[。！？；!?;…]+[”’」』）)\]】]*|\n+/gu;

export function sentenceSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const push = (s: number, e: number) => {
    while (s < e && /\s/u.test(text[s]!)) s++;
    while (e > s && /\s/u.test(text[e - 1]!)) e--;
    if (e > s) spans.push([s, e]);
  };
  const re = new RegExp(SENTENCE_END.source, 'gu');
  let cursor = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const end = m[0].startsWith('\n') ? m.index : m.index + m[0].length;
    push(cursor, end);
    cursor = m.index + m[0].length;
  }
  push(cursor, text.length);
  return spans;
}
