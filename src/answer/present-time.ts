/**
 * A question about this year or this very day (今年脱贫了多少户, 今天几点开会) asks what documents
 * written before cannot know: their 今年 is the year they were written in. Such a question is
 * answered only from a passage that names the current year (a notice issued this year) or uses the
 * word itself; otherwise it is refused, and no middle answer stands in for it (middle-answer.ts).
 * In the gate, 今年 counts as present where a passage names the current year.
 */
import { normalizeFigures } from './normalize-figures.ts';

// Calendar-bound words. 现在/目前/当前 are left out: 现在交党费按什么标准 asks for the rule in force,
// which the documents state; so is 今天的 (present-day: 今天的路口镇是由哪两个乡镇合并的, CMRC).
const ASKS_THIS_YEAR = /今年|本年度|今年度|今天(?!的)|明天|昨天|本月|这个月|本周|这周|这礼拜/u;

/** The calendar word the question asks with (今年, 今天 …), or null. */
export function presentWord(question: string): string | null {
  return ASKS_THIS_YEAR.exec(question)?.[0] ?? null;
}

/**
 * Whether a passage may answer a question asked with `word` in `year`: it names the year, or it
 * says the word itself (a notice of "今年社区共组织活动12次" speaks of its own year, and the quote
 * shows the resident it says 今年, not which).
 */
export function speaksOfPresent(text: string, word: string, year: number): boolean {
  return text.includes(word) || namesYear(text, year);
}

/** Whether `text` names `year` (2026, 2026年, 二〇二六年 in any script). */
export function namesYear(text: string, year: number): boolean {
  return new RegExp(`(?<!\\d)${year}(?!\\d)`, 'u').test(normalizeFigures(text));
}

/** What a passage of this year says for 今年: the year itself (2026年). */
export function thisYearAlternatives(term: string, year: number): string[] {
  return /^(?:今年|本年度|今年度|本年)$/u.test(term) ? [`${year}年`] : [];
}
