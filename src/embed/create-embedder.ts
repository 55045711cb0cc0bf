/**
 * Picks the Embedder adapter from config: the one seam through which ingest and the knowledge
 * base get an embedder (STYLE habit 5). Each adapter is imported only when chosen: importing
 * `openai` alone took ~51 ms on every start, even with EMBEDDING_PROVIDER=local or none.
 * transformers.js itself loads on the first embedding, so a lexical-only run never pays for it.
 */
import path from 'node:path';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Embedder } from './embedder.ts';

/** Null for EMBEDDING_PROVIDER=none (lexical search only). */
export async function createEmbedder(cfg: Config['embedding'], modelsDir: string, logger: Logger): Promise<Embedder | null> {
  switch (cfg.provider) {
    case 'none':
      return null;
    case 'openai': {
      const { OpenAIEmbedder } = await import('./openai-embedder.ts');
      // loadConfig already refuses provider openai without a base URL.
      return new OpenAIEmbedder({
        baseURL: cfg.baseURL ?? '',
        apiKey: cfg.apiKey,
        model: cfg.model,
        batchSize: cfg.batchSize,
        queryPrefix: cfg.queryPrefix,
        queryTimeoutMs: cfg.queryTimeoutMs,
        logger: logger.child({ component: 'embedder' }),
      });
    }
    case 'local': {
      const { TransformersEmbedder } = await import('./transformers-embedder.ts');
      return new TransformersEmbedder({
        model: cfg.model,
        dtype: cfg.dtype,
        pooling: cfg.pooling,
        queryPrefix: cfg.queryPrefix,
        batchSize: cfg.batchSize,
        cacheDir: path.resolve(modelsDir),
        allowRemote: cfg.allowRemote,
        hfEndpoint: cfg.hfEndpoint,
        logger: logger.child({ component: 'embedder' }),
      });
    }
  }
}

/** The embedder the configuration names (EMBEDDING_* and MODELS_DIR); null for provider none. */
export function embedderFromConfig(config: Pick<Config, 'embedding' | 'modelsDir'>, logger: Logger): Promise<Embedder | null> {
  return createEmbedder(config.embedding, config.modelsDir, logger);
}
