/**
 * npm run ingest -- [--corpus DIR] [--index DIR] [--rebuild] [--json]
 * Builds or refreshes the knowledge base. Logs and progress go to stderr; with --json the last
 * stdout line is the report as one JSON object.
 */
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { ingest } from '../src/index/ingest.ts';
import { configLogger } from '../src/channels/config-logger.ts';
import { parseArgs } from '../src/channels/cli-args.ts';
import { createProgressReporter } from '../src/channels/progress-bar.ts';
import { runMain } from '../src/channels/run-main.ts';

await runMain(async () => {
  const args = parseArgs(process.argv.slice(2), { flags: ['json', 'rebuild'], values: ['corpus', 'index'] });
  const config = loadConfig();
  const logger = configLogger(config);
  const corpusDir = path.resolve(args.values.get('corpus') ?? config.corpusDir);
  const indexDir = path.resolve(args.values.get('index') ?? config.indexDir);
  const progress = createProgressReporter(logger);
  logger.info(`ingest ${corpusDir} -> ${indexDir}`);
  const report = await ingest({
    corpusDir,
    indexDir,
    config,
    logger,
    rebuild: args.flags.has('rebuild'),
    onProgress: (phase, done, total) => progress.update(phase, done, total),
  });
  progress.stop();
  const { written: _w, generation: _g, ...summary } = report;
  logger.info(
    `done: ${report.docs} documents (${report.added} added, ${report.changed} changed, ${report.removed} removed, ` +
      `${report.unchanged} unchanged, ${report.skipped.length} skipped), ${report.passages} passages, ` +
      `vectors ${report.dense ? 'on' : 'off'}, ${report.seconds}s`,
  );
  if (args.flags.has('json')) process.stdout.write(JSON.stringify(summary) + '\n');
});
