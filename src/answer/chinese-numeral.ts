/**
 * Quantities written in Chinese numerals (三千, 二百二十三, 两万, 二〇一九年), so that a model
 * cannot slip an invented figure past the number check by writing it in characters.
 *
 * Only runs that are unmistakably quantities are read: a run with a unit character (十百千万亿)
 * and at least two characters, or four digit characters before 年 (a year). A lone digit
 * character is a word in this domain (五个一, 两学一做, 第一书记, 三会一课), and so are runs that
 * do not parse as one number (万一, 千万, 百姓, 一一, 七八十).
 */

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const SMALL_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const BIG_UNITS: Record<string, number> = { 万: 1e4, 亿: 1e8 };

const RUN = /[零〇一二两三四五六七八九十百千万亿]{2,}(年)?/gu;

export interface ChineseQuantity {
  /** As written, e.g. 三千 or 二〇一九年. */
  text: string;
  /** The value; with `year`, the year. */
  value: number;
  year: boolean;
}

/** The value of a well-formed numeral with units, or null when the run is not one number. */
export function parseChineseNumber(run: string): number | null {
  let total = 0; // whole 亿 and 万 groups
  let section = 0; // below 万
  let digit: number | null = null;
  let sawUnit = false;
  for (const ch of run) {
    if (ch in DIGITS) {
      // 零 marks a gap (一百零五); two other digits in a row are a range (七八十) or a word.
      if (DIGITS[ch] === 0) {
        digit = null;
        continue;
      }
      if (digit !== null) return null;
      digit = DIGITS[ch]!;
    } else if (ch in SMALL_UNITS) {
      // 十 may lead (十九 = 19); 百 and 千 need their digit (百姓, 千万 are words).
      if (digit === null && !(ch === '十' && section === 0 && total === 0)) return null;
      section += (digit ?? 1) * SMALL_UNITS[ch]!;
      digit = null;
      sawUnit = true;
    } else {
      const group = section + (digit ?? 0);
      if (BIG_UNITS[ch] === 1e8) {
        // 亿 scales all before it (一万亿); 三亿五千万 then adds its 万 group.
        if (group === 0 && total === 0) return null;
        total = (total + group) * 1e8;
      } else {
        if (group === 0) return null;
        total += group * 1e4;
      }
      section = 0;
      digit = null;
      sawUnit = true;
    }
  }
  if (!sawUnit) return null;
  return total + section + (digit ?? 0);
}

/** Chinese-numeral quantities in a text, in order. */
export function chineseQuantities(text: string): ChineseQuantity[] {
  const found: ChineseQuantity[] = [];
  for (const m of text.matchAll(RUN)) {
    const run = m[1] ? m[0].slice(0, -1) : m[0];
    if (m[1] && run.length === 4 && [...run].every((c) => c in DIGITS)) {
      found.push({ text: m[0], value: Number([...run].map((c) => DIGITS[c]).join('')), year: true });
      continue;
    }
    const value = parseChineseNumber(run);
    if (value !== null) found.push({ text: run, value, year: false });
  }
  return found;
}
