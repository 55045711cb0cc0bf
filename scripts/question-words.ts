/**
 * npx tsx scripts/question-words.ts --index DIR[,DIR…] [--questions FILE[,FILE…]]
 *
 * Proposes the gate's question and colloquial words (src/answer/word-lists/question-words.txt): a word
 * asked about several documents is a way of asking, one asked about a single document is its
 * topic. Prints each question token asked about ≥ MIN_DOCS documents (a question about none counts
 * on its own), with the share of passages (over every given index) whose text contains it, rarest
 * first within a count. The list is reviewed by hand before it goes into the data file: 电话 and
 * 钱 are asked about many documents too, and must stay topic words.
 * Default question sets: eval/questions.jsonl and eval/*-tuning.jsonl, never eval/holdout/.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from '../src/channels/cli-args.ts';
import { runMain } from '../src/channels/run-main.ts';
import { loadIndex } from '../src/index/load-index.ts';
import { tokenize } from '../src/index/tokenizer.ts';
import { normalizeQuestion } from '../src/answer/normalize-question.ts';
import { matchableText } from '../src/answer/term-presence.ts';
import { TongxinError } from '../src/errors.ts';

const MIN_DOCS = 2;
const DEFAULT_SETS = ['eval/questions.jsonl', 'eval/bundled-tuning.jsonl', 'eval/realdocs-tuning.jsonl'];

await runMain(async () => {
  const args = parseArgs(process.argv.slice(2), { flags: [], values: ['index', 'questions'] });
  const indexDirs = args.values.get('index')?.split(',').filter(Boolean) ?? [];
  if (!indexDirs.length) throw new TongxinError('BAD_INPUT', 'give at least one --index DIR to measure how often the documents use a word');
  const sets = args.values.get('questions')?.split(',').filter(Boolean) ?? DEFAULT_SETS;
  if (sets.some((f) => f.includes('holdout'))) throw new TongxinError('BAD_INPUT', 'the held-out questions are never used to tune the answering');

  // Both question formats: the old {q, doc} and the resident sets' {question, docs}.
  const asked = new Map<string, Set<string>>();
  let questions = 0;
  for (const file of sets) {
    for (const line of (await readFile(file, 'utf8')).split('\n')) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as { id: string; q?: string; question?: string; doc?: string; docs?: string[] };
      const about = row.doc ?? row.docs?.[0] ?? `none:${row.id}`;
      questions++;
      for (const t of new Set(tokenize(normalizeQuestion(row.q ?? row.question ?? '').text))) {
        asked.set(t, (asked.get(t) ?? new Set<string>()).add(about));
      }
    }
  }
  const texts: string[] = [];
  for (const dir of indexDirs) {
    const index = await loadIndex(dir, { withVectors: false });
    for (const p of index.passages) texts.push(matchableText(`${p.title}\n${p.heading}\n${p.text}`));
  }
  const rows: Array<{ term: string; docs: number; share: number }> = [];
  for (const [term, docs] of asked) {
    if (docs.size < MIN_DOCS) continue;
    rows.push({ term, docs: docs.size, share: texts.filter((t) => t.includes(term)).length / texts.length });
  }
  rows.sort((a, b) => b.docs - a.docs || a.share - b.share);
  process.stdout.write(`# ${questions} questions, ${texts.length} passages; term, documents asked about, passage share\n`);
  for (const r of rows) process.stdout.write(`${r.term}\t${r.docs}\t${r.share.toFixed(4)}\n`);
});
