/**
 * A damaged index on disk: each file of a dense index (built with the tiny ONNX model) truncated,
 * garbled, missing and of the wrong version. Opening must fail with an IndexError that names the
 * file and the command that fixes it; a running knowledge base must keep its index when the next
 * generation is damaged.
 *
 * "Wrong version" for a file without a version field (passages.json, lexical.bin, vectors.hnsw)
 * is that file from another build: a stale copy is the realistic way such a file goes wrong.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.ts';
import { seededRandom } from '../../src/embed/tiny-model/seeded-random.ts';
import { TransformersEmbedder } from '../../src/embed/transformers-embedder.ts';
import { IndexError } from '../../src/errors.ts';
import { ingest } from '../../src/index/ingest.ts';
import { readManifest, writeManifestAtomic, type Manifest } from '../../src/index/manifest.ts';
import { openKnowledgeBase } from '../../src/knowledge-base.ts';
import { BUNDLED_CORPUS } from '../helpers/kb-fixture.ts';
import { tinyModelDir } from '../helpers/tiny-model.ts';

const QUESTION = '在职党员到社区报到的比例是多少？';

let root: string;
let config: Config;
let embedder: TransformersEmbedder;
/** A good dense index of the bundled corpus, copied for each case. */
let pristine: string;
let pristineGen: string;
/** A good dense index of another corpus, for stale copies. */
let otherGenDir: string;

before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'tongxin-damaged-'));
  config = loadConfig({ env: { EMBEDDING_PROVIDER: 'none' }, dotenvDir: false });
  const modelDir = await tinyModelDir();
  // One embedder for every open: the model loads once.
  embedder = new TransformersEmbedder({ model: modelDir, dtype: 'q8', pooling: 'cls', queryPrefix: '为这个句子生成表示以用于检索相关文章：', allowRemote: false });
  pristine = path.join(root, 'pristine');
  const r = await ingest({ corpusDir: BUNDLED_CORPUS, indexDir: pristine, config, embedder });
  assert.equal(r.dense, true);
  pristineGen = r.generation;
  const otherCorpus = path.join(root, 'other-corpus');
  await mkdir(otherCorpus);
  await writeFile(path.join(otherCorpus, 'a.md'), '---\ntitle: 别的文件\n---\n\n社区新开设了党员活动室，每周三开放。');
  const other = await ingest({ corpusDir: otherCorpus, indexDir: path.join(root, 'other'), config, embedder });
  otherGenDir = path.join(root, 'other', other.generation);
});
after(async () => {
  await embedder?.close();
  await rm(root, { recursive: true, force: true });
});

type Damage = 'truncated' | 'garbled' | 'missing' | 'wrong version';
const FILES = ['manifest.json', 'passages.json', 'lexical.json', 'lexical.bin', 'vectors.hnsw', 'vectors.json'] as const;
type IndexFile = (typeof FILES)[number];
const DAMAGES: Damage[] = ['truncated', 'garbled', 'missing', 'wrong version'];

/** Where a file of the current generation lives. */
function fileIn(indexDir: string, gen: string, name: IndexFile): string {
  return name === 'manifest.json' ? path.join(indexDir, name) : path.join(indexDir, gen, name);
}

let garbleSeed = 1;
async function damage(file: string, name: IndexFile, how: Damage): Promise<void> {
  const bytes = await readFile(file);
  switch (how) {
    case 'truncated':
      await writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
      return;
    case 'garbled': {
      // Same length, so size checks alone cannot catch it.
      const rnd = seededRandom(garbleSeed++);
      await writeFile(file, Buffer.from(Array.from({ length: bytes.length }, () => Math.floor(rnd() * 256))));
      return;
    }
    case 'missing':
      await unlink(file);
      return;
    case 'wrong version':
      if (name === 'manifest.json' || name === 'lexical.json' || name === 'vectors.json') {
        const json = JSON.parse(bytes.toString('utf8'));
        const field = name === 'manifest.json' ? 'formatVersion' : name === 'lexical.json' ? 'format' : 'version';
        assert.equal(typeof json[field], 'number', `${name} has a numeric ${field}`);
        json[field] = 99;
        await writeFile(file, JSON.stringify(json));
      } else {
        await cp(path.join(otherGenDir, name), file);
      }
  }
}

