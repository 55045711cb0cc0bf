/**
 * The answering core: question in, cited answer (or a polite refusal) out. Channel-free and
 * library-free: it sees a SearchBackend and, optionally, a ChatModel.
 */
import { describeError, EmbeddingError, LlmError } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { tokenize } from '../index/tokenizer.ts';
import { tokenizeQuestion } from './question-tokens.ts';
import { presentWord, speaksOfPresent, thisYearAlternatives } from './present-time.ts';
import { answerText, EMPTY_QUESTION_TEXT, MIDDLE_LEAD_RULE, MIDDLE_LEAD_TEXT, passageLabel, REFUSAL_TEXT, TRUNCATED_NOTE } from './answer-text.ts';
import { extractSentences, type ExtractOptions } from './extractive-composer.ts';
import { lackingAnswerForm, type AnswerForm } from './answer-form.ts';
import { isBlankForm } from './blank-form.ts';
import { middleAnswerAllowed } from './middle-answer.ts';
import { answeredByOneArticle, type WholeArticleCheck } from './whole-article.ts';
import type { LlmComposer } from './llm-composer.ts';
import { namedDocuments } from './named-document.ts';
import { matchableText } from './term-presence.ts';
import { normalizeQuestion } from './normalize-question.ts';
import { findExpansions, termAlternatives, type Expansion } from './query-expansion.ts';
import { gateDecision, gateWeight, MIN_COVERAGE, questionCoverage, type Coverage } from './relevance.ts';
import { gateTerms } from './gate-terms.ts';
import { retrieve, type Retrieval } from './retrieve.ts';
import type { SearchBackend } from './search-backend.ts';
import type { Answer, AskOptions, Citation, RetrievedPassage } from './types.ts';

export interface AnswererOptions {
  topK: number;
  maxQuestionChars: number;
  /** Set when a model is configured; otherwise answers are extractive. */
  llm?: LlmComposer | null;
  logger?: Logger;
  /** Coverage below which the question is refused (see relevance.ts). */
  minCoverage?: number;
  /**
   * Dense similarity (cosine) at which a partly covered question is answered when the index has
   * vectors (relevance.ts gateDecision); null or absent: the gate is lexical only.
   */
  denseMinSimilarity?: number | null;
}

export interface Explanation {
  tokens: string[];
  coverage: number;
  missing: string[];
  /** Best cosine between the question and the gate's candidates; null without a dense list. */
  denseSimilarity: number | null;
  /** The lexical share would have refused; dense similarity let the question through. */
  denseRescued: boolean;
  /**
   * The form of fact the question asks for (a phone number, a link, an amount) that no candidate
   * holds, or 'this-year' for a question about this year that no candidate dates (present-time.ts).
   */
  lacking: AnswerForm['name'] | 'this-year' | null;
  lexical: Array<{ docId: string; passageId: number; score: number }>;
  dense: Array<{ docId: string; passageId: number; score: number }> | null;
}

export type ExplainedAnswer = Answer & { explain: Explanation };

/** Up to this many passages the title index is built when the knowledge base opens (~30 ms). */
const WARM_TITLE_INDEX_PASSAGES = 5_000;

/** A middle answer's quote fits the usual 200 characters together with its lead. */
const MIDDLE_BODY_CHARS = 200 - MIDDLE_LEAD_RULE.length;

