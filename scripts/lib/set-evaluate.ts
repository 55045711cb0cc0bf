/**
 * The per-set figures of `npm run eval` (issue 9): evidence found, facts in the answer, paraphrases
 * answered, unanswerable refused, false refusals, middle answers and time per question, each beside
 * the issue's target. Both question formats (eval/README.md) are scored the same way once turned
 * into a ScoredQuestion.
 */
import { MIDDLE_ANSWER_PREFIX } from '../../src/answer/answer-text.ts';
import { includesFigures } from '../../src/answer/normalize-figures.ts';
import type { Answer, Asker } from '../../src/answer/types.ts';
import { docIdOf } from '../../src/corpus/doc-id.ts';
import { bodyText, percentile, type EvalQuestion } from './evaluate.ts';
import { holdsEvidence, type SetQuestion } from './question-set.ts';

/** One question as the scorer sees it, whichever file format it came from. */
export interface ScoredQuestion {
  id: string;
  kind: string;
  question: string;
  /** Document ids (corpus path without extension) that hold the answer. */
  docIds: string[];
  evidence: string[];
  facts: string[];
  /** `all`: every fact must be in the body (the resident sets); `any`: one is enough (questions.jsonl). */
  factsNeeded: 'all' | 'any';
  /** True: should be answered; false: should be refused; null: neither is scored (blank or emoji-only input). */
  answerable: boolean | null;
}

export function fromSetQuestion(q: SetQuestion): ScoredQuestion {
  return { id: q.id, kind: q.kind, question: q.question, docIds: q.docs.map(docIdOf), evidence: q.evidence, facts: q.facts, factsNeeded: 'all', answerable: q.answerable };
}

/** questions.jsonl: `answers` are both the evidence and the facts; a malformed line with a real question inside is answerable. */
export function fromLegacyQuestion(q: EvalQuestion): ScoredQuestion {
  const kind = q.kind ?? 'answerable';
  const answerable = kind === 'unanswerable' ? false : q.doc ? true : kind === 'malformed' ? null : true;
  const answers = q.answers ?? [];
  return { id: q.id, kind, question: q.q, docIds: q.doc ? [q.doc] : [], evidence: answers, facts: answers, factsNeeded: 'any', answerable };
}

/** The opening of a middle answer (issue 9: partial evidence, the most relevant rule quoted). */
export { MIDDLE_ANSWER_PREFIX };

/** A middle answer: the answer's own flag; an answer of an older shape without one, by its opening. */
export function isMiddleAnswer(a: Answer): boolean {
  const flag = (a as Partial<Answer>).middle;
  if (typeof flag === 'boolean') return flag;
  return !a.refused && a.body.trimStart().startsWith(MIDDLE_ANSWER_PREFIX);
}

/** A share with its count: `null` share when no question counts. */
export interface Figure {
  hits: number;
  n: number;
  share: number | null;
}

/** The issue's targets; `min` figures must reach it, `max` figures must stay at or under it. */
export const TARGETS = {
  evidence5: { min: 0.9 },
  factsAll: { min: 0.85 },
  paraphrases: { min: 0.75 },
  falseRefusals: { max: 0.05 },
  unanswerableRefused: { min: 0.85 },
} as const satisfies Record<string, { min: number } | { max: number }>;
export type TargetName = keyof typeof TARGETS;

export interface SetMiss {
  id: string;
  kind: string;
  question: string;
  why: string;
}

export interface SetReport {
  questions: number;
  /** Answerable questions; the denominators below say which part of them counts. */
  answerable: number;
  /** A passage of one of `docs` whose text holds an evidence string, first / in the first five retrieved. */
  evidence1: Figure;
  evidence5: Figure;
  /** The document itself among the retrieved passages' documents, first / in the first five. */
  document1: Figure;
  document5: Figure;
  /** Not refused, and the body (without [n]) holds every fact / at least one, after normalizeFigures. */
  factsAll: Figure;
  factsAny: Figure;
  /** Paraphrase questions answered right: not refused, with their facts (as `factsNeeded` says). */
  paraphrases: Figure;
  unanswerableRefused: Figure;
  falseRefusals: Figure;
  /** Middle answers (资料中没有直接的答案…), on all questions; and how many went to questions that should be refused. */
  middle: Figure;
  middleOnUnanswerable: number;
  byKind: Record<string, { n: number; refused: number; evidence5: Figure; facts: Figure }>;
  ms: { p50: number; p95: number };
  targets: Record<TargetName, { target: string; met: boolean | null }>;
  misses: SetMiss[];
}

