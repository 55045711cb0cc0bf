/**
 * npm run eval -- [--set NAME] [--limit N] [--offline] [--json] [--dense-sweep]
 *
 * The question sets (scripts/lib/eval-sets.ts): with no --set, the bundled sets and
 * eval/questions.jsonl on corpus/, and the real-docs sets when ../shared/real-docs exists. Per set:
 * evidence found, facts in the answer, paraphrases answered, unanswerable refused, false refusals,
 * middle answers, time per question, each beside the issue-9 target (scripts/lib/set-evaluate.ts).
 * Indexes are built (incrementally) under data/eval/. `--dense-sweep` (vectors needed) scores
 * each DENSE_MIN_SIMILARITY on the tuning sets instead (scripts/lib/dense-sweep.ts).
 *
 * npm run eval -- [--index DIR] [--questions FILE] [--corpus DIR] [--cmrc [DIR]] [--chunk ...] [--offline] [--json]
 *
 * One file of the questions.jsonl format, the earlier report:
 * Retrieval: recall@1/@5 and MRR of the expected document among the retrieved passages.
 * Answers: share whose body contains an expected fact; refusals on unanswerable questions; false
 * refusals on answerable ones; p50/p95 answer time (index loaded).
 * `--cmrc` evaluates on ../shared/cmrc2018-trial (read at run time, never copied), building its
 * index under data/eval/ first.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, type Config } from '../src/config.ts';
import { configLogger } from '../src/channels/config-logger.ts';
import { ingest } from '../src/index/ingest.ts';
import { openKnowledgeBase } from '../src/knowledge-base.ts';
import { parseArgs } from '../src/channels/cli-args.ts';
import { runMain } from '../src/channels/run-main.ts';
import { TongxinError } from '../src/errors.ts';
import type { Logger } from '../src/log.ts';
import { evaluate, formatReport, type EvalQuestion } from './lib/evaluate.ts';
import { corpusFolder, readEvalSet, REAL_DOCS_DIR, selectSets } from './lib/eval-sets.ts';
import { evaluateSet, formatSetReport } from './lib/set-evaluate.ts';
import { denseSweep, formatDenseSweep } from './lib/dense-sweep.ts';

await runMain(async () => {
  const argv = process.argv.slice(2);
  // `--cmrc` may stand alone or take a folder.
  const cmrcAt = argv.indexOf('--cmrc');
  let cmrcDir: string | undefined;
  if (cmrcAt !== -1) {
    const next = argv[cmrcAt + 1];
    cmrcDir = next && !next.startsWith('--') ? next : '../shared/cmrc2018-trial';
    argv.splice(cmrcAt, next && !next.startsWith('--') ? 2 : 1);
  }
  const args = parseArgs(argv, { flags: ['json', 'offline', 'dense-sweep'], values: ['set', 'index', 'questions', 'corpus', 'limit', 'chunk'] });
  const config = loadConfig();
  const logger = configLogger(config);
  const single = cmrcDir !== undefined || ['index', 'questions', 'corpus', 'chunk'].some((v) => args.values.has(v));
  const setOptions = { json: args.flags.has('json'), offline: args.flags.has('offline'), limit: Number(args.values.get('limit') ?? 0), denseSweep: args.flags.has('dense-sweep') };
  if (!single) return runSets(args.values.get('set'), setOptions, config, logger);
  if (setOptions.denseSweep) throw new TongxinError('BAD_INPUT', '--dense-sweep runs on the named sets: leave out --index, --questions, --corpus, --cmrc and --chunk');
  if (args.values.has('set')) throw new TongxinError('BAD_INPUT', '--set runs a named set on its own corpus: leave out --index, --questions, --corpus, --cmrc and --chunk');

  let indexDir = path.resolve(args.values.get('index') ?? config.indexDir);
  let questionsFile = path.resolve(args.values.get('questions') ?? 'eval/questions.jsonl');
  let corpusDir = args.values.get('corpus') ? path.resolve(args.values.get('corpus')!) : undefined;
  if (cmrcDir) {
    corpusDir = path.resolve(cmrcDir, 'corpus');
    questionsFile = args.values.get('questions') ? questionsFile : path.resolve(cmrcDir, 'questions.jsonl');
    indexDir = args.values.get('index') ? indexDir : path.resolve('data/eval/cmrc-index');
  } else if (!args.values.get('index') && !corpusDir) {
    corpusDir = config.corpusDir;
  }
  // --chunk MIN,MAX[,OVERLAP]: try other passage sizes (the index is rebuilt when they change).
  const chunkArg = args.values.get('chunk')?.split(',').map(Number);
  const chunking = chunkArg ? { minChars: chunkArg[0]!, maxChars: chunkArg[1]!, ...(chunkArg[2] !== undefined ? { overlapChars: chunkArg[2] } : {}) } : undefined;
  if (chunking && !corpusDir) throw new TongxinError('BAD_INPUT', '--chunk needs a corpus to rebuild (--corpus or --cmrc)');
  if (corpusDir) {
    // Incremental: a no-op when the corpus has not changed since the last eval.
    const r = await ingest({ corpusDir, indexDir, config, logger, chunking });
    logger.info(`index ${indexDir}: ${r.docs} documents, ${r.passages} passages, vectors ${r.dense ? 'on' : 'off'}, ${r.seconds}s`);
  }
  let questions: EvalQuestion[];
  try {
    questions = (await readFile(questionsFile, 'utf8'))
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as EvalQuestion);
  } catch (cause) {
    throw new TongxinError('BAD_INPUT', `cannot read questions from ${questionsFile}`, { cause });
  }
  const limit = Number(args.values.get('limit') ?? 0);
  if (limit > 0) questions = questions.slice(0, limit);

  const kb = await openKnowledgeBase({ indexDir, config, logger });
  try {
    const report = await evaluate(kb, questions, { offline: args.flags.has('offline') });
    const meta = { questions: path.relative(process.cwd(), questionsFile), index: path.relative(process.cwd(), indexDir), dense: kb.stats().dense, llm: config.llm.enabled && !args.flags.has('offline') };
    if (args.flags.has('json')) process.stdout.write(JSON.stringify({ ...meta, ...report }) + '\n');
    else process.stdout.write(formatReport(meta, report) + '\n');
  } finally {
    await kb.close();
  }
});

/** The named sets, one index a corpus (built under data/eval/ when the corpus changed). */
async function runSets(name: string | undefined, options: { json: boolean; offline: boolean; limit: number; denseSweep: boolean }, config: Config, logger: Logger): Promise<void> {
  const sets = selectSets(name);
  const dataDir = path.resolve('data/eval');
  const results: Array<Record<string, unknown>> = [];
  let dense = false;
  for (const corpus of [...new Set(sets.map((s) => s.corpus))]) {
    const corpusDir = await corpusFolder(corpus, dataDir);
    const indexDir = path.join(dataDir, `${corpus}-index`);
    const r = await ingest({ corpusDir, indexDir, config, logger });
    logger.info(`index ${indexDir}: ${r.docs} documents, ${r.passages} passages, vectors ${r.dense ? 'on' : 'off'}, ${r.seconds}s`);
    const kb = await openKnowledgeBase({ indexDir, config, logger });
    try {
      dense ||= kb.stats().dense;
      for (const set of sets.filter((s) => s.corpus === corpus)) {
        const questions = await readEvalSet(set);
        if (options.denseSweep) {
          // Calibration looks at the tuning sets only: a threshold chosen on held-out questions would be tuned on them.
          if (set.heldOut) continue;
          if (!kb.stats().dense) throw new TongxinError('BAD_INPUT', `--dense-sweep needs vectors: the ${corpus} index has none (set EMBEDDING_MODEL to a model that loads, then run again)`);
          const sweep = await denseSweep((q) => kb.ask(q, { offline: true }), questions);
          results.push({ name: set.name, file: set.file, sweep });
          if (!options.json) process.stdout.write(formatDenseSweep(set.name, sweep) + '\n\n');
          continue;
        }
        const report = await evaluateSet(kb, options.limit > 0 ? questions.slice(0, options.limit) : questions, { offline: options.offline });
        // Real-docs is named as the folder it is read from, not the folder of links to it.
        const shown = corpus === 'realdocs' ? REAL_DOCS_DIR : corpusDir;
        const header = { name: set.name, file: set.file, corpus: path.relative(process.cwd(), shown) || '.', heldOut: set.heldOut };
        // Held-out misses are counted, never listed: nobody tuning may see which ones fail.
        const { misses, ...figures } = report;
        results.push({ ...header, ...figures, ...(set.heldOut ? { misses: misses.length } : { misses }) });
        if (!options.json) process.stdout.write(formatSetReport(header, report) + '\n\n');
      }
    } finally {
      await kb.close();
    }
  }
  const llm = config.llm.enabled && !options.offline;
  if (options.json) process.stdout.write(JSON.stringify({ dense, llm, sets: results }) + '\n');
  else process.stdout.write(`vectors ${dense ? 'on' : 'off'}  model ${llm ? 'on' : 'off'}\n`);
}