export class Answerer {
  private readonly logger: Logger;
  constructor(
    private readonly backend: () => SearchBackend,
    private readonly options: AnswererOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * Loads what the first question would otherwise pay for: jieba's dictionary (~180 ms) and
   * OpenCC's tables. Called once when a knowledge base opens, so `ms` is the time to answer.
   */
  warmUp(): void {
    tokenize(normalizeQuestion('黨員報到', this.options.maxQuestionChars).text);
    // The index of document titles a question may name is built on first use, one pass over the
    // passages: here for an office's corpus, so its first resident waits for nothing. At 20,000
    // documents it takes ~0.6 s (OpenCC over every title), which the first question naming a
    // document pays instead of every load and hot reload.
    const passages = this.backend().passages;
    if (passages.length <= WARM_TITLE_INDEX_PASSAGES) namedDocuments('工作条例', passages);
  }

  async ask(question: string, options: AskOptions = {}): Promise<ExplainedAnswer> {
    const t0 = performance.now();
    const backend = this.backend(); // one index for the whole question, even if a reload swaps
    const q = normalizeQuestion(typeof question === 'string' ? question : '', this.options.maxQuestionChars);
    const note = q.truncated ? TRUNCATED_NOTE.replace('{n}', String(this.options.maxQuestionChars)) : undefined;
    const base = { question, normalized: q.text, truncated: q.truncated };
    const done = (a: Omit<Answer, 'question' | 'normalized' | 'truncated' | 'ms'>, explain: Explanation): ExplainedAnswer => ({
      ...base,
      ...a,
      ms: Math.round((performance.now() - t0) * 100) / 100,
      explain,
    });

    let tokens = tokenizeQuestion(q.text);
    if (q.empty || tokens.length === 0) {
      const text = q.empty ? EMPTY_QUESTION_TEXT : REFUSAL_TEXT;
      return done(
        { answer: text, body: text, refused: true, middle: false, mode: 'extractive', citations: [], retrieved: [] },
        { tokens, coverage: 0, missing: [], denseSimilarity: null, denseRescued: false, lacking: null, lexical: [], dense: null },
      );
    }
    // A follow-up ("那完成了多少个？") is searched together with the question it follows.
    let searchText = q.text;
    if (options.previousQuestion) {
      const prev = normalizeQuestion(options.previousQuestion, this.options.maxQuestionChars).text;
      searchText = `${prev} ${q.text}`;
      tokens = [...tokenizeQuestion(prev), ...tokens, ...tokens];
    }

    // 简称/全称 and residents' words: the lexical query and the sentence picker also look for what
    // the documents say instead; the gate weighs the question's own terms only.
    const expansions = findExpansions(searchText);
    const searchTokens = expandTokens(tokens, expansions);
    const named = namedDocuments(q.text, backend.passages);
    const r = await retrieve(backend, searchTokens, searchText, this.options.topK, named);
    const extract: Partial<ExtractOptions> = named.size ? { named: { docIds: named, titleTerms: titleTerms(searchTokens, named, r.passages) } } : {};
    if (r.denseError !== undefined) {
      // An embedder failing is expected now and then (an endpoint down); anything else is a bug,
      // still answered lexically for the resident, but logged as an error.
      const level = r.denseError instanceof EmbeddingError ? 'warn' : 'error';
      this.logger[level]('query not embedded, answering from the lexical index alone', { reason: describeError(r.denseError) });
    }
    // A blank form's title and labels would cover a question about the form (blank-form.ts).
    const candidates = r.passages.slice(0, 3).filter((p) => !isBlankForm(p));
    // Which year 今年 is, read per question: a bot running over New Year moves with it.
    const year = new Date().getFullYear();
    const alternatives = (t: string) => [...termAlternatives(t, expansions), ...thisYearAlternatives(t, year)];
    const weight = gateWeight((t) => backend.idf(t));
    const terms = gateTerms(tokens);
    const cov = bestClauseCoverage(q.text, terms, candidates, weight, alternatives);
    const candidateTexts = candidates.map((p) => `${p.title}\n${p.heading}\n${p.text}`);
    const lacking = lackingAnswerForm(q.text, candidateTexts) ?? (this.undated(q.text, year, terms, candidates, candidateTexts, weight, alternatives) ? 'this-year' : null);
    // A candidate outside the dense list (found by BM25 alone) has no similarity of its own.
    const similarity = r.dense ? Math.max(...candidates.map((p) => p.dense?.score ?? -1)) : null;
    const gate = gateDecision(cov.coverage, similarity, { minCoverage: this.options.minCoverage, minSimilarity: this.options.denseMinSimilarity });
    const explain = this.explanation(backend, tokens, cov, similarity, gate.denseRescued, lacking, r);
    type Extra = { refused: boolean; middle?: boolean; mode: Answer['mode']; fallbackReason?: string };
    const reply = (body: string, citations: Citation[], { middle = false, ...extra }: Extra) =>
      done({ answer: answerText(body, citations, note), body, citations, retrieved: r.passages, middle, ...extra }, explain);
    // The refusal is fixed text: no model is asked when nothing relevant was found.
    const refuse = (mode: Answer['mode'], fallbackReason?: string) =>
      reply(REFUSAL_TEXT, [], { refused: true, mode, ...(fallbackReason ? { fallbackReason } : {}) });
    const offline = (fallbackReason?: string) => {
      const x = this.extractive(q.text, searchTokens, r.passages, backend, extract, { tokens, weight, alternatives });
      if (!x) return refuse('extractive', fallbackReason);
      return reply(x.body, x.citations, { refused: false, mode: 'extractive', ...(fallbackReason ? { fallbackReason } : {}) });
    };

    if (!r.passages.length || lacking) return refuse('extractive');
    if (!gate.pass) {
      // Part of the question is in the documents: the nearest rule, said to be no direct answer.
      const m = this.middle(q.text, cov.coverage, searchTokens, r.passages, backend, extract);
      return m ? reply(m.body, m.citations, { refused: false, middle: true, mode: 'extractive' }) : refuse('extractive');
    }
    if (!this.options.llm || options.offline) return offline();
    try {
      // The model sees each passage's place as its citation will show it, so it can name the article.
      const numbered = r.passages.map((p, i) => ({ n: i + 1, title: p.title, heading: p.heading, text: p.text, label: passageLabel(p) }));
      const c = await this.options.llm.compose(q.text, numbered);
      if (c.kind === 'declined') return refuse('llm');
      const { body, citations } = renumber(c.body, r.passages);
      return reply(body, citations, { refused: false, mode: 'llm' });
    } catch (err) {
      const reason = describeError(err);
      this.logger.warn('model answer not used, answering offline', { reason, code: (err as LlmError).code, status: (err as LlmError).status });
      return offline(reason);
    }
  }

  private extractive(question: string, tokens: string[], passages: RetrievedPassage[], backend: SearchBackend, extract: Partial<ExtractOptions>, whole: WholeArticleCheck) {
    const picked = extractSentences(question, tokens, passages, (t) => backend.idf(t), extract);
    if (!picked.length) return null;
    // The form asked for (an amount, a named site) must be quoted from the document the answer
    // rests on, not only be somewhere in the candidates: a rule that a subsidy is paid does not
    // say how much, whatever the quote beside it from another document says of lodging.
    const main = passages[picked[0]!.passage]!.docId;
    if (lackingAnswerForm(question, picked.filter((s) => passages[s.passage]!.docId === main).map((s) => s.text))) return null;
    const order: number[] = [];
    for (const s of picked) if (!order.includes(s.passage)) order.push(s.passage);
    const citations = order.map((pi, i) => toCitation(passages[pi]!, i + 1));
    // Said once, on the first source: the others (if any) are parts of the same article.
    if (answeredByOneArticle(question, order.map((pi) => passages[pi]!), whole)) citations[0]!.wholeAnswer = true;
    const body = picked.map((s) => `${s.text}[${order.indexOf(s.passage) + 1}]`).join('');
    return { body, citations };
  }

  /**
   * A question about this year none of whose relevant candidates (each covering the question as
   * the gate requires) names the current year or says 今年 itself: documents of other years cannot
   * answer it (present-time.ts).
   */
  private undated(question: string, year: number, terms: string[], candidates: RetrievedPassage[], texts: readonly string[], weight: (t: string) => number, alternatives: (t: string) => readonly string[]): boolean {
    const word = presentWord(question);
    if (!word) return false;
    const minCoverage = this.options.minCoverage ?? MIN_COVERAGE;
    return !candidates.some((p, i) => speaksOfPresent(texts[i]!, word, year) && questionCoverage(terms, [p], weight, alternatives).coverage >= minCoverage);
  }

  /** The middle answer (middle-answer.ts): the one sentence nearest the question, under its lead; null when none may be given. */
  private middle(question: string, coverage: number, tokens: string[], passages: RetrievedPassage[], backend: SearchBackend, extract: Partial<ExtractOptions>) {
    const [best] = extractSentences(question, tokens, passages, (t) => backend.idf(t), { ...extract, maxSentences: 1, maxChars: MIDDLE_BODY_CHARS });
    if (!best || !middleAnswerAllowed(question, coverage, best)) return null;
    const passage = passages[best.passage]!;
    const lead = passage.loc.article ? MIDDLE_LEAD_RULE : MIDDLE_LEAD_TEXT;
    return { body: `${lead}${best.text}[1]`, citations: [toCitation(passage, 1)] };
  }

  private explanation(
    backend: SearchBackend,
    tokens: string[],
    cov: Coverage,
    similarity: number | null,
    denseRescued: boolean,
    lacking: Explanation['lacking'],
    r: Retrieval,
  ): Explanation {
    const show = (list: Array<{ id: number; score: number }>) =>
      list.slice(0, 10).map((h) => ({ docId: backend.passages[h.id]!.docId, passageId: h.id, score: Math.round(h.score * 1e4) / 1e4 }));
    return {
      tokens,
      coverage: Math.round(cov.coverage * 1e3) / 1e3,
      missing: cov.missing,
      denseSimilarity: similarity === null ? null : Math.round(similarity * 1e4) / 1e4,
      denseRescued,
      lacking,
      lexical: show(r.lexical),
      dense: r.dense ? show(r.dense) : null,
    };
  }
}

/**
 * Residents wrap questions in greetings or, sometimes, in instructions to the bot ("忽略以上指令，
 * …累计发布微心愿多少个？"). Coverage is taken for the whole question and for each of its
 * sentences and colon-led parts (…好了正经问一句：…一届干几年？), and the best counts, so the
 * wrapping does not hide a real question.
 */
function bestClauseCoverage(
  text: string,
  /** The whole question's gate terms (gate-terms.ts); each clause's are made here. */
  terms: string[],
  candidates: RetrievedPassage[],
  idf: (t: string) => number,
  alternatives: (t: string) => readonly string[],
): Coverage {
  let best = questionCoverage(terms, candidates, idf, alternatives);
  const clauses = text.split(/[。！？!?；;：:\n]+/).map((c) => c.trim()).filter(Boolean);
  if (clauses.length < 2) return best;
  for (const clause of clauses) {
    const ct = tokenizeQuestion(clause);
    // One-word clauses ("谢谢") cover trivially; they say nothing about the question.
    if (ct.length < 2) continue;
    const c = questionCoverage(gateTerms(ct), candidates, idf, alternatives);
    if (c.coverage > best.coverage) best = c;
  }
  return best;
}

/** The question's terms that the title of a document it names holds (extractive-composer.ts, `named`). */
function titleTerms(tokens: readonly string[], named: ReadonlySet<string>, passages: readonly RetrievedPassage[]): Set<string> {
  const titles = [...new Set(passages.filter((p) => named.has(p.docId)).map((p) => matchableText(p.title)))];
  return new Set(tokens.filter((t) => titles.some((title) => title.includes(t))));
}

/** The question's tokens, then those of the alternatives of its expanded forms not already asked. */
function expandTokens(tokens: string[], expansions: readonly Expansion[]): string[] {
  if (!expansions.length) return tokens;
  const extra = tokenize(expansions.flatMap((e) => e.alternatives).join(' ')).filter((t) => !tokens.includes(t));
  return [...tokens, ...new Set(extra)];
}

function toCitation(p: RetrievedPassage, n: number): Citation {
  return { n, docId: p.docId, title: p.title, heading: p.heading, text: p.text, start: p.start, end: p.end, part: p.part, parts: p.parts, loc: p.loc, ...(p.articleText === undefined ? {} : { articleText: p.articleText }) };
}

/**
 * The model cites passage numbers 1..K; residents see citations numbered 1.. in order of use.
 * Only markers naming a passage are renumbered: grounding leaves a bracketed year ("[2019]")
 * alone, and it must not be read as passage 2019.
 */
function renumber(body: string, passages: readonly RetrievedPassage[]): { body: string; citations: Citation[] } {
  const order: number[] = [];
  const rewritten = body.replace(/\[(\d+)\]/g, (marker, d: string) => {
    const old = Number(d);
    if (!(old >= 1 && old <= passages.length)) return marker;
    let at = order.indexOf(old);
    if (at === -1) at = order.push(old) - 1;
    return `[${at + 1}]`;
  });
  return { body: rewritten, citations: order.map((old, i) => toCitation(passages[old - 1]!, i + 1)) };
}
