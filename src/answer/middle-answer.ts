/**
 * The middle answer (issue 9), between an answer and a refusal. When the gate finds part of the
 * question in the documents but not enough to answer it (coverage at least MIDDLE_MIN_COVERAGE and
 * under MIN_COVERAGE), the one sentence that best answers it is quoted under a lead saying it is not
 * a direct answer: 资料中没有直接的答案，最相关的规定是：……[1]. The resident sees what the documents
 * do say, with its source, and is not told it answers the question.
 *
 * The gate's coverage alone cannot tell a paraphrase from an on-topic question the documents cannot
 * answer (both cover 0.30–0.50 on the tuning sets), so the quote must also hold the kind of answer
 * the question asks for:
 * - a figure (a date, a duration, a count in the asked measure word, an amount in 元): the quote
 *   holds one of that kind;
 * - may one / must one (能不能, 可不可以, 要不要, 能…吗): the quote states a rule (严禁, 不得, 应当,
 *   可以 …).
 * Any other question (what, who, where, which ones) gets no middle answer: nothing in the quote could
 * show it is the kind of thing asked. Never given either to off-topic questions (they cover under
 * MIDDLE_MIN_COVERAGE), to questions about the present (今年, 今天, 现在: the documents are fixed
 * texts), or with quiz material or a fragment as the quote. A question for a form the passages lack
 * (a phone number, a link, a named site, an amount) is refused before this (answer-form.ts).
 */
import { askedForms, holdsForm } from './answer-form.ts';
import { askedFigure } from './asked-figure.ts';
import type { ExtractedSentence } from './extractive-composer.ts';
import { normalizeFigures } from './normalize-figures.ts';
import { presentWord } from './present-time.ts';

/**
 * Below this coverage a question is off topic and refused. Measured on the tuning sets
 * (bundled-tuning, realdocs-tuning, questions.jsonl): off-topic questions and injections cover
 * 0–0.29 (上证指数 0.286), answerable ones the gate refuses mostly 0.30–0.49 (docs/EVALUATION.md).
 */
export const MIDDLE_MIN_COVERAGE = 0.3;

// The present: what the documents, written once, cannot know. The calendar words are
// present-time.ts's; a partial answer is not given for 现在/当前 either, as a full one may be.
const ASKS_NOW = /现在|当前|眼下|最近/u;
const asksPresent = (question: string) => presentWord(question) !== null || ASKS_NOW.test(question);
const ASKS_PERMISSION = /能不能|可不可以|可以不|能否|是否可以|是否能|行不行|允许不允许|准不准|要不要|需不需要|用不用|(?:能|可以|允许|要)[^，。？?]{0,12}吗[？?]?$/u;
const STATES_RULE = /严禁|禁止|不得|不准|不予|不能|不宜|一律|应当|必须|可以|允许|须/u;

/** Whether a question the gate found partly covered may get a middle answer quoting `quote`. */
export function middleAnswerAllowed(question: string, coverage: number, quote: Pick<ExtractedSentence, 'text' | 'kind'>): boolean {
  if (coverage < MIDDLE_MIN_COVERAGE || asksPresent(question)) return false;
  if (quote.kind !== 'sentence' && quote.kind !== 'row' && quote.kind !== 'keyed') return false;
  const amount = askedForms(question).find((f) => f.name === 'amount');
  if (amount) return holdsForm(amount, quote.text);
  const text = normalizeFigures(quote.text);
  const figure = askedFigure(question);
  if (figure) return figure.test(text);
  return ASKS_PERMISSION.test(question) && STATES_RULE.test(text);
}
