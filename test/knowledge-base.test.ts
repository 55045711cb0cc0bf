/**
 * KnowledgeBase.open checks the index's embedding model against the configured one, then loads
 * that same index: an ingest with another model finishing in between must not slip its vectors
 * behind the check. KnowledgeBase.reload remembers a failed generation; a forced reload (staff's
 * 重载) looks again.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { TransformersEmbedder } from '../src/embed/transformers-embedder.ts';
import { IndexError } from '../src/errors.ts';
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

test('a forced reload retries a generation that failed, even with a reload in flight that rethrows the failure', async () => {
  const corpusDir = path.join(root, 'retry-corpus');
  const indexDir = path.join(root, 'retry-index');
  await mkdir(corpusDir);
  const doc = path.join(corpusDir, 'meeting.md');
  const meeting = '---\ntitle: 三会一课制度\n---\n\n# 三会一课\n支部党员大会一般每季度召开1次。党小组会一般每月召开1次。党课每季度至少1次。';
  await writeFile(doc, meeting);
  await ingest({ corpusDir, indexDir, config, embedder: null });
  const kb = await openKnowledgeBase({ indexDir, config, embedder: null, chatModel: null });
  try {
    await writeFile(doc, meeting.replace('每月召开1次', '每两周召开1次'));
    const next = await ingest({ corpusDir, indexDir, config, embedder: null });
    // A one-off failure to read the new generation: its passages.json cut short, then repaired.
    const passages = path.join(indexDir, next.generation, 'passages.json');
    const good = await readFile(passages);
    await writeFile(passages, good.subarray(0, good.length >> 1));
    const failure: unknown = await kb.reload().then(() => assert.fail('the damaged generation loaded'), (err: unknown) => err);
    assert.ok(failure instanceof IndexError && failure.message.includes(passages), String(failure));
    await writeFile(passages, good);

    // A poll and staff's 重载 at once: the poll hears the remembered failure, 重载 looks again.
    const poll = kb.reload();
    const forced = kb.reload({ force: true });
    await assert.rejects(poll, (err: unknown) => err === failure);
    assert.equal(await forced, true);
    assert.equal(kb.stats().generation, next.generation);
    assert.deepEqual((await kb.ask('党小组会多久召开一次')).retrieved.map((p) => p.text), [
      '三会一课\n\n支部党员大会一般每季度召开1次。党小组会一般每两周召开1次。党课每季度至少1次。',
    ]);
    assert.equal(await kb.reload(), false);
    assert.equal(await kb.reload({ force: true }), false);
  } finally {
    await kb.close();
  }
});
