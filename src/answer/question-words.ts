/**
 * The question and colloquial words the refusal gate does not weigh (word-lists/question-words.txt says
 * how the list was built). Read once, when the module loads.
 */
import { readFileSync } from 'node:fs';

export function parseWordList(text: string): Set<string> {
  const words = new Set<string>();
  for (const line of text.split('\n')) {
    for (const w of line.replace(/#.*/, '').split(/\s+/)) if (w) words.add(w.toLowerCase());
  }
  return words;
}

export const QUESTION_WORDS: ReadonlySet<string> = parseWordList(
  readFileSync(new URL('./word-lists/question-words.txt', import.meta.url), 'utf8'),
);
