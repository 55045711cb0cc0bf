/**
 * Passages and their raw vectors on disk. Titles are stored once per document; a passage row is
 * `[documentIndex, heading, start, end, text]`. Raw vectors (float32, row i = passage i) are kept
 * beside the HNSW graph so the next ingest can reuse them for unchanged documents.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { IndexError } from '../errors.ts';
import type { Passage } from '../corpus/passage.ts';
import { writeFileSynced } from './durable-write.ts';

export const PASSAGES_FILE = 'passages.json';
export const RAW_VECTORS_FILE = 'vectors.f32';

type Row = [number, string, number, number, string];

export async function savePassages(dir: string, passages: readonly Passage[]): Promise<void> {
  const docs: Array<{ docId: string; title: string }> = [];
  const docIndex = new Map<string, number>();
  const rows: Row[] = passages.map((p) => {
    let d = docIndex.get(p.docId);
    if (d === undefined) {
      d = docs.push({ docId: p.docId, title: p.title }) - 1;
      docIndex.set(p.docId, d);
    }
    return [d, p.heading, p.start, p.end, p.text];
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
  return data.passages.map(([d, heading, start, end, text], id) => {
    const doc = data.documents[d];
    if (!doc || typeof text !== 'string') {
      throw new IndexError('INDEX_CORRUPT', `${file} row ${id} is damaged; rebuild with: npm run ingest -- --rebuild`);
    }
    return { id, docId: doc.docId, title: doc.title, heading, text, start, end };
  });
}

export async function saveRawVectors(dir: string, vectors: readonly Float32Array[], dimension: number): Promise<void> {
  const all = new Float32Array(vectors.length * dimension);
  vectors.forEach((v, i) => all.set(v, i * dimension));
  await writeFileSynced(path.join(dir, RAW_VECTORS_FILE), new Uint8Array(all.buffer));
}

/** Returns null when the file is absent or does not hold `count` rows (then nothing is reused). */
export async function loadRawVectors(dir: string, count: number, dimension: number): Promise<Float32Array[] | null> {
  let buf: Buffer;
  try {
    buf = await readFile(path.join(dir, RAW_VECTORS_FILE));
  } catch {
    return null;
  }
  if (buf.length !== count * dimension * 4) return null;
  const all = new Float32Array(count * dimension);
  new Uint8Array(all.buffer).set(buf);
  return Array.from({ length: count }, (_, i) => all.subarray(i * dimension, (i + 1) * dimension));
}
