/**
 * Okapi BM25 over passages, built once at ingest and loaded once (STYLE habit 4).
 *
 * Our own rather than MiniSearch: MiniSearch scores with BM25+ (not the Okapi BM25 the CMRC
 * reference uses) and saves its radix tree as one JSON document, while postings here are flat
 * typed arrays in one binary file that load without parsing; the term table is JSON. Scoring
 * touches only the postings of the question's terms. At 20,000 documents a question takes
 * 0.17 ms against SQLite FTS5's 2.1 ms on the same tokens (docs/BENCHMARKS.md).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { IndexError } from '../errors.ts';
import { writeFileSynced } from './durable-write.ts';

/** Bump when the file layout or the tokenizer changes; older indexes are then refused. */
export const LEXICAL_FORMAT = 3;

/** Robertson & Zaragoza's usual values; the CMRC reference figures use the same. */
const K1 = 1.2;
const B = 0.75;

export interface LexicalHit {
  id: number;
  score: number;
}

interface LexicalMeta {
  format: number;
  count: number;
  avgLength: number;
  terms: string[];
  /** offsets[i]..offsets[i+1] is term i's slice of the postings arrays. */
  offsets: number[];
}

export class LexicalIndex {
  private readonly termIndex: Map<string, number>;
  private scratch: Float64Array;

  private constructor(
    private readonly meta: LexicalMeta,
    private readonly ids: Uint32Array,
    private readonly tfs: Uint16Array,
    private readonly lengths: Uint32Array,
  ) {
    this.termIndex = new Map(meta.terms.map((t, i) => [t, i]));
    this.scratch = new Float64Array(meta.count);
  }

  get size(): number {
    return this.meta.count;
  }

  /** `docs[i]` holds the tokens of passage i (ids are dense, 0..n-1). */
  static build(docs: readonly string[][]): LexicalIndex {
    return LexicalIndex.fromTokens(docs.length, (id) => docs[id]!);
  }

