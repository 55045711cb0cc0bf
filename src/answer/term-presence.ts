/**
 * How far a question term is present in a piece of corpus text. Matching on the text rather than
 * on its tokens avoids jieba's context-dependent segmentation (实现报到在职党员 is not cut the
 * way 报到 is cut in the question). A long term that jieba's HMM glued together from a name and
 * a verb (曲欣干) earns partial credit for the character pairs the text contains.
 */
import { toSimplified } from '../corpus/to-simplified.ts';

/** Simplified, lower-cased text to match question terms against. */
export function matchableText(text: string): string {
  return toSimplified(text).toLowerCase();
}

export function termPresence(term: string, text: string): number {
  if (text.includes(term)) return 1;
  const chars = [...term];
  if (chars.length < 3) return 0;
  let found = 0;
  for (let i = 0; i + 1 < chars.length; i++) if (text.includes(chars[i]! + chars[i + 1]!)) found++;
  return found / (chars.length - 1);
}
