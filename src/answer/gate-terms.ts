/**
 * The terms the refusal gate weighs, made from the question's search tokens. jieba's HMM glues a
 * function word to the next or last character of an unknown stretch (该建 of 该建总支, 正会 of
 * 行得正会咋样, 库来 of 从哪几个库来的): a word no passage holds, weighed at full idf as missing
 * (issue 9). A term the dictionary does not know, with a piece that is a stop or question word, is
 * weighed as its other pieces (建, 正, 库); one without such a piece (a name: 张阿三, 曲欣干) stays
 * whole and keeps term-presence.ts's credit for character pairs.
 *
 * Tried and left out (2026-12-04): leaving search mode's sub-words (五六 六十 … of 五六十个) to
 * the longer word. It refused more answerable questions on realdocs-tuning (11 → 13) and let an
 * unanswerable one through: with the sub-words gone, a present long word weighs less beside the
 * colloquial words still missing.
 */
import { STOP_WORDS } from '../index/stop-words.ts';
import { dictionaryWords } from '../index/tokenizer.ts';
import { QUESTION_WORDS } from './question-words.ts';

const asks = (w: string) => STOP_WORDS.has(w) || QUESTION_WORDS.has(w);

export function gateTerms(tokens: readonly string[]): string[] {
  const out = new Set<string>();
  for (const t of new Set(tokens)) {
    // A question word (那批) is weightless as it stands; its pieces (批) are not to be weighed.
    const pieces = QUESTION_WORDS.has(t) ? [t] : dictionaryWords(t);
    // Kept whole when nothing would be left (哪能 = 哪 能): dropped, it let 松原那些党史书在哪能
    // 买到 (bundled-tuning, to refuse) through on the rest.
    const glued = pieces.length > 1 && pieces.some(asks) && !pieces.every(asks);
    for (const p of glued ? pieces.filter((x) => !asks(x)) : [t]) out.add(p);
  }
  return [...out];
}
