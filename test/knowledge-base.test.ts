/**
 * KnowledgeBase.open checks the index's embedding model against the configured one, then loads
 * that same index: an ingest with another model finishing in between must not slip its vectors
 * behind the check.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { TransformersEmbedder } from '../src/embed/transformers-embedder.ts';
import { ingest } from '../src/index/ingest.ts';
import { readManifest } from '../src/index/manifest.ts';
import { openKnowledgeBase } from '../src/knowledge-base.ts';
import { tinyModelDir } from './helpers/tiny-model.ts';

const config = loadConfig({ env: { EMBEDDING_PROVIDER: 'none' }, dotenvDir: false });
let root: string;

before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'tongxin-kb-open-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('an ingest with another model finishing while open checks the model: the checked generation is loaded', async () => {
  const modelDir = await tinyModelDir();
  const cls = new TransformersEmbedder({ model: modelDir, dtype: 'q8', pooling: 'cls', allowRemote: false });
  const mean = new TransformersEmbedder({ model: modelDir, dtype: 'q8', pooling: 'mean', allowRemote: false });
  const corpusDir = path.join(root, 'corpus');
  const indexDir = path.join(root, 'index');
  await mkdir(corpusDir);
  await writeFile(path.join(corpusDir, 'room.md'), '---\ntitle: 活动室\n---\n\n社区新开设了党员活动室，每周三开放。');
  const checked = await ingest({ corpusDir, indexDir, config, embedder: cls });

  // open checks the manifest's model, then asks the embedder for its dimension (it loads the
  // model there): the ingest with the other model completes exactly in that gap.
  let swapped: string | undefined;
  const dimension = cls.dimension.bind(cls);
  cls.dimension = async () => {
    if (!swapped) {
      await writeFile(path.join(corpusDir, 'meeting.md'), '---\ntitle: 党员大会\n---\n\n党员大会每季度召开一次。');
      swapped = (await ingest({ corpusDir, indexDir, config, embedder: mean, rebuild: true })).generation;
    }
    return dimension();
  };
  const kb = await openKnowledgeBase({ indexDir, config, embedder: cls, chatModel: null });
  try {
    assert.equal((await readManifest(indexDir))!.generation, swapped, 'the other ingest did replace the manifest');
    const stats = kb.stats();
    assert.deepEqual([stats.generation, stats.embeddingModel, stats.documents], [checked.generation, cls.id, 1]);
    // Dense search runs on the checked generation's vectors: the other one's document is not there.
    const a = await kb.ask('活动室哪天开放？');
    assert.deepEqual(a.retrieved.map((r) => [r.docId, r.dense?.rank]), [['room', 1]]);
  } finally {
    await kb.close();
    await mean.close();
  }
});
