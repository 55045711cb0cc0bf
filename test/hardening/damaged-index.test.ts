/**
 * A damaged index on disk: each file of a dense index (built with the tiny ONNX model) truncated,
 * garbled, missing and of the wrong version. Opening must fail with an IndexError that names the
 * file and the command that fixes it; a running knowledge base must keep its index when the next
 * generation is damaged.
 *
 * "Wrong version" for a file without a version field (passages.json, lexical.bin, vectors.hnsw,
 * vectors.f32) is that file from another build: a stale copy is the realistic way such a file
 * goes wrong.
 *
 * vectors.f32 (raw vectors kept for the next ingest) is not read to answer: damaged, the knowledge
 * base opens and answers as before, and the next ingest re-embeds every passage with a warning
 * naming the file, instead of copying garbage into the new generation or failing in the graph
 * build with an error that names neither the file nor the fix.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.ts';
import { seededRandom } from '../../scripts/lib/tiny-model/seeded-random.ts';
import { TransformersEmbedder } from '../../src/embed/transformers-embedder.ts';
import { IndexError } from '../../src/errors.ts';
import { ingest, type IngestReport } from '../../src/index/ingest.ts';
import { readManifest, writeManifestAtomic, type Manifest } from '../../src/index/manifest.ts';
import { openKnowledgeBase } from '../../src/knowledge-base.ts';
import { createLogger } from '../../src/log.ts';
import { BUNDLED_CORPUS } from '../helpers/kb-fixture.ts';
import { TINY_MODEL_DIMENSION, tinyModelDir } from '../helpers/tiny-model.ts';

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
type IndexFile = (typeof FILES)[number] | 'vectors.f32';
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

/** The bundled corpus plus one new document, so the next ingest has something to write. */
let grownCorpus: Promise<string> | undefined;
function grown(): Promise<string> {
  grownCorpus ??= (async () => {
    const dir = path.join(root, 'grown-corpus');
    await cp(BUNDLED_CORPUS, dir, { recursive: true });
    await writeFile(path.join(dir, 'zz-room.md'), '---\ntitle: 活动室\n---\n\n社区新开设了党员活动室，每周三开放。');
    return dir;
  })();
  return grownCorpus;
}

/** vectors.f32 as a rebuild of the grown corpus writes it: what re-embedding must reproduce. */
let rebuiltVectors: Promise<Buffer> | undefined;
function rebuilt(): Promise<Buffer> {
  rebuiltVectors ??= (async () => {
    const indexDir = path.join(root, 'rebuilt');
    await cp(pristine, indexDir, { recursive: true });
    const r = await ingest({ corpusDir: await grown(), indexDir, config, embedder, rebuild: true });
    return readFile(path.join(indexDir, r.generation, 'vectors.f32'));
  })();
  return rebuiltVectors;
}

/** The answer to QUESTION from the undamaged index. */
let pristineAnswerText: Promise<string> | undefined;
function pristineAnswer(): Promise<string> {
  pristineAnswerText ??= openKnowledgeBase({ indexDir: pristine, config, embedder, chatModel: null }).then(async (kb) => (await kb.ask(QUESTION)).answer);
  return pristineAnswerText;
}

/** An ingest of the grown corpus into `indexDir`: its report, warnings and passages embedded. */
async function ingestGrown(indexDir: string): Promise<{ report: IngestReport; warnings: string[]; embedded: number }> {
  const lines: Array<{ level: string; msg: string }> = [];
  const logger = createLogger({ format: 'json', write: (l) => lines.push(JSON.parse(l)) });
  let embedded = 0;
  const report = await ingest({
    corpusDir: await grown(),
    indexDir,
    config,
    embedder,
    logger,
    onProgress: (phase, _done, total) => {
      if (phase === 'embed') embedded = total;
    },
  });
  return { report, warnings: lines.filter((l) => l.level === 'warn').map((l) => l.msg), embedded };
}

test('vectors.f32 intact: the next ingest reuses it, embedding only the new passage', async () => {
  const indexDir = path.join(root, 'case-vectors.f32-intact');
  await cp(pristine, indexDir, { recursive: true });
  const { warnings, embedded } = await ingestGrown(indexDir);
  assert.deepEqual([warnings, embedded], [[], 1]);
  await rm(indexDir, { recursive: true, force: true });
});

for (const how of [...DAMAGES, 'rows swapped'] as const) {
  test(`vectors.f32 ${how}: the knowledge base answers as before; the next ingest re-embeds every passage, warning with the file`, async () => {
    const indexDir = path.join(root, `case-vectors.f32-${how.replace(' ', '-')}`);
    await cp(pristine, indexDir, { recursive: true });
    const file = fileIn(indexDir, pristineGen, 'vectors.f32');
    const good = await readFile(file);
    if (how === 'rows swapped') {
      // Same size, every vector finite and of unit length: only the manifest's checksum tells.
      const row = TINY_MODEL_DIMENSION * 4;
      await writeFile(file, Buffer.concat([good.subarray(row, 2 * row), good.subarray(0, row), good.subarray(2 * row)]));
    } else {
      await damage(file, 'vectors.f32', how);
    }

    const kb = await openKnowledgeBase({ indexDir, config, embedder, chatModel: null });
    assert.deepEqual([kb.stats().dense, (await kb.ask(QUESTION)).answer], [true, await pristineAnswer()]);

    const count = good.length / (TINY_MODEL_DIMENSION * 4);
    const reason = {
      truncated: `is ${good.length / 2} bytes, expected ${good.length} (${count} vectors of ${TINY_MODEL_DIMENSION})`,
      garbled: 'does not match the checksum in the manifest (damaged or replaced)',
      missing: 'is missing',
      'wrong version': `is ${TINY_MODEL_DIMENSION * 4} bytes, expected ${good.length} (${count} vectors of ${TINY_MODEL_DIMENSION})`,
      'rows swapped': 'does not match the checksum in the manifest (damaged or replaced)',
    }[how];
    const { report, warnings, embedded } = await ingestGrown(indexDir);
    assert.deepEqual(warnings, [`${file} ${reason}; re-embedding every passage (slow, and billed by an API provider)`]);
    assert.equal(embedded, report.passages);
    // Nothing of the damaged file reached the new generation: its vectors are a rebuild's.
    assert.ok((await readFile(fileIn(indexDir, report.generation, 'vectors.f32'))).equals(await rebuilt()));
    await rm(indexDir, { recursive: true, force: true });
  });
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
