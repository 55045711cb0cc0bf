import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { ingest } from '../../src/index/ingest.ts';
import { loadIndex } from '../../src/index/load-index.ts';
import { readManifest } from '../../src/index/manifest.ts';

const config = loadConfig({ env: { EMBEDDING_PROVIDER: 'none' }, dotenvDir: false });
let root: string;

before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'tongxin-load-index-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('loadIndex loads the generation of the manifest it is given, not the one on disk now', async () => {
  const corpusDir = path.join(root, 'corpus');
  const indexDir = path.join(root, 'index');
  await mkdir(corpusDir);
  await writeFile(path.join(corpusDir, 'room.md'), '---\ntitle: 活动室\n---\n\n社区新开设了党员活动室，每周三开放。');
  const first = await ingest({ corpusDir, indexDir, config, embedder: null });
  const checked = (await readManifest(indexDir))!;
  await writeFile(path.join(corpusDir, 'meeting.md'), '---\ntitle: 党员大会\n---\n\n党员大会每季度召开一次。');
  const second = await ingest({ corpusDir, indexDir, config, embedder: null });
  assert.notEqual(second.generation, first.generation);

  const given = await loadIndex(indexDir, { withVectors: false, manifest: checked });
  assert.deepEqual([given.manifest.generation, given.passages.map((p) => p.docId)], [first.generation, ['room']]);
  const current = await loadIndex(indexDir, { withVectors: false });
  assert.deepEqual([current.manifest.generation, current.passages.map((p) => p.docId)], [second.generation, ['meeting', 'room']]);
});
