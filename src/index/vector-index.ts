/**
 * The dense index: an HNSW graph (hnswlib-node) in cosine space over passage vectors. Built once
 * at ingest, saved beside the other index files, loaded once by the answering side.
 *
 * On disk: `vectors.hnsw` (hnswlib's own format) and `vectors.json` (dimension, count, build
 * parameters, the file's byte size, and the passage ids when they are not simply 0..n-1).
 * hnswlib labels are the positions 0..n-1; the JSON maps them back to passage ids, so any
 * integer id works.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { describeError, IndexError, TongxinError } from '../errors.ts';
import { syncFile, writeFileSynced } from './durable-write.ts';

const { HierarchicalNSW } = hnswlib;
type Hnsw = InstanceType<typeof HierarchicalNSW>;

export const VECTOR_INDEX_FILE = 'vectors.hnsw';
export const VECTOR_META_FILE = 'vectors.json';
const FORMAT = 'tongxin-hnsw';
const FORMAT_VERSION = 1;
/** hnswlib's own default seed; fixed so the same vectors give the same graph. */
const RANDOM_SEED = 100;

export interface VectorIndexOptions {
  /**
   * Links per node. Default 16: hnswlib's ALGO_PARAMS.md calls 12-48 fine for most uses and 16
   * its usual default; higher costs memory for recall we do not need at corpus scale.
   */
  M?: number;
  /** Build-time candidate list. Default 200, the value of hnswlib's README example. */
  efConstruction?: number;
  /**
   * Search-time candidate list (hnswlib uses max(ef, k)). Default 64: several times k=10, which
   * the benchmark checks keeps recall@10 >= 0.98 at 512 dimensions.
   */
  ef?: number;
}

export const DEFAULT_VECTOR_INDEX_OPTIONS: Required<VectorIndexOptions> = { M: 16, efConstruction: 200, ef: 64 };

export interface VectorHit {
  /** Passage id (the label given at build). */
  id: number;
  /** Cosine similarity, 1 - hnswlib's cosine distance. */
  score: number;
}

interface VectorMeta {
  format: typeof FORMAT;
  version: number;
  space: 'cosine';
  dimension: number;
  count: number;
  M: number;
  efConstruction: number;
  ef: number;
  /** Size of vectors.hnsw, to catch a truncated copy before hnswlib reads it. */
  bytes: number;
  /** Passage id of each position; absent when ids are 0..count-1. */
  labels?: number[];
}

export class VectorIndex {
  private constructor(
    private readonly hnsw: Hnsw | null,
    /** Passage id of each hnswlib label; null when label === id. */
    private readonly labels: number[] | null,
    readonly dimension: number,
    readonly count: number,
    private readonly options: Required<VectorIndexOptions>,
  ) {}

  /**
   * Builds the graph. `labels[i]` is the passage id of `vectors[i]`; ids must be unique
   * integers. An empty list gives an empty index (`dimension` 0) whose searches return nothing.
   */
  static build(vectors: Float32Array[], labels: number[], options: VectorIndexOptions = {}): VectorIndex {
    const opts = { ...DEFAULT_VECTOR_INDEX_OPTIONS, ...options };
    if (vectors.length !== labels.length) {
      throw new TongxinError('BAD_INPUT', `VectorIndex: ${vectors.length} vectors but ${labels.length} labels`);
    }
    const seen = new Set<number>();
    for (const id of labels) {
      if (!Number.isSafeInteger(id)) throw new TongxinError('BAD_INPUT', `VectorIndex: label ${id} is not an integer`);
      if (seen.has(id)) throw new TongxinError('BAD_INPUT', `VectorIndex: duplicate label ${id}`);
      seen.add(id);
    }
    const dense = labels.every((id, i) => id === i);
    if (vectors.length === 0) return new VectorIndex(null, null, 0, 0, opts);

    const dimension = vectors[0]!.length;
    const hnsw = new HierarchicalNSW('cosine', dimension);
    hnsw.initIndex({ maxElements: vectors.length, m: opts.M, efConstruction: opts.efConstruction, randomSeed: RANDOM_SEED });
    vectors.forEach((v, i) => {
      if (v.length !== dimension) {
        throw new TongxinError('BAD_INPUT', `VectorIndex: vector ${i} has ${v.length} dimensions, expected ${dimension}`);
      }
      if (!v.every(Number.isFinite)) throw new TongxinError('BAD_INPUT', `VectorIndex: vector ${i} is not finite`);
      // hnswlib-node accepts plain arrays only.
      hnsw.addPoint(Array.from(v), i);
    });
    hnsw.setEf(opts.ef);
    return new VectorIndex(hnsw, dense ? null : [...labels], dimension, vectors.length, opts);
  }

