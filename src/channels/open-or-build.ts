/**
 * Opens the knowledge base for a channel; when none exists yet (a fresh clone), builds it from
 * the corpus first, so `npm run console` and `npm start` work with no other step.
 */
import type { Config } from '../config.ts';
import { ingest } from '../index/ingest.ts';
import { readManifest } from '../index/manifest.ts';
import type { Logger } from '../log.ts';
import { openKnowledgeBase, type KnowledgeBase } from '../knowledge-base.ts';
import { createProgressReporter } from './progress-bar.ts';

export async function openOrBuild(config: Config, logger: Logger, indexDir = config.indexDir): Promise<KnowledgeBase> {
  // Null only when there is no manifest file. One that is damaged, of another format or
  // unreadable throws its own error naming the fix: building over it would hide the damage.
  if (!(await readManifest(indexDir))) {
    logger.info('no knowledge base yet: building it from the corpus', { corpusDir: config.corpusDir, indexDir });
    const progress = createProgressReporter(logger);
    const report = await ingest({
      corpusDir: config.corpusDir,
      indexDir,
      config,
      logger,
      onProgress: (phase, done, total) => progress.update(phase, done, total),
    });
    progress.stop();
    logger.info('knowledge base built', { docs: report.docs, passages: report.passages, dense: report.dense, seconds: report.seconds });
  }
  return openKnowledgeBase({ indexDir, config, logger });
}
