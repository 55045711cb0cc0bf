/**
 * npx tsx scripts/split-questions.ts DRAFT.jsonl TUNING.jsonl HOLDOUT.jsonl [--seed N]
 *
 * Splits a drafted question set into a tuning part and a held-out third (scripts/lib/split-questions.ts).
 * Run once when a set is written; the held-out files are then never used for tuning.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from '../src/channels/cli-args.ts';
import { runMain } from '../src/channels/run-main.ts';
import { TongxinError } from '../src/errors.ts';
import { readQuestionSet, type SetQuestion } from './lib/question-set.ts';
import { SPLIT_SEED, splitQuestions } from './lib/split-questions.ts';

await runMain(async () => {
  const args = parseArgs(process.argv.slice(2), { flags: [], values: ['seed'] });
  const [draft, tuningFile, holdoutFile] = args.positionals;
  if (!draft || !tuningFile || !holdoutFile) throw new TongxinError('BAD_INPUT', 'usage: split-questions.ts DRAFT.jsonl TUNING.jsonl HOLDOUT.jsonl [--seed N]');
  const seed = Number(args.values.get('seed') ?? SPLIT_SEED);
  if (!Number.isInteger(seed)) throw new TongxinError('BAD_INPUT', `--seed ${args.values.get('seed')} is not an integer`);
  const { tuning, holdout } = splitQuestions(await readQuestionSet(draft), seed);
  const lines = (qs: SetQuestion[]) => qs.map((q) => JSON.stringify(q)).join('\n') + '\n';
  await writeFile(tuningFile, lines(tuning));
  await writeFile(holdoutFile, lines(holdout));
  process.stderr.write(`${tuning.length} tuning, ${holdout.length} held out (seed ${seed})\n`);
});
