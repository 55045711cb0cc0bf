/**
 * When one article answers the question whole (issue 9), the citation says so: every quoted
 * sentence comes from that one article, the article holds at least WHOLE_ARTICLE_COVERAGE of the
 * question's weighed terms (the gate's measure, question words weighing nothing, over the whole
 * article rather than one passage of it), and, when a date, duration or count is asked, a figure of
 * that kind. A resident can then read that article (原文 N) and need nothing else from the documents.
 */
import type { Passage } from '../corpus/passage.ts';
import { askedFigure } from './asked-figure.ts';
import { normalizeFigures } from './normalize-figures.ts';
import { questionCoverage } from './relevance.ts';
import type { RetrievedPassage } from './types.ts';

/**
 * The share of the question's weighed terms the article must hold. Residents' words the article
 * does not use (不能, 起码, 看) keep right answers from 1: on realdocs-tuning the answers drawn from
 * one article cover 0.50–1.00, every one at 0.60 or more holds its facts (14 of 14), and under it
 * lie the wrong ones (rd-138 on 公务交通补贴 0.57, rd-098 0.50) (docs/EVALUATION.md).
 */
export const WHOLE_ARTICLE_COVERAGE = 0.6;

export interface WholeArticleCheck {
  /** Gate tokens of the question (not the expanded search tokens). */
  tokens: readonly string[];
  /** The gate's weight of a term (gateWeight over idf). */
  weight: (term: string) => number;
  /** What a passage may say instead of a term (query-expansion.ts). */
  alternatives: (term: string) => readonly string[];
}

/** Whether the quoted passages all lie in one article (same document, chapter and article). */
function oneArticle(passages: readonly RetrievedPassage[]): boolean {
  const first = passages[0]!;
  return Boolean(first.loc.article) && passages.every((p) => p.docId === first.docId && p.loc.chapter === first.loc.chapter && p.loc.article === first.loc.article);
}

/** True when the quoted passages are all of one article and that article answers the question whole. */
export function answeredByOneArticle(question: string, quoted: readonly RetrievedPassage[], check: WholeArticleCheck): boolean {
  if (!quoted.length || !oneArticle(quoted)) return false;
  const first = quoted[0]!;
  const article: Pick<Passage, 'title' | 'heading' | 'text'> = { title: first.title, heading: first.heading, text: first.articleText ?? first.text };
  if (questionCoverage(check.tokens, [article], check.weight, check.alternatives).coverage < WHOLE_ARTICLE_COVERAGE) return false;
  const figure = askedFigure(question);
  return !figure || figure.test(normalizeFigures(article.text));
}
