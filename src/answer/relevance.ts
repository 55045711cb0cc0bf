/**
 * Decides whether retrieval found anything worth answering from. BM25 scores are not comparable
 * across questions, so the test is the share of the question's idf mass that the best candidate
 * passage covers: "党费怎么交" matches nothing of weight in a corpus without 党费, while a
 * paraphrase of a real question still covers most of its rare terms. The threshold is calibrated
 * on eval/questions.jsonl (answerable and unanswerable) and on CMRC 2018; see docs/EVALUATION.md.
 * Question and colloquial words (啥时候, 搞, 那种) weigh nothing: they are how residents ask.
 */
import type { Passage } from '../corpus/passage.ts';
import { QUESTION_WORDS } from './question-words.ts';
import { normalizeFigures } from './normalize-figures.ts';
import { matchableText, termPresence } from './term-presence.ts';

/** The canonical form of a term holding a figure (normalize-figures.ts), or null when it holds none. */
function figureForm(term: string): string | null {
  if (/\p{Nd}/u.test(term)) return normalizeFigures(term);
  if (!/[零〇一二两三四五六七八九十百千万亿]/u.test(term)) return null;
  const canonical = normalizeFigures(term);
  return canonical === term ? null : canonical;
}

export const MIN_COVERAGE = 0.5;

/**
 * With vectors, a question whose terms are partly covered (at least this share) is answered
 * when a candidate passage is also close in meaning (dense similarity at or above the model's
 * threshold): a paraphrase says the same with other words, and the lexical share alone would
 * refuse it. 0.3: on the tuning sets (lexical index, 2026-12-03), 11 of the 21 answerable
 * questions refused lay in [0.3, 0.5), while 23 of the 33 questions to refuse that were refused
 * lay below 0.3, out of the rescue's reach whatever a model says (docs/EVALUATION.md).
 */
export const DENSE_RESCUE_MIN_COVERAGE = 0.3;

export interface GateDecision {
  /** True: answer; false: refuse. */
  pass: boolean;
  /** True when the lexical share alone would have refused and dense similarity let it through. */
  denseRescued: boolean;
}

/**
 * The refusal gate: the lexical share, and dense similarity when the index has vectors and a
 * threshold is known for its model (`minSimilarity`; null: lexical only, exactly as before).
 * `similarity` is the best cosine between the question and the candidates (null: no dense list).
 */
export function gateDecision(coverage: number, similarity: number | null, options: { minCoverage?: number; minSimilarity?: number | null } = {}): GateDecision {
  const minCoverage = options.minCoverage ?? MIN_COVERAGE;
  if (coverage >= minCoverage) return { pass: true, denseRescued: false };
  const minSimilarity = options.minSimilarity ?? null;
  const rescued = minSimilarity !== null && similarity !== null && coverage >= DENSE_RESCUE_MIN_COVERAGE && similarity >= minSimilarity;
  return { pass: rescued, denseRescued: rescued };
}

/**
 * The weight of a question term in the gate: its idf, or nothing for a question or colloquial
 * word (word-lists/question-words.txt), which says how the resident asks, not what about.
 */
export function gateWeight(idf: (term: string) => number): (term: string) => number {
  return (term) => (QUESTION_WORDS.has(term) ? 0 : idf(term));
}

export interface Coverage {
  /** Best idf-weighted share of question terms found in one of the candidates, 0..1. */
  coverage: number;
  /** Question terms found in none of the candidates. */
  missing: string[];
}

export function questionCoverage(
  tokens: readonly string[],
  candidates: ReadonlyArray<Pick<Passage, 'title' | 'heading' | 'text'>>,
  idf: (term: string) => number,
  /** What a passage may say instead of a term (a 全称 for its 简称; query-expansion.ts). */
  alternatives: (term: string) => readonly string[] = () => [],
): Coverage {
  const terms = [...new Set(tokens)];
  const weights = terms.map((t) => idf(t));
  const alts = terms.map((t) => alternatives(t));
  const total = weights.reduce((s, w) => s + w, 0);
  if (!terms.length || total === 0) return { coverage: 0, missing: terms };
  let best = 0;
  const seen = new Set<string>();
  // A figure is looked for in the canonical spelling too (18 in 年满十八岁, 六个月 in 6个月以上):
  // only for weighed terms that hold one (digits, or numerals the canonical form rewrites: not
  // 统一, 一起), and only ever raising a term's presence. The passage's canonical form costs
  // ~40 µs, so it is made only when such a term is not found as written.
  const figures = terms.map((t, i) => (weights[i]! > 0 ? figureForm(t) : null));
  for (const c of candidates) {
    const text = matchableText(`${c.title}\n${c.heading}\n${c.text}`);
    let canonical: string | undefined;
    let got = 0;
    terms.forEach((t, i) => {
      // An alternative counts only whole: its character pairs say little of a 全称.
      let p = alts[i]!.some((a) => text.includes(a)) ? 1 : termPresence(t, text);
      const figure = figures[i];
      if (p < 1 && figure) p = Math.max(p, termPresence(figure, (canonical ??= normalizeFigures(text))));
      if (p > 0) seen.add(t);
      got += p * weights[i]!;
    });
    best = Math.max(best, got / total);
  }
  // A weightless word is never reported missing: it was not looked for.
  return { coverage: best, missing: terms.filter((t, i) => !seen.has(t) && weights[i]! > 0) };
}
