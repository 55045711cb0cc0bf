import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { createEmbedder, embedderFromConfig } from '../../src/embed/create-embedder.ts';
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

  test('provider none gives no embedder', async () => {
    assert.equal(await createEmbedder(config({ EMBEDDING_PROVIDER: 'none' }).embedding, models, silentLogger), null);
  });

  test('provider openai talks to the configured endpoint with the configured key', async () => {
    const cfg = config({
      EMBEDDING_PROVIDER: 'openai',
      EMBEDDING_BASE_URL: server.baseURL,
      EMBEDDING_API_KEY: 'sk-embed',
      EMBEDDING_MODEL: 'text-embedding-v3',
      EMBEDDING_QUERY_PREFIX: '',
    });
    const e = await createEmbedder(cfg.embedding, models, silentLogger);
    assert.ok(e instanceof OpenAIEmbedder);
    assert.equal(e.id, 'text-embedding-v3@openai');
    assert.equal(await e.dimension(), 6);
    assert.equal(server.requests.at(-1)!.headers.authorization, 'Bearer sk-embed');
  });

  test('provider local finds a hub id in the models folder, offline', async () => {
    await cp(await tinyModelDir(), path.join(models, 'Tongxin', 'tiny-bert'), { recursive: true });
    const cfg = config({ EMBEDDING_MODEL: 'Tongxin/tiny-bert', EMBEDDING_POOLING: 'mean', ALLOW_REMOTE_MODELS: 'off' });
    const e = await createEmbedder(cfg.embedding, models, silentLogger);
    assert.ok(e instanceof TransformersEmbedder);
    assert.equal(e.id, 'Tongxin/tiny-bert@q8/mean');
    assert.equal(await e.dimension(), TINY_MODEL_DIMENSION);
    await e.close?.();
  });

  test('embedderFromConfig reads EMBEDDING_* and MODELS_DIR', async () => {
    const cfg = loadConfig({
      env: { EMBEDDING_MODEL: 'Tongxin/tiny-bert', EMBEDDING_POOLING: 'mean', ALLOW_REMOTE_MODELS: 'off', MODELS_DIR: models },
      dotenvDir: false,
      cwd: os.tmpdir(),
    });
    const e = await embedderFromConfig(cfg, silentLogger);
    assert.ok(e instanceof TransformersEmbedder);
    assert.equal(e.id, 'Tongxin/tiny-bert@q8/mean');
    assert.equal(await e.dimension(), TINY_MODEL_DIMENSION);
    await e.close?.();
  });

  // A child process per provider, so modules loaded by other tests cannot hide a static import.
  for (const [provider, loads] of [
    ['none', { openai: false, openaiAdapter: false, localAdapter: false }],
    ['local', { openai: false, openaiAdapter: false, localAdapter: true }],
    ['openai', { openai: true, openaiAdapter: true, localAdapter: false }],
  ] as const) {
    test(`provider ${provider}: ingest, the knowledge base and create-embedder load only the adapter chosen`, async () => {
      const loadsFile = path.join(models, `loads-${provider}.txt`);
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'test/helpers/record-loads-child.ts', loadsFile, provider, ...(provider === 'openai' ? [server.baseURL] : [])],
        { encoding: 'utf8' },
      );
      assert.equal(r.status, 0, r.stderr);
      const urls = (await readFile(loadsFile, 'utf8')).trim().split('\n');
      // The positive control: ingest itself was recorded, so an empty list cannot pass.
      assert.ok(urls.some((u) => u.endsWith('/src/index/ingest.ts')), urls.join('\n'));
      assert.deepEqual(
        {
          openai: urls.some((u) => u.includes('/node_modules/openai/')),
          openaiAdapter: urls.some((u) => u.endsWith('/src/embed/openai-embedder.ts')),
          localAdapter: urls.some((u) => u.endsWith('/src/embed/transformers-embedder.ts')),
        },
        loads,
      );
      const expectedId = { none: null, local: 'Xenova/bge-small-zh-v1.5@q8/cls', openai: 'Xenova/bge-small-zh-v1.5@openai' }[provider];
      assert.deepEqual(JSON.parse(r.stdout), { id: expectedId });
    });
  }
});
