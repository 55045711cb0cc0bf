/**
 * npm run eval -- [--index DIR] [--questions FILE] [--corpus DIR] [--cmrc [DIR]] [--offline] [--json]
 *
 * Retrieval: recall@1/@5 and MRR of the expected document among the retrieved passages.
 * Answers: share whose body contains an expected fact; refusals on unanswerable questions; false
 * refusals on answerable ones; p50/p95 answer time (index loaded).
 * `--cmrc` evaluates on ../shared/cmrc2018-trial (read at run time, never copied), building its
 * index under data/eval/ first.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { configLogger } from '../src/channels/config-logger.ts';
import { ingest } from '../src/index/ingest.ts';
import { openKnowledgeBase } from '../src/knowledge-base.ts';
import { parseArgs } from '../src/channels/cli-args.ts';
import { runMain } from '../src/channels/run-main.ts';
import { TongxinError } from '../src/errors.ts';
import { evaluate, formatReport, type EvalQuestion } from './lib/evaluate.ts';

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
  const args = parseArgs(argv, { flags: ['json', 'offline'], values: ['index', 'questions', 'corpus', 'limit', 'chunk'] });
  const config = loadConfig();
  const logger = configLogger(config);

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
