/**
 * Passages and their raw vectors on disk. Titles are stored once per document; a passage row is
 * `[documentIndex, heading, start, end, text, location]`. Raw vectors (float32, row i = passage i) are kept
 * beside the HNSW graph so the next ingest can reuse them for unchanged documents.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describeError, IndexError } from '../errors.ts';
import type { Passage } from '../corpus/passage.ts';
import { isEmptyLocation, type PassageLocation } from '../corpus/passage-location.ts';
import { writeFileSynced } from './durable-write.ts';

export const PASSAGES_FILE = 'passages.json';
export const RAW_VECTORS_FILE = 'vectors.f32';

type Row = [number, string, number, number, string, PassageLocation?];

export async function savePassages(dir: string, passages: readonly Passage[]): Promise<void> {
  const docs: Array<{ docId: string; title: string }> = [];
  const docIndex = new Map<string, number>();
  const rows: Row[] = passages.map((p) => {
    let d = docIndex.get(p.docId);
    if (d === undefined) {
      d = docs.push({ docId: p.docId, title: p.title }) - 1;
      docIndex.set(p.docId, d);
    }
    // Most passages of plain prose know no place beyond their heading: no empty object stored.
    return isEmptyLocation(p.loc) ? [d, p.heading, p.start, p.end, p.text] : [d, p.heading, p.start, p.end, p.text, p.loc];
  });
  await writeFileSynced(path.join(dir, PASSAGES_FILE), JSON.stringify({ documents: docs, passages: rows }));
}

export async function loadPassages(dir: string): Promise<Passage[]> {
  const file = path.join(dir, PASSAGES_FILE);
  let data: { documents: Array<{ docId: string; title: string }>; passages: Row[] };
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new IndexError('INDEX_CORRUPT', `${file} is ${missing ? 'missing' : 'damaged'}; rebuild with: npm run ingest -- --rebuild`, { cause });
  }
  if (!Array.isArray(data?.documents) || !Array.isArray(data?.passages)) {
    throw new IndexError('INDEX_CORRUPT', `${file} is damaged; rebuild with: npm run ingest -- --rebuild`);
  }
  return data.passages.map(([d, heading, start, end, text, loc], id) => {
    const doc = data.documents[d];
    if (!doc || typeof text !== 'string' || (loc !== undefined && (typeof loc !== 'object' || loc === null))) {
      throw new IndexError('INDEX_CORRUPT', `${file} row ${id} is damaged; rebuild with: npm run ingest -- --rebuild`);
    }
    return { id, docId: doc.docId, title: doc.title, heading, text, start, end, loc: loc ?? {} };
  });
}

/** Writes the raw vectors; returns the file's sha256, which the manifest keeps to check it on load. */
export async function saveRawVectors(dir: string, vectors: readonly Float32Array[], dimension: number): Promise<string> {
  const all = new Float32Array(vectors.length * dimension);
  vectors.forEach((v, i) => all.set(v, i * dimension));
  const bytes = new Uint8Array(all.buffer);
  await writeFileSynced(path.join(dir, RAW_VECTORS_FILE), bytes);
  return sha256(bytes);
}

export interface RawVectorsExpected {
  count: number;
  dimension: number;
  /** The manifest's checksum of the file; absent in indexes built before it was recorded. */
  sha256?: string;
}

// Vectors are L2-normalized by both adapters; float32 rounding leaves norms within ~1e-6 of 1,
// so 1e-3 only lets through what is a unit vector. A zero row is what l2Normalize leaves a
// zero vector as.
const NORM_TOLERANCE = 1e-3;

/**
 * The previous generation's raw vectors, or why they cannot be reused: missing, unreadable, of
 * the wrong size, not matching the manifest's checksum or (in older indexes without one) not
 * finite unit vectors. Every reason names the file. A vector reused unchecked would be copied
 * into every later generation, or fail the graph build with an error naming neither the file
 * nor the fix.
 */
export async function loadRawVectors(
  dir: string,
  expected: RawVectorsExpected,
): Promise<{ vectors: Float32Array[] } | { unusable: string }> {
  const file = path.join(dir, RAW_VECTORS_FILE);
  const { count, dimension } = expected;
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    return { unusable: `${file} ${missing ? 'is missing' : `cannot be read (${describeError(err)})`}` };
  }
  if (buf.length !== count * dimension * 4) {
    return { unusable: `${file} is ${buf.length} bytes, expected ${count * dimension * 4} (${count} vectors of ${dimension})` };
  }
  if (expected.sha256 !== undefined && sha256(buf) !== expected.sha256) {
    return { unusable: `${file} does not match the checksum in the manifest (damaged or replaced)` };
  }
  const all = new Float32Array(count * dimension);
  new Uint8Array(all.buffer).set(buf);
  const vectors = Array.from({ length: count }, (_, i) => all.subarray(i * dimension, (i + 1) * dimension));
  // A matching checksum says the file is what the last ingest wrote; only older indexes, written
  // before the manifest kept one, need their values checked.
  if (expected.sha256 !== undefined) return { vectors };
  for (const [i, v] of vectors.entries()) {
    let sum = 0;
    for (const x of v) sum += x * x;
    if (!Number.isFinite(sum)) return { unusable: `${file} vector ${i} is not finite` };
    const norm = Math.sqrt(sum);
    if (norm !== 0 && Math.abs(norm - 1) > NORM_TOLERANCE) {
      return { unusable: `${file} vector ${i} has length ${norm.toPrecision(4)}, not 1` };
    }
  }
  return { vectors };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
