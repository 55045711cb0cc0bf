/**
 * Traditional → simplified Chinese (OpenCC tw2s, which also maps Taiwan variants such as 裡).
 * Corpus text and questions both go through it before tokenizing and matching, so 黨員 finds 党员
 * and the seed's own 實现 is found by 实现. Simplified text passes through unchanged.
 */
import { Converter } from 'opencc-js/t2cn';

let simplify: ((text: string) => string) | undefined;

/** The converter builds its tries on first use (see Answerer.warmUp). */
export function toSimplified(text: string): string {
  const convert = (simplify ??= Converter({ from: 'tw', to: 'cn' }));
  return convert(text);
}
