/**
 * The kind of figure a question asks for, as a pattern over text in normalizeFigures' canonical
 * form: a document number (文号), a date (啥时候, 哪一年, 几号), a duration (多长时间, 多久, 几年), or a count in the measure
 * word the question names (多少个 → 6230个, 几名 → 7名, 最多几人). Null when the question asks for
 * no figure of a known kind (比例是多少 asks for any number; the composer's digit cue covers it).
 */
// 文号 is the issuing number a document carries (路卫发〔2011〕76号), asked as 文号/发文字号/几号文.
const ASKS_DOCUMENT_NUMBER = /文号|发文字号|几号文/u;
const DOCUMENT_NUMBER = /\p{Script=Han}{1,10}[〔\[［【（(]\d{4}[〕\]］】）)]\d+号/u;
const ASKS_DATE = /啥时候|什么时候|何时|哪[一]?年|哪[一]?天|几号|几月几[日号]|哪个月|日期|年份/u;
const ASKS_DURATION = /多长时间|多长的时间|多久|多少年|多少天|多少个月|(?<![哪那这])(?:几年|几个月|几天|几周|几个星期|几个工作日)|期限|任期/u;
// 多少/几/最多/最少/至少 followed by a measure word; the measure is captured (几个人 counts 人).
// 哪几个/哪几项 asks which ones, a list, not how many; 那几个/这几年 point at things, they ask nothing.
const ASKS_COUNT = /(?:多少|(?<![哪那这])几|最多|最少|至少|不超过)(?:个(?=人))?(个|名|人|次|项|条|届|位|户|家|所|支|栋|元|万|岁|倍|批|期|份|种|类|级|小时)/u;

// A recurring time (每月月初, 每季度, 年底前) answers 啥时候开 as a date answers 啥时候开始.
const DATE = /\d{4}年|每(?:年|月|季度|季|半年|周|星期)|[年月季][初底末]|\d{1,2}月\d{1,2}[日号]|(?<!\d)(?:19|20)\d{2}(?:[-./]\d{1,2}|(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01]))(?!\d)/u;
const DURATION = /\d+(?:\.\d+)?(?:个月|个工作日|个星期|年|月|天|日|周|小时)|半年|一季度/u;

export function askedFigure(question: string): RegExp | null {
  if (ASKS_DOCUMENT_NUMBER.test(question)) return DOCUMENT_NUMBER;
  if (ASKS_DATE.test(question)) return DATE;
  if (ASKS_DURATION.test(question)) return DURATION;
  const count = ASKS_COUNT.exec(question);
  return count ? new RegExp(`\\d+(?:\\.\\d+)?(?:余|多)?${count[1]}`, 'u') : null;
}
