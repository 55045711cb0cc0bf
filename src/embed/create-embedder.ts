/**
 * Picks the Embedder adapter from config. Constructing either adapter is cheap: transformers.js
 * loads on the first embedding, so a lexical-only run never pays for it.
 */
import path from 'node:path';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Embedder } from './embedder.ts';
import { OpenAIEmbedder } from './openai-embedder.ts';
import { TransformersEmbedder } from './transformers-embedder.ts';

/** Null for EMBEDDING_PROVIDER=none (lexical search only). */
export function createEmbedder(cfg: Config['embedding'], modelsDir: string, logger: Logger): Embedder | null {
  switch (cfg.provider) {
    case 'none':
      return null;
    case 'openai':
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
    case 'local':
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
