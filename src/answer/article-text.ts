/**
 * The whole article a passage is one part of, for 原文 N: an article longer than a passage is
 * cut into several (with a sentence of overlap), and a resident asking for the source should read
 * the article, not a third of it. Passages of one document have consecutive ids in text order.
 */
import type { Passage } from '../corpus/passage.ts';

/** The article's text rebuilt from its passages, or undefined when the passage holds it whole. */
export function articleText(passages: readonly Passage[], id: number): string | undefined {
  const p = passages[id];
  if (!p?.loc.article || p.loc.wholeArticle) return undefined;
  const same = (q: Passage | undefined) => q !== undefined && q.docId === p.docId && q.loc.article === p.loc.article && q.loc.chapter === p.loc.chapter;
  let first = id;
  while (same(passages[first - 1])) first--;
  let last = id;
  while (same(passages[last + 1])) last++;
  if (first === last) return undefined;
  let text = passages[first]!.text;
  let end = passages[first]!.end;
  for (let i = first + 1; i <= last; i++) {
    const q = passages[i]!;
    // Overlapping passages repeat a sentence: append only what lies past the text so far.
    if (q.start < end) text += q.text.slice(end - q.start);
    else text += '\n' + q.text;
    end = Math.max(end, q.end);
  }
  return text;
}
