import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ingest, loadConfig, openKnowledgeBase } from '../src/index.ts';

test('the package entry opens a knowledge base and asks', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'tongxin-api-'));
  try {
    const config = loadConfig({ env: { EMBEDDING_PROVIDER: 'none', INDEX_DIR: dir }, dotenvDir: false });
    await ingest({ corpusDir: 'corpus', indexDir: config.indexDir, config });
    const kb = await openKnowledgeBase({ config });
    const a = await kb.ask('累计发布微心愿多少个？');
    assert.equal(a.refused, false);
    assert.match(a.body, /累计发布“微心愿”6230个/);
    assert.equal(a.citations[0]!.docId, 'lishu-five-ones');
    assert.equal(kb.stats().documents, 11);
    await kb.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
