/**
 * The question's search terms. Passages and questions share the index's tokenizer; a question
 * also has spoken runs jieba reads wrongly, cut apart here before tokenizing (the question shown to
 * the resident is left as typed).
 */
import { tokenize } from '../index/tokenizer.ts';

// 多少人才能… is read 多少/人才/能 (人才, "talent"), and the asked count is lost: a question word
// and its measure word before 才 are kept together.
const COUNT_BEFORE_CAI = /(几|多少)(\p{Script=Han})(?=才)/gu;

export function tokenizeQuestion(text: string): string[] {
  return tokenize(text.replace(COUNT_BEFORE_CAI, '$1$2 '));
}