  /** The `k` nearest passages, best first; fewer when the index holds fewer. */
  search(query: Float32Array, k: number): VectorHit[] {
    if (!this.hnsw || this.count === 0 || k <= 0) return [];
    if (query.length !== this.dimension) {
      throw new TongxinError('BAD_INPUT', `VectorIndex: query has ${query.length} dimensions, index has ${this.dimension}`);
    }
    // hnswlib rejects k above the element count.
    const { neighbors, distances } = this.hnsw.searchKnn(Array.from(query), Math.min(k, this.count));
    return neighbors.map((label, i) => ({
      id: this.labels ? this.labels[label]! : label,
      score: 1 - distances[i]!,
    }));
  }

  async save(dir: string): Promise<void> {
    const file = path.join(dir, VECTOR_INDEX_FILE);
    const metaFile = path.join(dir, VECTOR_META_FILE);
    try {
      let bytes = 0;
      if (this.hnsw) {
        await this.hnsw.writeIndex(file);
        // hnswlib does not fsync; the manifest swap must not point at a half-flushed graph.
        bytes = await syncFile(file);
      }
      const meta: VectorMeta = {
        format: FORMAT,
        version: FORMAT_VERSION,
        space: 'cosine',
        dimension: this.dimension,
        count: this.count,
        M: this.options.M,
        efConstruction: this.options.efConstruction,
        ef: this.options.ef,
        bytes,
        ...(this.labels ? { labels: this.labels } : {}),
      };
      await writeFileSynced(metaFile, JSON.stringify(meta) + '\n');
    } catch (cause) {
      throw new IndexError('INDEX_WRITE_FAILED', `cannot write the vector index in ${dir}: ${describeError(cause)}`, { cause });
    }
  }

  /** Loads what `save` wrote. A missing, truncated or mismatched file is INDEX_CORRUPT naming it. */
  static async load(dir: string): Promise<VectorIndex> {
    const file = path.join(dir, VECTOR_INDEX_FILE);
    const metaFile = path.join(dir, VECTOR_META_FILE);
    const corrupt = (which: string, why: string, cause?: unknown) =>
      new IndexError('INDEX_CORRUPT', `vector index file ${which} ${why}; rebuild with: npm run ingest -- --rebuild`, { cause });

    let meta: VectorMeta;
    try {
      meta = JSON.parse(await readFile(metaFile, 'utf8')) as VectorMeta;
    } catch (cause) {
      throw corrupt(metaFile, `is missing or unreadable (${describeError(cause)})`, cause);
    }
    if (meta.format !== FORMAT || meta.version !== FORMAT_VERSION) {
      throw new IndexError(
        'INDEX_INCOMPATIBLE',
        `vector index ${metaFile} is format ${String(meta.format)} v${String(meta.version)}, this version reads ${FORMAT} v${FORMAT_VERSION}; rebuild with: npm run ingest -- --rebuild`,
      );
    }
    const { dimension, count } = meta;
    if (!Number.isSafeInteger(count) || count < 0 || !Number.isSafeInteger(dimension) || dimension < 0) {
      throw corrupt(metaFile, 'has an invalid count or dimension');
    }
    if (meta.labels !== undefined && (!Array.isArray(meta.labels) || meta.labels.length !== count)) {
      throw corrupt(metaFile, `has ${meta.labels?.length} labels for ${count} vectors`);
    }
    const options = { M: meta.M, efConstruction: meta.efConstruction, ef: meta.ef };
    if (count === 0) return new VectorIndex(null, null, dimension, 0, options);

    let size: number;
    try {
      size = (await stat(file)).size;
    } catch (cause) {
      throw corrupt(file, `is missing (${describeError(cause)})`, cause);
    }
    if (size !== meta.bytes) throw corrupt(file, `is ${size} bytes, expected ${meta.bytes} (truncated or replaced)`);

    const hnsw = new HierarchicalNSW('cosine', dimension);
    try {
      await hnsw.readIndex(file);
    } catch (cause) {
      throw corrupt(file, `cannot be read (${describeError(cause)})`, cause);
    }
    if (hnsw.getCurrentCount() !== count) {
      throw corrupt(file, `holds ${hnsw.getCurrentCount()} vectors, ${metaFile} says ${count}`);
    }
    hnsw.setEf(meta.ef);
    return new VectorIndex(hnsw, meta.labels ?? null, dimension, count, options);
  }
}
