/**
 * Some questions ask for a fact of a recognisable form: a phone number to call, a link or app to
 * download, an amount of money, the site where something is published. Residents ask these often,
 * and the corpus rarely holds them. Such a question can cover most of a passage's words
 * ("长春市委党史研究室的电话是多少？" covers 0.81 of a passage about that office; "车改以后每个月
 * 公务交通补贴发多少？" 0.57 of the article that orders the subsidy paid), yet no candidate holds
 * anything of the form asked for, so quoting one would not answer it. The check runs on the
 * candidate passages before any composer, so no model is asked either. Measured on
 * eval/questions.jsonl: unanswerable refused 11 → 13 of 16, no new false refusal; CMRC 2018 has
 * no such question, and its figures are unchanged (docs/EVALUATION.md).
 */
import { normalizeFigures } from './normalize-figures.ts';

export interface AnswerForm {
  /** Shown by --explain when a question is refused for lack of it. */
  name: 'phone' | 'link' | 'site' | 'amount';
  /** The question asks for this form. */
  asks: RegExp;
  /** A passage holds something of this form. */
  has: RegExp;
  /** `has` is matched against normalizeFigures' canonical form (五百元 = 500元). */
  figures?: true;
}

// Seven or more digits, allowing the separators people write in numbers (0434-1234567).
const PHONE_NUMBER = /\d(?:[\d\-－—\s()（）]{5,})\d/u;
const LINK_WORDS = /网址|网站|链接|下载|二维码|公众号|小程序|app(?![a-z])/iu;
const URL = /https?:\/\/|www\.|[a-z0-9-]+\.(?:(?:gov|com|org|edu)\.)?(?:cn|com|org|net)\b/iu;
// A site is named: a URL, a 门户网站/官网, or a name ending in 网 (共产党员网, 人民网, 中国政府网).
// Not 网站 itself, 网络, 网上 or 网页 (words about the internet), nor the 网 of 互联网, 局域网,
// 上网, 电网 (the character before it says so): "通过党史网站（频道）" names no site.
const SITE_NAME = new RegExp(`${URL.source}|门户网站|官方网站|官网|\\p{Script=Han}(?<![联域特物上入电天法渔光])网(?![站络上页点格友民吧购速])`, 'iu');
// An amount of money, or the share it is reckoned as (党费按月工资收入的0.5%交纳), in canonical form.
const AMOUNT = /\d+(?:\.\d+)?(?:[万千百亿])?(?:元|块|美元|欧元|英镑|日元|港元)|\d+(?:\.\d+)?%|\d+\/\d+/u;

export const ANSWER_FORMS: readonly AnswerForm[] = [
  { name: 'phone', asks: /电话|手机号|热线|联系方式/u, has: PHONE_NUMBER },
  // A passage that names the download, site or code at all may say how to reach it.
  { name: 'link', asks: LINK_WORDS, has: new RegExp(`${SITE_NAME.source}|${LINK_WORDS.source}`, 'iu') },
  // Which site, though, is answered only by one named: "在哪个网站公布" is not answered by a rule
  // that learning should go "进网站".
  { name: 'site', asks: /(?:哪个|哪家|哪些|什么|啥)(?:网站|网)|网址/u, has: SITE_NAME },
  {
    name: 'amount',
    asks: /多少钱|几块钱|多少元|啥价|什么价|(?:费用|标准|金额|数额|补贴|补助|工资|津贴)(?:是|为|有|能)?多少|(?:发|补|给|交|收|领|拿|报销?)多少(?![个名人次项条届位户家所年天月周份件批期种类级栋支本张篇]|小时)/u,
    has: AMOUNT,
    figures: true,
  },
];

/** The forms a question asks for; usually none. */
export function askedForms(question: string): AnswerForm[] {
  return ANSWER_FORMS.filter((f) => f.asks.test(question));
}

/** Whether `text` holds something of the form. */
export function holdsForm(form: AnswerForm, text: string): boolean {
  return form.has.test(form.figures ? normalizeFigures(text) : text);
}

/** The form the question asks for that none of the passages holds, or null. */
export function lackingAnswerForm(question: string, passageTexts: readonly string[]): AnswerForm['name'] | null {
  return askedForms(question).find((f) => !passageTexts.some((t) => holdsForm(f, t)))?.name ?? null;
}
