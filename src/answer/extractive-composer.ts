/**
 * The offline composer: picks the one to three sentences of the top passages that best answer
 * the question and quotes them verbatim (numbers and names exactly as written), each followed by
 * the [n] of its passage. No model, no network; measured on CMRC 2018 and our own set
 * (docs/EVALUATION.md).
 *
 * Sentence score = idf-weighted share of the question's terms in the sentence, a small bonus
 * when the question asks for a number/time and the sentence has digits, a large one when it asks
 * for a form of fact (answer-form.ts: a phone number, link, site, amount) and the sentence holds
 * one, and a decay by the passage's rank so the best passage wins ties.
 *
 * What is quoted should be the rule itself (issue 9): a table or form row line (职务：支部书记；
 * 任期：5年) is one record, kept whole instead of split at ；, and weighs less than a full sentence;
 * a bare fragment (a heading-like line) and quiz material (a blank to fill, an option) weigh less
 * still, and quiz material is never quoted beside a better sentence; a question-bank item whose key
 * line names its answer is quoted whole with the keyed options (quiz-item.ts), weighed as a row;
 * a question asking for a list gets the rule's lead line with its items' openings (list-lead.ts). When
 * the question asks for a count, duration or date (多少个, 多长时间, 几年, 啥时候), the sentence
 * holding a figure of that kind gains over one that only repeats the question's words.
 */
import { lineSpans, sentenceSpans } from '../corpus/sentences.ts';
import { askedForms, holdsForm } from './answer-form.ts';
import { LABEL_ROW } from './blank-form.ts';
import { askedFigure } from './asked-figure.ts';
import { keyedQuizItems } from './quiz-item.ts';
import { listLeads } from './list-lead.ts';
import { normalizeFigures } from './normalize-figures.ts';
import { matchableText, termPresence } from './term-presence.ts';
import type { RetrievedPassage } from './types.ts';

export interface ExtractOptions {
  /** Upper bound for the answer body, markers included. Default 200 (the figure). */
  maxChars: number;
  /** Sentences quoted at most. */
  maxSentences: number;
  /** Passages searched for sentences. */
  passages: number;
  /**
   * The documents the question names (named-document.ts) and the question's words their titles
   * hold. Every sentence of a named document is about those words, whether it repeats them or not
   * (机关基层组织工作条例归哪个部门解释: the preamble repeats the name, the answering article does
   * not), so they count as present in each of its sentences; other documents' sentences must hold
   * them.
   */
  named?: { docIds: ReadonlySet<string>; titleTerms: ReadonlySet<string> };
}

export const DEFAULT_EXTRACT_OPTIONS: ExtractOptions = { maxChars: 200, maxSentences: 3, passages: 3 };

export type SpanKind = 'sentence' | 'row' | 'fragment' | 'blank' | 'keyed' | 'list';

export interface ExtractedSentence {
  /** Index into the passages handed in. */
  passage: number;
  text: string;
  /** Offsets inside the passage text. */
  start: number;
  end: number;
  score: number;
  /**
   * A full sentence, a table or form row kept whole, a fragment (a label), quiz material (a blank
   * to fill, an option), a question-bank item with the options its key names (quiz-item.ts), or
   * a list's lead with the openings of its items (list-lead.ts).
   */
  kind: SpanKind;
}

// 哪几个 asks which ones (a list), not a number; 那几个/这几年 point, they do not ask.
const NUMBER_CUE = /多少|(?<![哪那这])几[个次名人年月天项栋支所]?|比例|百分|数量|规模|多大|多高|多长|多远|多久|哪[一]?年|何时|什么时候|啥时候|时间|日期|年份|金额|人数/u;
const HAS_DIGIT = /[0-9０-９]|[一二三四五六七八九十百千万亿]+[余多]?[个次名人年月日天项栋支所元]/u;
const RANK_DECAY = 0.12;
const CUE_BONUS = 0.15;
// A sentence holding the very form asked for (咨询电话：0434-…) is the answer even when another
// sentence repeats more of the question's words (…服务中心设在梨树镇).
const FORM_BONUS = 0.5;
// The figure of the asked kind (6230个 for 多少个, 1个月内 for 多长时间): measured on the tuning
// sets (bundled-tuning bp-010, realdocs-tuning rd-021), where the sentence before the figure
// repeats more of the question's words.
const ASKED_FIGURE_BONUS = 0.3;
// A row line is a record of a table or form, a fragment is not a sentence at all: the rule
// sentence beside them is the better quote when it covers the question as well.
const ROW_WEIGHT = 0.85;
const FRAGMENT_WEIGHT = 0.7;
// A title word of the named document that a sentence does not repeat counts most of its weight:
// every sentence there is about it, but among its rows and sentences the one that names it (the
// 批复时间 row of a 请示批复一览表) is the one asked about.
const NAMED_ABSENT = 0.75;
// 有哪几条, 有哪些, 包括什么: the list under a lead line is the answer (list-lead.ts), and gains
// as the asked figure does.
const ASKS_LIST = /哪些|哪几|包括|包含|有什么|有啥|都有|几项|几条|几个方面|几种/u;
/** Further sentences must score at least this share of the best one. */
const COMPANION_SHARE = 0.5;