function figure(hits: number, n: number): Figure {
  return { hits, n, share: n ? Math.round((hits / n) * 1000) / 1000 : null };
}

class Tally {
  hits = 0;
  n = 0;
  add(hit: boolean): void {
    this.n++;
    if (hit) this.hits++;
  }
  get figure(): Figure {
    return figure(this.hits, this.n);
  }
}

/** Rank (1-based) of the first retrieved passage meeting `test`; 0 when none does. */
function rankOf<T>(items: readonly T[], test: (x: T) => boolean): number {
  return items.findIndex(test) + 1;
}

export async function evaluateSet(asker: Asker, questions: readonly ScoredQuestion[], options: { offline?: boolean } = {}): Promise<SetReport> {
  const t = {
    evidence1: new Tally(), evidence5: new Tally(), document1: new Tally(), document5: new Tally(),
    factsAll: new Tally(), factsAny: new Tally(), paraphrases: new Tally(),
    unanswerableRefused: new Tally(), falseRefusals: new Tally(), middle: new Tally(),
  };
  let middleOnUnanswerable = 0;
  const kinds = new Map<string, { n: number; refused: number; evidence5: Tally; facts: Tally }>();
  const times: number[] = [];
  const misses: SetMiss[] = [];
  for (const q of questions) {
    const a = await asker.ask(q.question, { offline: options.offline });
    times.push(a.ms);
    const middle = isMiddleAnswer(a);
    t.middle.add(middle);
    const k = kinds.get(q.kind) ?? { n: 0, refused: 0, evidence5: new Tally(), facts: new Tally() };
    kinds.set(q.kind, k);
    k.n++;
    if (a.refused) k.refused++;
    if (q.answerable === false) {
      t.unanswerableRefused.add(a.refused);
      if (middle) middleOnUnanswerable++;
      if (!a.refused) misses.push({ id: q.id, kind: q.kind, question: q.question, why: middle ? 'middle answer to a question to refuse' : 'answered a question to refuse' });
      continue;
    }
    if (q.answerable !== true) continue;
    t.falseRefusals.add(a.refused);
    const why: string[] = [];
    if (q.evidence.length) {
      const evidenceRank = rankOf(a.retrieved, (p) => q.docIds.includes(p.docId) && holdsEvidence(p.text, q.evidence));
      t.evidence1.add(evidenceRank === 1);
      t.evidence5.add(evidenceRank >= 1 && evidenceRank <= 5);
      k.evidence5.add(evidenceRank >= 1 && evidenceRank <= 5);
      if (evidenceRank === 0 || evidenceRank > 5) why.push('evidence not retrieved');
    }
    if (q.docIds.length) {
      const docs = [...new Set(a.retrieved.map((p) => p.docId))];
      const docRank = rankOf(docs, (d) => q.docIds.includes(d));
      t.document1.add(docRank === 1);
      t.document5.add(docRank >= 1 && docRank <= 5);
    }
    if (q.facts.length) {
      const body = bodyText(a.body);
      const found = a.refused ? [] : q.facts.filter((f) => includesFigures(body, f));
      const all = found.length === q.facts.length;
      const right = q.factsNeeded === 'all' ? all : found.length > 0;
      t.factsAll.add(all);
      t.factsAny.add(found.length > 0);
      k.facts.add(right);
      if (q.kind === 'paraphrase') t.paraphrases.add(right);
      if (a.refused) why.push('refused');
      else if (!right) why.push(middle ? 'middle answer without the facts' : 'facts not in answer');
    } else if (q.kind === 'paraphrase') {
      t.paraphrases.add(!a.refused);
    }
    if (why.length) misses.push({ id: q.id, kind: q.kind, question: q.question, why: why.join(', ') });
  }
  const figures = Object.fromEntries(Object.entries(t).map(([name, tally]) => [name, tally.figure])) as Record<keyof typeof t, Figure>;
  const targets = {} as SetReport['targets'];
  for (const [name, target] of Object.entries(TARGETS) as Array<[TargetName, { min?: number; max?: number }]>) {
    const share = figures[name].share;
    const met = share === null ? null : target.min !== undefined ? share >= target.min : share <= target.max!;
    targets[name] = { target: target.min !== undefined ? `≥ ${target.min.toFixed(2)}` : `≤ ${target.max!.toFixed(2)}`, met };
  }
  const byKind: SetReport['byKind'] = {};
  for (const [kind, k] of kinds) byKind[kind] = { n: k.n, refused: k.refused, evidence5: k.evidence5.figure, facts: k.facts.figure };
  return {
    questions: questions.length,
    answerable: questions.filter((q) => q.answerable === true).length,
    ...figures,
    middleOnUnanswerable,
    byKind,
    ms: { p50: percentile(times, 50), p95: percentile(times, 95) },
    targets,
    misses,
  };
}

