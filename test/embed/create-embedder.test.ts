import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { createEmbedder } from '../../src/embed/create-embedder.ts';
import { OpenAIEmbedder } from '../../src/embed/openai-embedder.ts';
import { TransformersEmbedder } from '../../src/embed/transformers-embedder.ts';
import { silentLogger } from '../../src/log.ts';
import { startOpenAIEmbeddingsServer, type OpenAIEmbeddingsServer } from '../helpers/openai-server.ts';
import { TINY_MODEL_DIMENSION, tinyModelDir } from '../helpers/tiny-model.ts';

const config = (env: Record<string, string>) => loadConfig({ env, dotenvDir: false, cwd: os.tmpdir() });

describe('createEmbedder', () => {
  let server: OpenAIEmbeddingsServer;
  let models: string;
  before(async () => {
    server = await startOpenAIEmbeddingsServer({ dimension: 6 });
    models = await mkdtemp(path.join(os.tmpdir(), 'tongxin-models-'));
  });
  after(async () => {
    await server.close();
    await rm(models, { recursive: true, force: true });
  });

  test('provider none gives no embedder', () => {
    assert.equal(createEmbedder(config({ EMBEDDING_PROVIDER: 'none' }).embedding, models, silentLogger), null);
  });

  test('provider openai talks to the configured endpoint with the configured key', async () => {
    const cfg = config({
      EMBEDDING_PROVIDER: 'openai',
      EMBEDDING_BASE_URL: server.baseURL,
      EMBEDDING_API_KEY: 'sk-embed',
      EMBEDDING_MODEL: 'text-embedding-v3',
      EMBEDDING_QUERY_PREFIX: '',
    });
    const e = createEmbedder(cfg.embedding, models, silentLogger);
    assert.ok(e instanceof OpenAIEmbedder);
    assert.equal(e.id, 'text-embedding-v3@openai');
    assert.equal(await e.dimension(), 6);
    assert.equal(server.requests.at(-1)!.headers.authorization, 'Bearer sk-embed');
  });

  test('provider local finds a hub id in the models folder, offline', async () => {
    await cp(await tinyModelDir(), path.join(models, 'Tongxin', 'tiny-bert'), { recursive: true });
    const cfg = config({ EMBEDDING_MODEL: 'Tongxin/tiny-bert', EMBEDDING_POOLING: 'mean', ALLOW_REMOTE_MODELS: 'off' });
    const e = createEmbedder(cfg.embedding, models, silentLogger);
    assert.ok(e instanceof TransformersEmbedder);
    assert.equal(e.id, 'Tongxin/tiny-bert@q8/mean');
    assert.equal(await e.dimension(), TINY_MODEL_DIMENSION);
    await e.close?.();
  });
});