export function extractSentences(
  question: string,
  tokens: readonly string[],
  passages: readonly RetrievedPassage[],
  idf: (term: string) => number,
  options: Partial<ExtractOptions> = {},
): ExtractedSentence[] {
  const opts = { ...DEFAULT_EXTRACT_OPTIONS, ...options };
  const terms = [...new Set(tokens)];
  const total = terms.reduce((s, t) => s + idf(t), 0) || 1;
  const wantsNumber = NUMBER_CUE.test(question);
  const forms = askedForms(question);
  const figure = askedFigure(question);
  const asksList = ASKS_LIST.test(question);
  const asked = matchableText(question);
  const ownTerms = terms.filter((t) => asked.includes(t));

  const candidates: ExtractedSentence[] = [];
  passages.slice(0, opts.passages).forEach((p, rank) => {
    const named = opts.named?.docIds.has(p.docId) ? opts.named.titleTerms : null;
    for (const { start, end, kind, shown, about } of quotableSpans(p.text, asksList)) {
      const text = shown ?? p.text.slice(start, end);
      // The heading line that opens a passage is a label (吕志兴, 第一章 总则), not an answer;
      // but a one-sentence article is its own heading (第三十四条 本办法自2023年3月1日起施行。).
      if (start === 0 && text === p.heading && !SENTENCE_FINAL.test(text)) continue;
      // A list is about what its lead says; its items' words would make any long list win.
      const have = matchableText(about ?? text);
      // A line made of the question's own words (a title it names) tells the resident nothing;
      // the words an expansion added are what the documents say instead (开会的地方 → 会议地点).
      if (saysNothingNew(have, ownTerms)) continue;
      let got = 0;
      for (const t of terms) got += (named?.has(t) ? Math.max(NAMED_ABSENT, termPresence(t, have)) : termPresence(t, have)) * idf(t);
      let score = got / total;
      if (score === 0) continue;
      if (wantsNumber && HAS_DIGIT.test(text)) score += CUE_BONUS;
      if (forms.some((f) => holdsForm(f, text))) score += FORM_BONUS;
      if (figure?.test(normalizeFigures(text))) score += ASKED_FIGURE_BONUS;
      if (kind === 'list' && asksList) score += ASKED_FIGURE_BONUS;
      if (kind === 'row' || kind === 'keyed') score *= ROW_WEIGHT;
      else if (kind === 'fragment' || kind === 'blank') score *= FRAGMENT_WEIGHT;
      score *= 1 - RANK_DECAY * rank;
      candidates.push({ passage: rank, text, start, end, score, kind });
    }
  });
  if (!candidates.length) return [];
  candidates.sort((a, b) => b.score - a.score || a.passage - b.passage || a.start - b.start);

  // Budget: each marker costs about 3 characters ("[1]").
  const budget = opts.maxChars;
  const best = candidates[0]!;
  const picked: ExtractedSentence[] = [clip(best, terms, budget - 3)];
  let used = picked[0]!.text.length + 3;
  for (const c of candidates.slice(1)) {
    if (picked.length >= opts.maxSentences) break;
    if (c.score < best.score * COMPANION_SHARE) break;
    // A quiz item with its blanks asks the reader; beside a better quote it only confuses.
    if (c.kind === 'blank') continue;
    if (used + c.text.length + 3 > budget) continue;
    if (picked.some((p) => p.passage === c.passage && p.start < c.end && c.start < p.end)) continue;
    // Overlapping passages repeat sentences, and a question bank repeats its items (48、 and 431、
    // 党的纪律处分有( )…, quoted without their numbers) with other punctuation: quote each once.
    if (picked.some((p) => sameWords(p.text, c.text))) continue;
    picked.push(c);
    used += c.text.length + 3;
  }
  // Read in document order: by passage rank, then position.
  return picked.sort((a, b) => a.passage - b.passage || a.start - b.start);
}

/** The same text but for punctuation and spacing. */
function sameWords(a: string, b: string): boolean {
  const words = (t: string) => t.replace(/[^\p{L}\p{N}]+/gu, '');
  return a === b || words(a) === words(b);
}

