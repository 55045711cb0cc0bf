/**
 * Chinese-aware tokens for BM25: jieba search mode (which also emits the sub-words of long
 * words, e.g. 组织部 → 组织, 组织部), lower-cased, without punctuation and stop words.
 * The same function tokenizes passages at ingest and questions at query time; a change here
 * changes the index, so bump LEXICAL_FORMAT in lexical-index.ts with it (stop-words.ts too).
 */
import { createRequire } from 'node:module';
import type { Jieba } from '@node-rs/jieba';
import { STOP_WORDS } from './stop-words.ts';

const require = createRequire(import.meta.url);
let jieba: Jieba | undefined;

/** The dictionary takes ~180 ms to load; done once, on first use. */
function getJieba(): Jieba {
  if (!jieba) {
    const { Jieba: JiebaClass } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
    const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
    jieba = JiebaClass.withDict(dict);
  }
  return jieba;
}

// A token is kept when it has at least one letter, digit or CJK ideograph.
const MEANINGFUL = /[\p{L}\p{N}]/u;
// 几项/几年/几个/多少人/多少本: a question word fused with a measure word asks, it says nothing.
const QUESTION_WORD = /^(几|多少)[\p{Script=Han}]?$/u;

export function tokenize(text: string): string[] {
  if (!text) return [];
  const out: string[] = [];
  for (const raw of getJieba().cutForSearch(text, true)) {
    const t = raw.trim().toLowerCase();
    if (!t || !MEANINGFUL.test(t) || STOP_WORDS.has(t) || QUESTION_WORD.test(t)) continue;
    out.push(t);
  }
  return out;
}

/**
 * Offsets (UTF-16) where jieba's accurate mode puts a word boundary in `text`, both ends included.
 * A phrase lookup uses them to tell a word found from characters that only happen to follow each
 * other (中办 in 集中办班).
 */
export function wordBoundaries(text: string): Set<number> {
  const at = new Set<number>([0]);
  let offset = 0;
  for (const word of getJieba().cut(text, true)) at.add((offset += word.length));
  return at;
}

/**
 * The words of `text` jieba's dictionary holds, without the HMM that guesses unknown words: a
 * word the HMM glued (该建, 库来) comes back in its known pieces (该 建, 库 来); a dictionary word
 * comes back whole. Stop words are kept: the caller asks which pieces they are.
 */
export function dictionaryWords(text: string): string[] {
  if (!text) return [];
  return getJieba().cut(text, false).map((w) => w.trim().toLowerCase()).filter(Boolean);
}