for (const name of FILES) {
  for (const how of DAMAGES) {
    test(`${name} ${how}: openKnowledgeBase rejects, naming the file and npm run ingest`, async () => {
      const indexDir = path.join(root, `case-${name}-${how.replace(' ', '-')}`);
      await cp(pristine, indexDir, { recursive: true });
      const file = fileIn(indexDir, pristineGen, name);
      await damage(file, name, how);
      await assert.rejects(openKnowledgeBase({ indexDir, config, embedder, chatModel: null }), (err: unknown) => {
        assert.ok(err instanceof IndexError, `an IndexError, got ${String(err)}`);
        // A missing manifest is a missing knowledge base: the message names its folder.
        const named = name === 'manifest.json' && how === 'missing' ? indexDir : file;
        assert.ok(err.message.includes(named), `names ${named}: ${err.message}`);
        assert.ok(err.message.includes('npm run ingest'), `tells the fix: ${err.message}`);
        assert.ok(['INDEX_MISSING', 'INDEX_CORRUPT', 'INDEX_INCOMPATIBLE'].includes(err.code), err.code);
        return true;
      });
      await rm(indexDir, { recursive: true, force: true });
    });
  }
}

test('a running knowledge base keeps its index when the next generation is damaged', async () => {
  const corpusDir = path.join(root, 'live-corpus');
  const indexDir = path.join(root, 'live-index');
  await cp(BUNDLED_CORPUS, corpusDir, { recursive: true });
  await ingest({ corpusDir, indexDir, config, embedder });
  const kb = await openKnowledgeBase({ indexDir, config, embedder, chatModel: null });
  try {
    // A good reload first.
    await writeFile(path.join(corpusDir, 'room.md'), '---\ntitle: 活动室\n---\n\n社区新开设了党员活动室，每周三开放。');
    const second = await ingest({ corpusDir, indexDir, config, embedder });
    assert.equal(await kb.reload(), true);
    const good = kb.stats();
    assert.equal(good.generation, second.generation);
    const before = await kb.ask(QUESTION);
    assert.equal(before.refused, false);
    const manifest = (await readManifest(indexDir))!;

    let n = 0;
    const cases: Array<[IndexFile, Damage]> = [
      ['passages.json', 'truncated'],
      ['lexical.json', 'garbled'],
      ['lexical.bin', 'garbled'],
      ['lexical.bin', 'wrong version'],
      ['vectors.hnsw', 'missing'],
      ['vectors.hnsw', 'garbled'],
      ['vectors.json', 'wrong version'],
      ['passages.json', 'wrong version'],
    ];
    for (const [name, how] of cases) {
      // The next generation: a copy of the good one, damaged, made current by a new manifest.
      const gen = `gen-damaged-${++n}`;
      await cp(path.join(indexDir, good.generation), path.join(indexDir, gen), { recursive: true });
      await damage(fileIn(indexDir, gen, name), name, how);
      const next: Manifest = { ...manifest, generation: gen, builtAt: new Date().toISOString() };
      await writeManifestAtomic(indexDir, next);
      await assert.rejects(kb.reload(), (err: unknown) => {
        assert.ok(err instanceof IndexError, `${name} ${how}: an IndexError, got ${String(err)}`);
        assert.ok(err.message.includes(path.join(indexDir, gen, name)), `${name} ${how}: ${err.message}`);
        return true;
      });
      assert.equal(kb.stats().generation, good.generation, `${name} ${how}: generation kept`);
      const a = await kb.ask(QUESTION);
      assert.equal(a.answer, before.answer, `${name} ${how}: answers from the old index`);
    }

    // A damaged manifest itself.
    await writeFile(path.join(indexDir, 'manifest.json'), '{"formatVersion": 1, "generation": "gen-');
    await assert.rejects(kb.reload(), (err: unknown) => err instanceof IndexError && err.message.includes('manifest.json'));
    assert.equal(kb.stats().generation, good.generation);
    assert.equal((await kb.ask(QUESTION)).answer, before.answer);

    // The fix the messages name: a rebuild, after which the reload succeeds.
    const rebuilt = await ingest({ corpusDir, indexDir, config, embedder, rebuild: true });
    assert.equal(await kb.reload(), true);
    assert.equal(kb.stats().generation, rebuilt.generation);
    assert.equal((await kb.ask(QUESTION)).answer, before.answer);
  } finally {
    await rm(indexDir, { recursive: true, force: true });
  }
});