  /**
   * Builds from one passage's tokens at a time, so ingest never holds every passage's tokens at
   * once (at 20,000 documents that was most of its 857 MB peak; docs/BENCHMARKS.md). Postings
   * grow as flat [id, tf, id, tf …] number arrays, cheaper than an array per pair.
   */
  static fromTokens(count: number, tokensOf: (id: number) => readonly string[]): LexicalIndex {
    const postings = new Map<string, number[]>();
    const lengths = new Uint32Array(count);
    let total = 0;
    const tf = new Map<string, number>();
    for (let id = 0; id < count; id++) {
      const tokens = tokensOf(id);
      lengths[id] = tokens.length;
      total += tokens.length;
      tf.clear();
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [t, n] of tf) {
        let list = postings.get(t);
        if (!list) postings.set(t, (list = []));
        list.push(id, Math.min(n, 0xffff));
      }
    }
    const terms = [...postings.keys()].sort();
    const offsets = [0];
    let size = 0;
    for (const t of terms) offsets.push((size += postings.get(t)!.length / 2));
    const ids = new Uint32Array(size);
    const tfs = new Uint16Array(size);
    terms.forEach((t, i) => {
      let at = offsets[i]!;
      const list = postings.get(t)!;
      for (let j = 0; j < list.length; j += 2) {
        ids[at] = list[j]!;
        tfs[at++] = list[j + 1]!;
      }
      postings.delete(t); // free as we go
    });
    const meta: LexicalMeta = {
      format: LEXICAL_FORMAT,
      count,
      avgLength: count ? total / count : 0,
      terms,
      offsets,
    };
    return new LexicalIndex(meta, ids, tfs, lengths);
  }

  /** Document frequency of a term (0 when unknown); used to explain and to weigh sentences. */
  df(term: string): number {
    const i = this.termIndex.get(term);
    return i === undefined ? 0 : this.meta.offsets[i + 1]! - this.meta.offsets[i]!;
  }

  /** BM25 idf with the +1 inside the log so that very common terms never score negative. */
  idf(term: string): number {
    const df = this.df(term);
    const n = this.meta.count;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  search(queryTokens: readonly string[], k: number): LexicalHit[] {
    if (k <= 0 || this.meta.count === 0) return [];
    const weights = new Map<string, number>();
    for (const t of queryTokens) weights.set(t, (weights.get(t) ?? 0) + 1);
    const scores = this.scratch;
    const touched: number[] = [];
    const avg = this.meta.avgLength || 1;
    for (const [term, qtf] of weights) {
      const ti = this.termIndex.get(term);
      if (ti === undefined) continue;
      const from = this.meta.offsets[ti]!;
      const to = this.meta.offsets[ti + 1]!;
      const idf = this.idf(term) * qtf;
      for (let p = from; p < to; p++) {
        const id = this.ids[p]!;
        const tf = this.tfs[p]!;
        const norm = K1 * (1 - B + (B * this.lengths[id]!) / avg);
        if (scores[id] === 0) touched.push(id);
        scores[id] = scores[id]! + (idf * tf * (K1 + 1)) / (tf + norm);
      }
    }
    // Keep the best k with a small insertion-sorted buffer: k is tiny next to `touched`.
    // Ties go to the lower id so results are deterministic.
    const better = (a: LexicalHit, b: LexicalHit) => a.score > b.score || (a.score === b.score && a.id < b.id);
    const top: LexicalHit[] = [];
    for (const id of touched) {
      const hit = { id, score: scores[id]! };
      scores[id] = 0;
      let at: number;
      if (top.length < k) {
        top.push(hit);
        at = top.length - 1;
      } else if (better(hit, top[k - 1]!)) {
        top[k - 1] = hit;
        at = k - 1;
      } else continue;
      while (at > 0 && better(top[at]!, top[at - 1]!)) {
        [top[at], top[at - 1]] = [top[at - 1]!, top[at]!];
        at--;
      }
    }
    return top;
  }

  async save(dir: string): Promise<void> {
    const header = Buffer.from(
      JSON.stringify({ ...this.meta, postings: this.ids.length }),
      'utf8',
    );
    await writeFileSynced(path.join(dir, 'lexical.json'), header);
    const bin = Buffer.concat([
      Buffer.from(this.ids.buffer, this.ids.byteOffset, this.ids.byteLength),
      Buffer.from(this.lengths.buffer, this.lengths.byteOffset, this.lengths.byteLength),
      Buffer.from(this.tfs.buffer, this.tfs.byteOffset, this.tfs.byteLength),
    ]);
    await writeFileSynced(path.join(dir, 'lexical.bin'), bin);
  }

  static async load(dir: string): Promise<LexicalIndex> {
    const metaPath = path.join(dir, 'lexical.json');
    const binPath = path.join(dir, 'lexical.bin');
    let meta: LexicalMeta & { postings: number };
    let bin: Buffer;
    try {
      meta = JSON.parse(await readFile(metaPath, 'utf8'));
      bin = await readFile(binPath);
    } catch (cause) {
      throw corrupt(isMissing(cause) ? `${missingFile(cause, metaPath, binPath)} is missing` : `${metaPath} is unreadable`, cause);
    }
    if (meta.format !== LEXICAL_FORMAT) {
      throw new IndexError(
        'INDEX_INCOMPATIBLE',
        `${metaPath} has lexical format ${meta.format}, this version reads ${LEXICAL_FORMAT}; rebuild with: npm run ingest -- --rebuild`,
      );
    }
    const n = meta.postings;
    const expected = n * 4 + meta.count * 4 + n * 2;
    if (
      !Array.isArray(meta.terms) ||
      !Array.isArray(meta.offsets) ||
      meta.offsets.length !== meta.terms.length + 1 ||
      meta.offsets[meta.offsets.length - 1] !== n ||
      bin.length !== expected
    ) {
      throw corrupt(`${binPath} does not match ${metaPath} (${bin.length} bytes, expected ${expected})`);
    }
    // Copy into aligned typed arrays: a Buffer from readFile may sit at an unaligned offset.
    const ab = new ArrayBuffer(bin.length);
    new Uint8Array(ab).set(bin);
    const ids = new Uint32Array(ab, 0, n);
    const lengths = new Uint32Array(ab, n * 4, meta.count);
    const tfs = new Uint16Array(ab, n * 4 + meta.count * 4, n);
    const damage = postingsDamage(meta, ids, tfs, lengths);
    if (damage) throw corrupt(`${binPath} is damaged (${damage})`);
    return new LexicalIndex(meta, ids, tfs, lengths);
  }
}

/**
 * A garbled lexical.bin of the right size passes the size check, and its ids would index past
 * the passages at question time. One linear pass over what build() guarantees catches it.
 */
function postingsDamage(meta: LexicalMeta, ids: Uint32Array, tfs: Uint16Array, lengths: Uint32Array): string | null {
  const tfSum = new Float64Array(meta.count);
  for (let t = 0; t < meta.terms.length; t++) {
    const from = meta.offsets[t]!;
    const to = meta.offsets[t + 1]!;
    if (!Number.isInteger(from) || from < 0 || to < from) return `term ${t} has offsets ${from}..${to}`;
    for (let p = from; p < to; p++) {
      const id = ids[p]!;
      // build() writes each term's ids in increasing passage order, every tf at least 1.
      if (id >= meta.count || (p > from && id <= ids[p - 1]!) || tfs[p]! === 0) return `posting ${p} is out of order or range`;
      tfSum[id] = tfSum[id]! + tfs[p]!;
    }
  }
  let total = 0;
  for (let id = 0; id < meta.count; id++) {
    if (tfSum[id]! > lengths[id]!) return `passage ${id} length ${lengths[id]} is below its term counts`;
    total += lengths[id]!;
  }
  const avg = meta.count ? total / meta.count : 0;
  if (Math.abs(avg - meta.avgLength) > 1e-6 * Math.max(1, avg)) return `average length ${avg} differs from ${meta.avgLength}`;
  return null;
}

function corrupt(message: string, cause?: unknown): IndexError {
  return new IndexError('INDEX_CORRUPT', `${message}; rebuild with: npm run ingest -- --rebuild`, { cause });
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ENOENT';
}

function missingFile(err: unknown, ...candidates: string[]): string {
  const p = (err as NodeJS.ErrnoException).path;
  return candidates.find((c) => c === p) ?? p ?? candidates[0]!;
}
