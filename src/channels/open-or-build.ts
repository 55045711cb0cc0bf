/**
 * Opens the knowledge base for a channel; when none exists yet (a fresh clone), builds it from
 * the corpus first, so `npm run console` and `npm start` work with no other step.
 */
import type { Config } from '../config.ts';
import { embedderFromConfig } from '../embed/create-embedder.ts';
import type { Embedder } from '../embed/embedder.ts';
import { ingest, type IngestReport } from '../index/ingest.ts';
import { readManifest } from '../index/manifest.ts';
import type { Logger } from '../log.ts';
import { openKnowledgeBase, type KnowledgeBase } from '../knowledge-base.ts';
import { createProgressReporter } from './progress-bar.ts';

export async function openOrBuild(config: Config, logger: Logger, indexDir = config.indexDir): Promise<KnowledgeBase> {
  // undefined: openKnowledgeBase makes its own embedder when the index has vectors.
  let embedder: Embedder | null | undefined;
  // Null only when there is no manifest file. One that is damaged, of another format or
  // unreadable throws its own error naming the fix: building over it would hide the damage.
  if (!(await readManifest(indexDir))) {
    logger.info('no knowledge base yet: building it from the corpus', { corpusDir: config.corpusDir, indexDir });
    const made = await embedderFromConfig(config, logger);
    const progress = createProgressReporter(logger);
    let report: IngestReport;
    try {
      report = await ingest({
        corpusDir: config.corpusDir,
        indexDir,
        config,
        logger,
        embedder: made,
        onProgress: (phase, done, total) => progress.update(phase, done, total),
      });
    } catch (err) {
      await made?.close?.();
      throw err;
    } finally {
      progress.stop();
    }
    logger.info('knowledge base built', { docs: report.docs, passages: report.passages, dense: report.dense, seconds: report.seconds });
    // The model the ingest just loaded answers the questions too, rather than a second load.
    if (report.dense) embedder = made;
    else await made?.close?.();
  }
  try {
    return await openKnowledgeBase({ indexDir, config, logger, ...(embedder !== undefined ? { embedder } : {}) });
  } catch (err) {
    await embedder?.close?.();
    throw err;
  }
}
