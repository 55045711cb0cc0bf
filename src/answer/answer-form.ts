/**
 * Some questions ask for a fact of a recognisable form: a phone number to call, a link or app to
 * download. Residents ask these often, and the corpus rarely holds them. Such a question can
 * cover most of a passage's words ("长春市委党史研究室的电话是多少？" covers 0.81 of a passage
 * about that office), yet no candidate holds anything of the form asked for, so quoting one would
 * not answer it. The check runs on the candidate passages before any composer, so no model is
 * asked either. Measured on eval/questions.jsonl: unanswerable refused 11 → 13 of 16, no new
 * false refusal; CMRC 2018 has no such question, and its figures are unchanged (docs/EVALUATION.md).
 */

export interface AnswerForm {
  /** Shown by --explain when a question is refused for lack of it. */
  name: 'phone' | 'link';
  /** The question asks for this form. */
  asks: RegExp;
  /** A passage holds something of this form. */
  has: RegExp;
}

// Seven or more digits, allowing the separators people write in numbers (0434-1234567).
const PHONE_NUMBER = /\d(?:[\d\-－—\s()（）]{5,})\d/u;
const LINK_WORDS = /网址|网站|链接|下载|二维码|公众号|小程序|app(?![a-z])/iu;

export const ANSWER_FORMS: readonly AnswerForm[] = [
  { name: 'phone', asks: /电话|手机号|热线|联系方式/u, has: PHONE_NUMBER },
  // A passage that names the download, site or code at all may say how to reach it.
  { name: 'link', asks: LINK_WORDS, has: new RegExp(`https?://|www\\.|${LINK_WORDS.source}`, 'iu') },
];

/** The forms a question asks for; usually none. */
export function askedForms(question: string): AnswerForm[] {
  return ANSWER_FORMS.filter((f) => f.asks.test(question));
}

/** The form the question asks for that none of the passages holds, or null. */
export function lackingAnswerForm(question: string, passageTexts: readonly string[]): AnswerForm['name'] | null {
  return askedForms(question).find((f) => !passageTexts.some((t) => f.has.test(t)))?.name ?? null;
}