// Two or more 键：值 cells joined by ；(the loaders' row lines) or three or more cells split by |.
const ROW_LINE = /^[^：:；;\n]{1,24}[：:][^；;\n]*(?:[；;][^：:；;\n]{1,24}[：:][^；;\n]*)+[；;]?$|^[^|\n]+(?:\s\|\s[^|\n]+){2,}$/u;
// Quiz material: a blank with room to write in （ ）, a line to write on ____, an empty （） in a
// numbered quiz item (4、…义务有（）。), or an option (A、 口头转正申请). It asks a reader and lists
// choices, as often wrong as right; it is not a rule. An empty （） elsewhere is a name the source
// dropped (那须盐原车站（）是…, as in CMRC), not a blank.
const BLANK = /[（(][\s\u3000]+[）)]|_{3,}|^\d+[、.．].*[（(][）)]|^[A-HＡ-Ｈ](?:[、.．]|\s)/u;
const SENTENCE_FINAL = /[。！？；!?;…][”’」』）)\]】]*$/u;
/** Shorter than this and without a sentence end, a span is a label or an option, not a sentence. */
const FRAGMENT_CHARS = 20;

/** Whether `text` (matchable) holds nothing but the question's terms, punctuation and spaces. */
function saysNothingNew(text: string, terms: readonly string[]): boolean {
  let rest = text;
  for (const t of [...terms].sort((a, b) => b.length - a.length)) if (t) rest = rest.split(t).join('');
  return rest.replace(/[\p{P}\p{S}\s]/gu, '').length < 2;
}

/**
 * The sentences of a passage, with each row line as one span, each keyed question-bank item as
 * one and, for a question asking for a list, each list with its lead as one (`shown` is then the
 * text quoted, `about` what it is matched on), and what each span is.
 */
function quotableSpans(text: string, withLists: boolean): Array<{ start: number; end: number; kind: SpanKind; shown?: string; about?: string }> {
  const rows: Array<[number, number]> = lineSpans(text)
    .filter(({ line }) => ROW_LINE.test(line))
    .map(({ line, at }) => [at, at + line.length]);
  const items = keyedQuizItems(text);
  const lists = withLists ? listLeads(text) : [];
  const out: Array<{ start: number; end: number; kind: SpanKind; shown?: string; about?: string }> = [
    ...rows.map(([start, end]) => ({ start, end, kind: 'row' as const })),
    ...items.map((q) => ({ start: q.start, end: q.end, kind: 'keyed' as const, shown: q.text })),
    ...lists.map((l) => ({ start: l.start, end: l.end, kind: 'list' as const, shown: l.text, about: l.lead })),
  ];
  for (const [start, end] of sentenceSpans(text)) {
    if (rows.some(([s, e]) => start >= s && end <= e)) continue;
    if (items.some((q) => start < q.end && q.start < end)) continue;
    // The lead is quoted with its list; the items stay quotable one by one too.
    if (lists.some((l) => start < l.leadEnd && l.start < end)) continue;
    const sentence = text.slice(start, end);
    const fragment = sentence.length < FRAGMENT_CHARS && !SENTENCE_FINAL.test(sentence);
    // A blank form's row of labels is never an answer (blank-form.ts).
    if (LABEL_ROW.test(sentence)) continue;
    out.push({ start, end, kind: BLANK.test(sentence) ? 'blank' : fragment ? 'fragment' : 'sentence' });
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * A sentence longer than the budget is cut to the run of clauses (split at ，,、：) around the
 * clause that covers the most question terms, marked with … where cut.
 */
function clip(s: ExtractedSentence, terms: readonly string[], budget: number): ExtractedSentence {
  if (s.text.length <= budget) return s;
  const clauses: Array<[number, number]> = [];
  let from = 0;
  for (let i = 0; i < s.text.length; i++) {
    if ('，,、：:'.includes(s.text[i]!)) {
      clauses.push([from, i + 1]);
      from = i + 1;
    }
  }
  if (from < s.text.length) clauses.push([from, s.text.length]);
  const weight = (c: [number, number]) => {
    const have = matchableText(s.text.slice(c[0], c[1]));
    return terms.reduce((n, t) => n + termPresence(t, have), 0);
  };
  let center = 0;
  clauses.forEach((c, i) => {
    if (weight(c) > weight(clauses[center]!)) center = i;
  });
  let lo = center;
  let hi = center;
  const room = budget - 2; // two ellipses at most
  const len = () => clauses[hi]![1] - clauses[lo]![0];
  // Grow forward first: the answer usually follows the words the question repeats.
  for (;;) {
    if (hi + 1 < clauses.length && clauses[hi + 1]![1] - clauses[lo]![0] <= room) hi++;
    else if (lo > 0 && clauses[hi]![1] - clauses[lo - 1]![0] <= room) lo--;
    else break;
  }
  let start = clauses[lo]![0];
  let end = clauses[hi]![1];
  if (len() > room) end = start + room; // one clause alone is too long: hard cut
  const text = (start > 0 ? '…' : '') + s.text.slice(start, end) + (end < s.text.length ? '…' : '');
  return { ...s, text, start: s.start + start, end: s.start + end };
}
