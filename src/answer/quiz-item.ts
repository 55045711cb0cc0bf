/**
 * A question bank (题库) states its answers: each item is a stem, its options and a key line
 * (答案： C, 答案： ABD, 答案： 正确). Quoting the stem or an option alone shows a resident a blank or a
 * choice, as often wrong as right; the stem with the options its key names is what the document
 * says is true. Lines are as the loaders write them (one paragraph a line, blank lines between).
 */
import { lineSpans } from '../corpus/sentences.ts';

export interface KeyedQuizItem {
  /** Offsets of the whole item in the passage text, stem line to key line. */
  start: number;
  end: number;
  /** The stem (without its item number) followed by 答案： and the keyed options (or 正确/错误), each part verbatim. */
  text: string;
}

const STEM = /^\d+[、.．]/u;
const OPTION = /^([A-HＡ-Ｈ])(?:[、.．]|\s)\s*\S/u;
const KEY = /^答案[：:]\s*([A-H]+|正确|错误|对|错)\s*$/u;
// 关于预备党员，不正确的是( ): the keyed options of such a stem are the false statements. Quoted
// as the answer they would tell a resident the opposite of the rule, so such items are not keyed.
const ASKS_FALSE = /不正确|错误的|有误|不准确|不恰当|不妥|不属于|不包括|不符合|不是|不对/u;

/**
 * The keyed items of a passage; an item without a key, whose key names no option it has, or whose
 * stem asks for the false statement, is left out.
 */
export function keyedQuizItems(text: string): KeyedQuizItem[] {
  const items: KeyedQuizItem[] = [];
  let stem: { start: number; line: string } | null = null;
  let options = new Map<string, string>();
  for (const { line, at } of lineSpans(text)) {
    if (STEM.test(line)) {
      stem = { start: at, line };
      options = new Map();
      continue;
    }
    if (!stem) continue;
    const option = OPTION.exec(line);
    if (option) {
      options.set(toAscii(option[1]!), line);
      continue;
    }
    const key = KEY.exec(line);
    if (key) {
      const said = /^[A-H]+$/u.test(key[1]!) ? [...key[1]!].map((l) => options.get(l)) : [key[1]!];
      if (said.every((s): s is string => s !== undefined) && !ASKS_FALSE.test(stem.line)) {
        // The item number (4、) is the bank's, not the rule's: a resident is shown the stem alone.
        items.push({ start: stem.start, end: at + line.length, text: `${stem.line.replace(STEM, '').trimStart()}答案：${said.join('；')}` });
      }
    }
    // A stem's further lines (a long stem wrapped) are neither options nor its key; a key ends it.
    if (key) stem = null;
  }
  return items;
}

function toAscii(letter: string): string {
  const c = letter.charCodeAt(0);
  return c >= 0xff21 ? String.fromCharCode(c - 0xfee0) : letter;
}