/** What a printed report needs to know about the set besides its figures. */
export interface SetHeader {
  name: string;
  file: string;
  corpus: string;
  heldOut: boolean;
}

const LABELS: Array<[keyof SetReport & string, string, TargetName | null]> = [
  ['evidence1', 'evidence found, top 1', null],
  ['evidence5', 'evidence found, top 5', 'evidence5'],
  ['document1', 'document found, top 1', null],
  ['factsAll', 'facts in the answer (every)', 'factsAll'],
  ['factsAny', 'facts in the answer (any)', null],
  ['paraphrases', 'paraphrases answered', 'paraphrases'],
  ['unanswerableRefused', 'unanswerable refused', 'unanswerableRefused'],
  ['falseRefusals', 'false refusals', 'falseRefusals'],
  ['middle', 'middle answers', null],
];

export function formatSetReport(h: SetHeader, r: SetReport): string {
  const lines = [`== ${h.name}${h.heldOut ? '  [held out (never tuned on)]' : ''}: ${h.file} on ${h.corpus}, ${r.questions} questions (${r.answerable} answerable)`];
  for (const [key, label, target] of LABELS) {
    const f = r[key] as Figure;
    const share = f.share === null ? '   -  ' : f.share.toFixed(3);
    let line = `  ${label.padEnd(30)}${share.padStart(6)}  ${`${f.hits}/${f.n}`.padEnd(8)}`;
    if (target) {
      const t = r.targets[target];
      line += `  target ${t.target}  ${t.met === null ? '(no questions)' : t.met ? 'met' : 'NOT met'}`;
    }
    if (key === 'middle' && r.middleOnUnanswerable) line += `  (${r.middleOnUnanswerable} to questions to refuse)`;
    lines.push(line);
  }
  lines.push(`  ${'time per question'.padEnd(30)}p50 ${r.ms.p50} ms, p95 ${r.ms.p95} ms`);
  lines.push(`  by kind: ${Object.entries(r.byKind).map(([kind, k]) => `${kind} ${k.n} (refused ${k.refused}${k.facts.n ? `, facts ${k.facts.hits}/${k.facts.n}` : ''})`).join('; ')}`);
  // Held-out misses stay unprinted: whoever tunes the answering must not see which ones fail.
  if (h.heldOut) lines.push(`  misses: ${r.misses.length} (not listed: held out)`);
  else if (r.misses.length) {
    lines.push(`  misses (${r.misses.length}, first 20):`);
    for (const m of r.misses.slice(0, 20)) lines.push(`    ${m.id} ${m.kind} ${m.why}: ${m.question.slice(0, 50)}`);
  }
  return lines.join('\n');
}
