import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { IndexError, TongxinError } from '../../src/errors.ts';
import { VECTOR_INDEX_FILE, VECTOR_META_FILE, VectorIndex } from '../../src/index/vector-index.ts';

const v = (...xs: number[]) => Float32Array.from(xs);
const unit = (...xs: number[]) => {
  const n = Math.hypot(...xs);
  return Float32Array.from(xs.map((x) => x / n));
};
const round = (hits: Array<{ id: number; score: number }>) =>
  hits.map((h) => ({ id: h.id, score: Math.round(h.score * 1e4) / 1e4 }));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tongxin-vindex-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('VectorIndex', () => {
  const vectors = [v(1, 0, 0), v(0, 1, 0), v(0, 0, 1), v(1, 1, 0)];

  test('search ranks by cosine similarity and reports it as the score', () => {
    const ix = VectorIndex.build(vectors, [0, 1, 2, 3]);
    assert.equal(ix.dimension, 3);
    assert.equal(ix.count, 4);
    assert.deepEqual(round(ix.search(v(1, 0.2, 0), 3)), [
      { id: 0, score: 0.9806 },
      { id: 3, score: 0.8321 },
      { id: 1, score: 0.1961 },
    ]);
  });

  test('k above the count returns every vector; k 0 and an empty index return none', () => {
    const ix = VectorIndex.build(vectors, [0, 1, 2, 3]);
    assert.deepEqual(ix.search(v(0, 0, 1), 50).map((h) => h.id).sort(), [0, 1, 2, 3]);
    assert.deepEqual(ix.search(v(0, 0, 1), 0), []);
    const empty = VectorIndex.build([], []);
    assert.equal(empty.count, 0);
    assert.deepEqual(empty.search(v(1, 0, 0), 5), []);
  });

  test('non-dense labels are passage ids in results and survive save/load', async () => {
    const ix = VectorIndex.build(vectors, [40, 7, 1000, 3]);
    assert.deepEqual(ix.search(v(0, 0, 1), 1).map((h) => h.id), [1000]);
    await ix.save(dir);
    const meta = JSON.parse(await readFile(path.join(dir, VECTOR_META_FILE), 'utf8'));
    assert.deepEqual(meta.labels, [40, 7, 1000, 3]);
    const loaded = await VectorIndex.load(dir);
    assert.deepEqual(round(loaded.search(v(1, 0.5, 0.1), 2)), round(ix.search(v(1, 0.5, 0.1), 2)));
    assert.deepEqual(loaded.search(v(1, 0.5, 0.1), 2).map((h) => h.id), [3, 40]);
  });

  test('save/load round trip keeps dimension, count, parameters and results', async () => {
    // 300 random unit vectors: enough for a real multi-layer graph.
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
    const many = Array.from({ length: 300 }, () => unit(...Array.from({ length: 16 }, rand)));
    const ix = VectorIndex.build(many, many.map((_, i) => i), { M: 8, efConstruction: 100, ef: 40 });
    await ix.save(dir);
    const meta = JSON.parse(await readFile(path.join(dir, VECTOR_META_FILE), 'utf8'));
    assert.deepEqual(
      { ...meta, bytes: typeof meta.bytes },
      { format: 'tongxin-hnsw', version: 1, space: 'cosine', dimension: 16, count: 300, M: 8, efConstruction: 100, ef: 40, bytes: 'number' },
    );
    const loaded = await VectorIndex.load(dir);
    assert.equal(loaded.dimension, 16);
    assert.equal(loaded.count, 300);
    for (const q of [many[0]!, many[123]!, many[299]!]) {
      assert.deepEqual(loaded.search(q, 10), ix.search(q, 10));
    }
    // A stored vector is its own nearest neighbour.
    assert.equal(loaded.search(many[123]!, 1)[0]!.id, 123);
    assert.equal(Math.round(loaded.search(many[123]!, 1)[0]!.score * 1e5) / 1e5, 1);
  });

  test('an empty index saves and loads', async () => {
    await VectorIndex.build([], []).save(dir);
    const loaded = await VectorIndex.load(dir);
    assert.equal(loaded.count, 0);
    assert.deepEqual(loaded.search(v(1), 3), []);
  });

  test('a truncated vectors.hnsw is INDEX_CORRUPT naming the file', async () => {
    await VectorIndex.build(vectors, [0, 1, 2, 3]).save(dir);
    const file = path.join(dir, VECTOR_INDEX_FILE);
    await truncate(file, 100);
    await assert.rejects(VectorIndex.load(dir), (err: unknown) => {
      assert.ok(err instanceof IndexError);
      assert.equal(err.code, 'INDEX_CORRUPT');
      assert.match(err.message, new RegExp(`${file.replace(/[.\\]/g, '\\$&')} is 100 bytes, expected \\d+`));
      return true;
    });
  });

  test('missing files are INDEX_CORRUPT naming the file', async () => {
    await assert.rejects(VectorIndex.load(dir), (err: unknown) => {
      assert.ok(err instanceof IndexError);
      assert.equal(err.code, 'INDEX_CORRUPT');
      assert.ok(err.message.includes(path.join(dir, VECTOR_META_FILE)), err.message);
      return true;
    });
    await VectorIndex.build(vectors, [0, 1, 2, 3]).save(dir);
    await rm(path.join(dir, VECTOR_INDEX_FILE));
    await assert.rejects(VectorIndex.load(dir), (err: unknown) => {
      assert.ok(err instanceof IndexError);
      assert.equal(err.code, 'INDEX_CORRUPT');
      assert.ok(err.message.includes(`${path.join(dir, VECTOR_INDEX_FILE)} is missing`), err.message);
      return true;
    });
  });

  test('a garbled vectors.hnsw of the right size is INDEX_CORRUPT with hnswlib as the cause', async () => {
    await VectorIndex.build(vectors, [0, 1, 2, 3]).save(dir);
    const file = path.join(dir, VECTOR_INDEX_FILE);
    const bytes = await readFile(file);
    await writeFile(file, Buffer.alloc(bytes.length, 0xff));
    await assert.rejects(VectorIndex.load(dir), (err: unknown) => {
      assert.ok(err instanceof IndexError);
      assert.equal(err.code, 'INDEX_CORRUPT');
      assert.ok(err.message.includes(`${file} cannot be read`), err.message);
      assert.ok(err.cause instanceof Error);
      return true;
    });
  });

  test('an index of another format version is INDEX_INCOMPATIBLE', async () => {
    await VectorIndex.build(vectors, [0, 1, 2, 3]).save(dir);
    const metaFile = path.join(dir, VECTOR_META_FILE);
    const meta = JSON.parse(await readFile(metaFile, 'utf8'));
    await writeFile(metaFile, JSON.stringify({ ...meta, version: 99 }));
    await assert.rejects(VectorIndex.load(dir), { name: 'IndexError', code: 'INDEX_INCOMPATIBLE' });
  });

  test('bad input is refused with BAD_INPUT', () => {
    const bad = (fn: () => unknown, message: RegExp) =>
      assert.throws(fn, (err: unknown) => err instanceof TongxinError && err.code === 'BAD_INPUT' && message.test(err.message));
    bad(() => VectorIndex.build([v(1, 0)], [0, 1]), /1 vectors but 2 labels/);
    bad(() => VectorIndex.build([v(1, 0), v(0, 1)], [5, 5]), /duplicate label 5/);
    bad(() => VectorIndex.build([v(1, 0), v(0, 1, 0)], [0, 1]), /vector 1 has 3 dimensions, expected 2/);
    bad(() => VectorIndex.build([v(1, Number.NaN)], [0]), /vector 0 is not finite/);
    bad(() => VectorIndex.build([v(1, 0)], [0]).search(v(1, 0, 0), 1), /query has 3 dimensions, index has 2/);
  });
});
