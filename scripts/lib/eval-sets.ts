/**
 * The question sets `npm run eval` knows, which corpus each is asked of, and how that corpus is
 * made ready to index. Question files and corpora are found from the repository; indexes go to
 * data/eval/ under the working folder, like the CMRC one.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, readlink, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TongxinError } from '../../src/errors.ts';
import type { EvalQuestion } from './evaluate.ts';
import { readQuestionSet } from './question-set.ts';
import { fromLegacyQuestion, fromSetQuestion, type ScoredQuestion } from './set-evaluate.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type CorpusName = 'bundled' | 'realdocs';

export interface EvalSet {
  name: string;
  /** Repository-relative question file. */
  file: string;
  corpus: CorpusName;
  /** Held-out third: reported, never tuned on (eval/README.md). */
  heldOut: boolean;
  format: 'set' | 'legacy';
}

export const EVAL_SETS: readonly EvalSet[] = [
  { name: 'bundled-tuning', file: 'eval/bundled-tuning.jsonl', corpus: 'bundled', heldOut: false, format: 'set' },
  { name: 'bundled-holdout', file: 'eval/holdout/bundled-holdout.jsonl', corpus: 'bundled', heldOut: true, format: 'set' },
  { name: 'questions', file: 'eval/questions.jsonl', corpus: 'bundled', heldOut: false, format: 'legacy' },
  { name: 'realdocs-tuning', file: 'eval/realdocs-tuning.jsonl', corpus: 'realdocs', heldOut: false, format: 'set' },
  { name: 'realdocs-holdout', file: 'eval/holdout/realdocs-holdout.jsonl', corpus: 'realdocs', heldOut: true, format: 'set' },
  { name: 'realdocs2-tuning', file: 'eval/realdocs2-tuning.jsonl', corpus: 'realdocs', heldOut: false, format: 'set' },
  { name: 'realdocs2-holdout', file: 'eval/holdout/realdocs2-holdout.jsonl', corpus: 'realdocs', heldOut: true, format: 'set' },
];

/** ../shared/real-docs beside the checkout, read in place. */
export const REAL_DOCS_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'real-docs');
export const BUNDLED_DIR = path.join(REPO_ROOT, 'corpus');
/** Files of ../shared/real-docs that describe the collection and are not documents. */
const REAL_DOCS_NOT_DOCUMENTS = new Set(['README.md', 'SOURCES.tsv']);

/** The sets `--set NAME` (or no --set: all whose corpus is on this machine) selects. */
export function selectSets(name: string | undefined, realDocsDir = REAL_DOCS_DIR): EvalSet[] {
  if (name === undefined) return EVAL_SETS.filter((s) => s.corpus !== 'realdocs' || existsSync(realDocsDir));
  const set = EVAL_SETS.find((s) => s.name === name);
  if (!set) throw new TongxinError('BAD_INPUT', `unknown set ${name} (known: ${EVAL_SETS.map((s) => s.name).join(', ')})`);
  if (set.corpus === 'realdocs' && !existsSync(realDocsDir)) throw new TongxinError('BAD_INPUT', `set ${name} needs ${realDocsDir}, which is not on this machine`);
  return [set];
}

export async function readEvalSet(set: EvalSet): Promise<ScoredQuestion[]> {
  const file = path.join(REPO_ROOT, set.file);
  if (set.format === 'set') return (await readQuestionSet(file)).map(fromSetQuestion);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new TongxinError('BAD_INPUT', `cannot read questions from ${file}`, { cause });
  }
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => fromLegacyQuestion(JSON.parse(l) as EvalQuestion));
}

/**
 * The folder to ingest for a corpus. For real-docs: a folder of symbolic links under `dataDir`,
 * one a document, so its README.md and SOURCES.tsv are not indexed while the files are still read
 * in place (never copied). Links are made again on every run, so a file added or removed there is seen.
 */
export async function corpusFolder(corpus: CorpusName, dataDir: string, realDocsDir = REAL_DOCS_DIR): Promise<string> {
  if (corpus === 'bundled') return BUNDLED_DIR;
  const links = path.join(dataDir, 'realdocs-corpus');
  await mkdir(links, { recursive: true });
  const wanted = new Set((await readdir(realDocsDir)).filter((n) => !REAL_DOCS_NOT_DOCUMENTS.has(n) && !n.startsWith('.')));
  for (const name of await readdir(links)) {
    const target = await readlink(path.join(links, name)).catch(() => null);
    if (!wanted.has(name) || target !== path.join(realDocsDir, name)) await rm(path.join(links, name), { force: true });
  }
  const present = new Set(await readdir(links));
  for (const name of wanted) if (!present.has(name)) await symlink(path.join(realDocsDir, name), path.join(links, name));
  return links;
}
