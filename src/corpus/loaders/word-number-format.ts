/**
 * Word's list number formats (ECMA-376 §17.18.59 ST_NumberFormat) for the values Chinese
 * documents use: 一、 （三） 第十二条 甲 ① 1. a) iv. A number format Word has but this does not
 * know falls back to decimal, so a number is never lost.
 */
export function formatNumber(value: number, numFmt: string): string {
  switch (numFmt) {
    case 'chineseCounting':
    case 'chineseCountingThousand':
    case 'japaneseCounting':
    case 'taiwaneseCounting':
    case 'taiwaneseCountingThousand':
    case 'ideographDigital':
      return numFmt === 'ideographDigital' ? digitsOf(value) : chineseCounting(value);
    case 'chineseLegalSimplified':
      return chineseLegal(value);
    case 'ideographTraditional':
      return cycle(value, '甲乙丙丁戊己庚辛壬癸');
    case 'ideographZodiac':
      return cycle(value, '子丑寅卯辰巳午未申酉戌亥');
    case 'decimalEnclosedCircle':
    case 'decimalEnclosedCircleChinese':
      return value >= 1 && value <= 20 ? String.fromCodePoint(0x2460 + value - 1) : String(value);
    case 'decimalEnclosedParen':
      return `(${value})`;
    case 'decimalFullWidth':
    case 'decimalFullWidth2':
      return String(value).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    case 'decimalZero':
      return value < 10 ? `0${value}` : String(value);
    case 'lowerLetter':
      return letters(value).toLowerCase();
    case 'upperLetter':
      return letters(value);
    case 'lowerRoman':
      return roman(value).toLowerCase();
    case 'upperRoman':
      return roman(value);
    case 'none':
      return '';
    default:
      return String(value);
  }
}

const DIGITS = '〇一二三四五六七八九';

function digitsOf(value: number): string {
  return String(value).replace(/\d/g, (d) => DIGITS[Number(d)]!);
}

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五, 1010 → 一千零一十. */
export function chineseCounting(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value >= 100000) return String(value);
  if (value === 0) return '〇';
  const units = ['', '十', '百', '千', '万'];
  const digits = String(value).split('').map(Number).reverse();
  let out = '';
  let zero = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    const d = digits[i]!;
    if (d === 0) {
      zero = out !== '';
      continue;
    }
    if (zero) out += '零';
    zero = false;
    // 十二, not 一十二, when the number starts at the tens.
    out += (d === 1 && i === 1 && out === '' ? '' : DIGITS[d]!) + units[i]!;
  }
  return out;
}

function chineseLegal(value: number): string {
  const map: Record<string, string> = { 一: '壹', 二: '贰', 三: '叁', 四: '肆', 五: '伍', 六: '陆', 七: '柒', 八: '捌', 九: '玖', 十: '拾', 百: '佰', 千: '仟' };
  const counted = value >= 10 && value < 20 ? '一' + chineseCounting(value) : chineseCounting(value);
  return counted.replace(/[一二三四五六七八九十百千]/g, (c) => map[c]!);
}

function cycle(value: number, symbols: string): string {
  const chars = [...symbols];
  return value >= 1 ? chars[(value - 1) % chars.length]! : String(value);
}

/** 1 → A, 26 → Z, 27 → AA (Word repeats the letter). */
function letters(value: number): string {
  if (value < 1) return String(value);
  const letter = String.fromCharCode(65 + ((value - 1) % 26));
  return letter.repeat(Math.floor((value - 1) / 26) + 1);
}

function roman(value: number): string {
  if (value < 1 || value >= 4000) return String(value);
  const table: Array<[number, string]> = [
    [1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'],
    [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I'],
  ];
  let out = '';
  let rest = value;
  for (const [n, s] of table) {
    while (rest >= n) {
      out += s;
      rest -= n;
    }
  }
  return out;
}
