/**
 * One canonical spelling of numbers and durations, for comparing texts that may write the same
 * figure differently: 一个月 = 1个月 = 1 个月, 六个月以上 = 6个月以上, 0.5％ = 0.5%, 六至八名 =
 * 6～8名 = 6 - 8名 = 6-8名, 百分之五 = 5%, 三分之二 = 2/3, 十余人 = 10余人, 三万 = 3万 = 30000,
 * 12,000 = 12000, 二〇一九年 = 2019年, 壹佰元 = 一百元 = 100元.
 *
 * The result is for comparison only (both sides go through it; offsets are not kept), never for
 * display. Used by the grounding check on a model's reply and by the eval's fact check, so an
 * answer that writes a figure in the other script is neither rejected nor counted wrong.
 *
 * A lone numeral character is converted only before a measure word (一个月, 两名, 三年) or after
 * 第 (第十二条 = 第12条): elsewhere it is a word in this domain (五个一, 两学一做, 一张网), left
 * as written on both sides. Runs that do not parse as one number (千万, 万一, 百姓) stay too.
 */
import { parseChineseNumber } from './chinese-numeral.ts';

const DIGIT_CHARS: Record<string, string> = { 零: '0', 〇: '0', 一: '1', 二: '2', 两: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' };
const NUMERAL = '[零〇一二两三四五六七八九十百千万亿]';
// Measure words and units after which a numeral is a quantity. 个 alone counts (一个月 needs it,
// and 一个 is converted on both sides alike).
const MEASURE = '(?:个|年|月|日|号|天|周|星期|小时|分钟|秒|岁|名|人|次|届|倍|项|条|款|章|节|批|期|份|位|种|类|级|元|万|亿|%)';
const RANGE_SEP = '(?:至|到|~|～|-|－|—|–)';
// 余/多/来 between a figure and its unit (十余人, 两个多月, 二十来岁) keep it a quantity.
const APPROX = '(?:余|多|来)?';

const CN_PERCENT = new RegExp(`百分之(${NUMERAL}+(?:点[零〇一二三四五六七八九]+)?|\\d+(?:\\.\\d+)?)`, 'gu');
const CN_DECIMAL = new RegExp(`(${NUMERAL}+)点([零〇一二三四五六七八九]+)`, 'gu');
const CN_YEAR = /([零〇一二三四五六七八九]{4})(?=年)/gu;
const CN_RANGE = new RegExp(`(${NUMERAL}+)${RANGE_SEP}(${NUMERAL}+)(?=${APPROX}${MEASURE})`, 'gu');
const CN_BEFORE_MEASURE = new RegExp(`${NUMERAL}+(?=${APPROX}${MEASURE})`, 'gu');
// 三分之二, 3分之2 (a share of the vote in Party rules); 百分之 is a percent, read first.
const FRACTION = new RegExp(`(${NUMERAL}+|\\d+)分之(${NUMERAL}+|\\d+)`, 'gu');
// 大写 numerals of amounts on forms (壹佰元, 贰拾人). A run is read only when it holds one that is
// never a plain word (壹贰叁肆伍柒捌玖佰仟): 陆 and 拾 alone are 大陆, 收拾.
const FINANCIAL: Record<string, string> = { 壹: '一', 贰: '二', 貳: '二', 叁: '三', 參: '三', 肆: '四', 伍: '五', 陆: '六', 陸: '六', 柒: '七', 捌: '八', 玖: '九', 拾: '十', 佰: '百', 仟: '千', 萬: '万', 億: '亿' };
const FINANCIAL_RUN = /[壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億零〇]*[壹贰貳叁參肆伍柒捌玖佰仟][壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億零〇]*/gu;
const CN_ORDINAL = new RegExp(`(?<=第)${NUMERAL}+`, 'gu');
const CN_RUN = new RegExp(`${NUMERAL}{2,}`, 'gu');
const ARABIC_RANGE = new RegExp(`(\\d)\\s*${RANGE_SEP}\\s*(?=\\d)`, 'gu');
const THOUSANDS = /(\d),(?=\d{3}(?!\d))/g;
const SCALED = /(\d+(?:\.\d+)?)(万|亿)/g;
const SPACE_AFTER_DIGIT = /(\d)\s+(?=[\p{Script=Han}%])/gu;
const SPACE_BEFORE_DIGIT = /(?<=[\p{Script=Han}])\s+(?=\d)/gu;

/** The Arabic value of a numeral run: digit by digit (一九) or with units (二十三); null if neither. */
function numeralValue(run: string): string | null {
  const parsed = parseChineseNumber(run);
  if (parsed !== null) return String(parsed);
  const chars = [...run];
  // A single character (一, 两, 十) or digits read one by one (二〇二〇 in a year).
  if (chars.length === 1 && run === '十') return '10';
  if (chars.every((c) => c in DIGIT_CHARS) && (chars.length === 1 || chars.length === 4)) {
    return chars.map((c) => DIGIT_CHARS[c]).join('');
  }
  return null;
}

function decimalDigits(s: string): string {
  return [...s].map((c) => DIGIT_CHARS[c] ?? c).join('');
}

function convert(run: string): string {
  return numeralValue(run) ?? run;
}

/** The canonical form of `text` for comparing figures; see the file comment. */
export function normalizeFigures(text: string): string {
  // ○ (U+25CB, a white circle) stands for 〇 in scraped and typed texts (二○三五年 in the 十九大 report).
  let s = text.normalize('NFKC').replace(/○/gu, '〇');
  s = s.replace(FINANCIAL_RUN, (run) => [...run].map((c) => FINANCIAL[c] ?? c).join(''));
  s = s.replace(THOUSANDS, '$1');
  s = s.replace(SPACE_AFTER_DIGIT, '$1').replace(SPACE_BEFORE_DIGIT, '');
  s = s.replace(CN_PERCENT, (_m, n: string) => {
    const [int, frac] = n.split('点');
    const value = /\d/.test(int!) ? int! : convert(int!);
    return `${value}${frac ? `.${decimalDigits(frac)}` : ''}%`;
  });
  s = s.replace(FRACTION, (m, den: string, num: string) => {
    const d = /\d/.test(den) ? den : numeralValue(den);
    const n = /\d/.test(num) ? num : numeralValue(num);
    return d === null || n === null ? m : `${n}/${d}`;
  });
  s = s.replace(CN_DECIMAL, (m, int: string, frac: string) => {
    const value = numeralValue(int);
    return value === null ? m : `${value}.${decimalDigits(frac)}`;
  });
  s = s.replace(CN_YEAR, (run) => decimalDigits(run));
  s = s.replace(CN_RANGE, (m, a: string, b: string) => {
    const x = numeralValue(a);
    const y = numeralValue(b);
    return x === null || y === null ? m : `${x}-${y}`;
  });
  s = s.replace(CN_BEFORE_MEASURE, convert);
  s = s.replace(CN_ORDINAL, convert);
  // Runs with a unit elsewhere (三千余人 is caught above; 二百二十三 alone here).
  s = s.replace(CN_RUN, (run) => (parseChineseNumber(run) === null ? run : String(parseChineseNumber(run))));
  s = s.replace(ARABIC_RANGE, '$1-');
  s = s.replace(SCALED, (_m, n: string, unit: string) => String(Math.round(Number(n) * (unit === '万' ? 1e4 : 1e8))));
  return s;
}

/** True when `haystack` holds `needle` once both are in canonical form. */
export function includesFigures(haystack: string, needle: string): boolean {
  return normalizeFigures(haystack).includes(normalizeFigures(needle));
}
