/**
 * vectors.f32, the raw vectors the next ingest reuses: what loadRawVectors accepts and the reason,
 * naming the file, for each way it can be unusable.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { l2Normalize } from '../../src/embed/l2-normalize.ts';
import { loadRawVectors, RAW_VECTORS_FILE, saveRawVectors } from '../../src/index/passage-store.ts';

let root: string;
let n = 0;
const DIM = 4;
const vectors = [
  l2Normalize(Float32Array.from([1, 2, 3, 4])),
  l2Normalize(Float32Array.from([-1, 0.5, 0, 2])),
  l2Normalize(Float32Array.from([0, 0, 1, 0])),
];

before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'tongxin-passage-store-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A generation folder holding `vectors` saved; returns it, its file and the checksum. */
async function saved(rows: Float32Array[] = vectors): Promise<{ dir: string; file: string; sha256: string }> {
  const dir = path.join(root, `gen-${++n}`);
  await mkdir(dir);
  const sha256 = await saveRawVectors(dir, rows, DIM);
  return { dir, file: path.join(dir, RAW_VECTORS_FILE), sha256 };
}

test('saved vectors load back as they were; the checksum returned is the file sha256', async () => {
  const { dir, file, sha256 } = await saved();
  assert.equal(sha256, createHash('sha256').update(await readFile(file)).digest('hex'));
  const r = await loadRawVectors(dir, { count: 3, dimension: DIM, sha256 });
  assert.deepEqual(r, { vectors });
  // An index from before checksums: checked by value, and good.
  assert.deepEqual(await loadRawVectors(dir, { count: 3, dimension: DIM }), { vectors });
});

test('missing, unreadable or of the wrong size: unusable, naming the file', async () => {
  const missing = path.join(root, 'gen-missing');
  await mkdir(missing);
  assert.deepEqual(await loadRawVectors(missing, { count: 3, dimension: DIM }), {
    unusable: `${path.join(missing, RAW_VECTORS_FILE)} is missing`,
  });

  const unreadable = path.join(root, 'gen-unreadable');
  await mkdir(path.join(unreadable, RAW_VECTORS_FILE), { recursive: true });
  assert.deepEqual(await loadRawVectors(unreadable, { count: 3, dimension: DIM }), {
    unusable: `${path.join(unreadable, RAW_VECTORS_FILE)} cannot be read (EISDIR: illegal operation on a directory, read)`,
  });

  const { dir, file, sha256 } = await saved();
  assert.deepEqual(await loadRawVectors(dir, { count: 4, dimension: DIM, sha256 }), {
    unusable: `${file} is 48 bytes, expected 64 (4 vectors of 4)`,
  });
});

test('same size, other content: the checksum catches what values alone cannot', async () => {
  const { dir, file, sha256 } = await saved();
  // Two rows swapped: every vector still finite and of unit length.
  const swapped = await saved([vectors[1]!, vectors[0]!, vectors[2]!]);
  await writeFile(file, await readFile(swapped.file));
  assert.deepEqual(await loadRawVectors(dir, { count: 3, dimension: DIM, sha256 }), {
    unusable: `${file} does not match the checksum in the manifest (damaged or replaced)`,
  });
});

test('without a checksum (an older index): a vector not finite or not of unit length is unusable', async () => {
  const nan = await saved([vectors[0]!, Float32Array.from([0.5, Number.NaN, 0.5, 0.5]), vectors[2]!]);
  assert.deepEqual(await loadRawVectors(nan.dir, { count: 3, dimension: DIM }), { unusable: `${nan.file} vector 1 is not finite` });

  const long = await saved([vectors[0]!, vectors[1]!, Float32Array.from([0, 0, 2, 0])]);
  assert.deepEqual(await loadRawVectors(long.dir, { count: 3, dimension: DIM }), { unusable: `${long.file} vector 2 has length 2.000, not 1` });

  // A zero vector is what l2Normalize leaves one as: kept.
  const zero = await saved([vectors[0]!, new Float32Array(DIM), vectors[2]!]);
  assert.deepEqual(await loadRawVectors(zero.dir, { count: 3, dimension: DIM }), { vectors: [vectors[0], new Float32Array(DIM), vectors[2]] });
});
