/**
 * The question sets of `npm run eval` (eval/*.jsonl, eval/holdout/*.jsonl): one JSON object a
 * line, schema in eval/README.md. Read and checked here so the eval and the validity test agree on
 * what a well-formed line is.
 */
import { readFile } from 'node:fs/promises';
import { TongxinError } from '../../src/errors.ts';

export const QUESTION_KINDS = ['answerable', 'paraphrase', 'abbreviation', 'unanswerable', 'adversarial'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export interface SetQuestion {
  /** `rd-001`, `bp-001` …: stable, never reused. */
  id: string;
  /** Which corpus the question is about: `realdocs` (../shared/real-docs) or `bundled` (corpus/). */
  set: 'realdocs' | 'bundled';
  kind: QuestionKind;
  /** Exactly as a resident would send it. */
  question: string;
  /** File names (inside the corpus folder) of the documents that answer it; [] when none does. */
  docs: string[];
  /** Verbatim substrings of those documents' text, each within one sentence; a retrieved passage holding any one is the evidence. */
  evidence: string[];
  /** Facts a right answer states, every one of them, compared after normalizeFigures (1个月 = 一个月). */
  facts: string[];
  /** False: the documents do not answer it, and the bot should refuse. */
  answerable: boolean;
}

const SETS = new Set(['realdocs', 'bundled']);
const KINDS = new Set<string>(QUESTION_KINDS);

/** Problems with one parsed line, in English for staff; [] when it is well formed. */
export function questionProblems(q: unknown): string[] {
  if (typeof q !== 'object' || q === null || Array.isArray(q)) return ['not a JSON object'];
  const o = q as Record<string, unknown>;
  const problems: string[] = [];
  const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string' && x.trim() !== '');
  if (typeof o.id !== 'string' || !/^[a-z]+-\d{3}$/.test(o.id)) problems.push(`id ${JSON.stringify(o.id)} is not like rd-001`);
  if (!SETS.has(o.set as string)) problems.push(`set ${JSON.stringify(o.set)} is not realdocs or bundled`);
  if (!KINDS.has(o.kind as string)) problems.push(`kind ${JSON.stringify(o.kind)} is not one of ${QUESTION_KINDS.join(', ')}`);
  if (typeof o.question !== 'string' || o.question.trim() === '') problems.push('question is empty');
  for (const field of ['docs', 'evidence', 'facts'] as const) {
    if (!strings(o[field])) problems.push(`${field} is not an array of non-empty strings`);
  }
  if (typeof o.answerable !== 'boolean') problems.push('answerable is not true or false');
  const extra = Object.keys(o).filter((k) => !['id', 'set', 'kind', 'question', 'docs', 'evidence', 'facts', 'answerable'].includes(k));
  if (extra.length) problems.push(`unknown fields ${extra.join(', ')}`);
  if (problems.length) return problems;
  const docs = o.docs as string[];
  const evidence = o.evidence as string[];
  if (o.answerable) {
    if (docs.length === 0 || evidence.length === 0) problems.push('an answerable question needs docs and evidence');
    if (o.kind === 'unanswerable') problems.push('kind unanswerable but answerable is true');
  } else {
    if (docs.length || evidence.length || (o.facts as string[]).length) problems.push('an unanswerable question has no docs, evidence or facts');
    if (!['unanswerable', 'adversarial'].includes(o.kind as string)) problems.push(`kind ${String(o.kind)} but answerable is false`);
  }
  return problems;
}

/** Reads a question file; a malformed line stops the eval with its file, line and problem. */
export async function readQuestionSet(file: string): Promise<SetQuestion[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new TongxinError('BAD_INPUT', `cannot read questions from ${file}`, { cause });
  }
  const questions: SetQuestion[] = [];
  const ids = new Set<string>();
  for (const [i, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (cause) {
      throw new TongxinError('BAD_INPUT', `${file}:${i + 1}: not JSON`, { cause });
    }
    const problems = questionProblems(parsed);
    if (problems.length) throw new TongxinError('BAD_INPUT', `${file}:${i + 1}: ${problems.join('; ')}`);
    const q = parsed as SetQuestion;
    if (ids.has(q.id)) throw new TongxinError('BAD_INPUT', `${file}:${i + 1}: duplicate id ${q.id}`);
    ids.add(q.id);
    questions.push(q);
  }
  return questions;
}

/** The form both sides of an evidence check take: NFKC (full-width forms), no whitespace, so a line break or a loader's spacing does not hide a sentence. */
function evidenceForm(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, '');
}

/** True when `text` (a passage or a document) holds one of the evidence strings. */
export function holdsEvidence(text: string, evidence: readonly string[]): boolean {
  const t = evidenceForm(text);
  return evidence.some((e) => t.includes(evidenceForm(e)));
}
