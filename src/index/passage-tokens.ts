import { contextHeading, type Passage } from '../corpus/passage.ts';
import { toSimplified } from '../corpus/to-simplified.ts';
import { tokenize } from './tokenizer.ts';

/**
 * Tokens of corpus text. Questions are converted to simplified characters, so corpus text is
 * too (the seed itself has 實现, 脫贫), or those words could never match.
 */
export function textTokens(text: string): string[] {
  return tokenize(toSimplified(text));
}

/**
 * What BM25 indexes for a passage: its text plus the document title and section heading, so a
 * question naming the topic ("梨树县…") finds passages that only say "县委".
 */
export function passageTokens(p: Pick<Passage, 'title' | 'heading' | 'text'>): string[] {
  return textTokens(`${p.title}\n${contextHeading(p)}${p.text}`);
}
