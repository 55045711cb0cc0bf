/**
 * npm run bench -- [--json] [--quick] [--docs N] [--cmrc DIR] [--profile DIR] [--keep]
 *
 * Ingest, load, per-question and memory figures on the bundled corpus, the CMRC 2018 trial
 * paragraphs (read in place) and a synthetic corpus of N documents (default 20,000) made from
 * them in a temp folder; each beside SQLite FTS5 over the same jieba tokens. Then the HNSW index
 * over 512-d vectors beside exact search. Prints a table with PASS/FAIL per target, or with
 * `--json` one JSON object on stdout; progress goes to stderr. docs/BENCHMARKS.md explains.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../src/channels/cli-args.ts';
import { runMain } from '../src/channels/run-main.ts';
import { loadConfig } from '../src/config.ts';
import { TongxinError } from '../src/errors.ts';
import { configLogger } from '../src/channels/config-logger.ts';
import { runBench } from './lib/bench-run.ts';
import { formatBench } from './lib/bench-table.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

await runMain(async () => {
  const args = parseArgs(process.argv.slice(2), { flags: ['json', 'quick', 'keep'], values: ['docs', 'cmrc', 'profile'] });
  const config = loadConfig();
  const logger = configLogger(config);
  let docs: number | undefined;
  if (args.values.has('docs')) {
    docs = Number(args.values.get('docs'));
    if (!Number.isSafeInteger(docs) || docs < 1) throw new TongxinError('BAD_INPUT', `--docs must be a whole number >= 1, got ${args.values.get('docs')}`);
  }
  const report = await runBench({
    quick: args.flags.has('quick'),
    docs,
    corpusDir: path.join(ROOT, 'corpus'),
    questionsFile: path.join(ROOT, 'eval/questions.jsonl'),
    cmrcDir: path.resolve(args.values.get('cmrc') ?? path.join(ROOT, '../shared/cmrc2018-trial')),
    profileDir: args.values.has('profile') ? path.resolve(args.values.get('profile')!) : undefined,
    keep: args.flags.has('keep'),
    ocrScans: [
      { file: path.join(ROOT, 'test/fixtures/ocr/notice.png'), reference: path.join(ROOT, 'test/fixtures/ocr/notice.txt') },
      {
        file: path.join(ROOT, '../shared/real-docs/党政机关公文处理工作条例_扫描页.jpg'),
        reference: path.join(ROOT, 'test/fixtures/ocr/党政机关公文处理工作条例_扫描页.txt'),
      },
    ],
    formatDirs: [path.join(ROOT, '../shared/real-docs'), path.join(ROOT, 'test/fixtures/docs'), path.join(ROOT, 'test/fixtures/ocr/notice.png')],
    log: (msg) => logger.info(msg),
  });
  if (args.flags.has('json')) process.stdout.write(JSON.stringify(report) + '\n');
  else process.stdout.write(formatBench(report) + '\n');
});
