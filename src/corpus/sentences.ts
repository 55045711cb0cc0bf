/**
 * Sentences of Chinese text, the one definition that chunking, extractive answers and chat reply
 * splitting share: a sentence ends at 。！？；… (and ASCII !?;) with any closing quotes or brackets
 * after them, or at a line break.
 */
const SENTENCE_END = /[。！？；!?;…]+[”’」』）)\]】]*|\n+/gu;

/** Sentence spans: offsets into `text`, surrounding whitespace excluded. */
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

/**
 * The text cut where each sentence starts: every piece keeps the whitespace and line breaks after
 * its sentence, so the pieces join back into the text exactly (for packing into chat messages).
 */
export function sentencePieces(text: string): string[] {
  const starts = sentenceSpans(text).map(([s]) => s);
  if (starts.length === 0) return text ? [text] : [];
  starts[0] = 0;
  return starts.map((s, i) => text.slice(s, starts[i + 1] ?? text.length));
}

/**
 * The non-blank lines of `text`, trimmed, each with the offset where its text starts: the loaders
 * write one paragraph, table row or quiz line a line, and the composer reads them that way.
 */
export function lineSpans(text: string): Array<{ line: string; at: number }> {
  const out: Array<{ line: string; at: number }> = [];
  for (const m of text.matchAll(/[^\n]+/gu)) {
    const line = m[0].trim();
    if (line) out.push({ line, at: m.index! + m[0].indexOf(line) });
  }
  return out;
}
