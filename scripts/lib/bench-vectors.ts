/**
 * The dense index at the real model's width (bge-small-zh: 512 dimensions) without the model:
 * seeded, clustered unit vectors, one per passage. Measures the HNSW build through our
 * VectorIndex, its search time and recall@10 against exact search (hnswlib's brute force, the
 * reference time), and a sweep of ef on the same saved graph so the default can be justified.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import type { Embedder } from '../../src/embed/embedder.ts';
import { TongxinError } from '../../src/errors.ts';
import { DEFAULT_VECTOR_INDEX_OPTIONS, VECTOR_INDEX_FILE, VectorIndex } from '../../src/index/vector-index.ts';
import { seededRandom, type Random } from './bench-random.ts';
import { summarize, type TimeSummary } from './bench-stats.ts';

const { BruteforceSearch, HierarchicalNSW } = hnswlib;

export interface ClusteredVectorsOptions {
  count: number;
  dimension: number;
  seed: number;
}

/**
 * A two-level Gaussian mixture: topics, subtopics around them, points around subtopics, all
 * normalised. The spreads were picked so that ef 32 visibly loses recall (the task is not
 * trivially easy) while neighbours still mean something, as with real embeddings, whose nearest
 * passages share a topic. Returns a generator so queries come from the same distribution.
 */
export function clusteredVectorSource(options: ClusteredVectorsOptions): { next(): Float32Array } {
  const { count, dimension, seed } = options;
  const rnd = seededRandom(seed);
  const topics = Array.from({ length: Math.max(4, Math.round(count / 2000)) }, () => unit(noise(rnd, dimension, 1)));
  const subtopics = Array.from({ length: Math.max(8, Math.round(count / 50)) }, (_, i) =>
    unit(add(topics[i % topics.length]!, noise(rnd, dimension, 0.9))),
  );
  return { next: () => unit(add(subtopics[rnd.int(subtopics.length)]!, noise(rnd, dimension, 1.75))) };
}

/**
 * Stands in for the embedding model when a dense knowledge base is loaded without one: each
 * question gets a seeded random unit vector (seed: FNV-1a of its text). It holds no state, so a
 * process's memory is the knowledge base's alone; which passages it finds does not matter there.
 */
export function randomQueryEmbedder(id: string, dimension: number): Embedder {
  return {
    id,
    dimension: async () => dimension,
    embedPassages: async () => {
      throw new TongxinError('BAD_INPUT', 'bench: the random query embedder embeds questions only');
    },
    embedQuery: async (text) => {
      let h = 0x811c9dc5;
      for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
      const rnd = seededRandom(h >>> 0);
      return unit(Float32Array.from({ length: dimension }, () => rnd.gaussian()));
    },
  };
}

export interface VectorBenchOptions {
  count: number;
  dimension: number;
  queries: number;
  k: number;
  efs: number[];
  /** Extra, smaller builds to show how build time grows; each is a fraction of `count`. */
  growth: number[];
  seed: number;
  /** Parent of the folder the graph is saved in; default the OS temp folder. */
  workDir?: string;
}

export interface VectorBenchReport {
  count: number;
  dimension: number;
  queries: number;
  k: number;
  M: number;
  efConstruction: number;
  ef: number;
  buildMs: number;
  /** vectors.hnsw on disk. */
  bytes: number;
  bytesPerVector: number;
  /** Search through VectorIndex at the default ef, ms per query. */
  search: TimeSummary;
  recall: number;
  /** Exact search over the same vectors (hnswlib's brute force), ms per query. */
  bruteForce: TimeSummary;
  sweep: Array<{ ef: number; recall: number; search: TimeSummary }>;
  growth: Array<{ count: number; buildMs: number }>;
  /** Folder holding the saved graph, for the memory probe; the caller removes it. */
  dir: string;
}

export async function benchVectors(options: VectorBenchOptions, log: (msg: string) => void): Promise<VectorBenchReport> {
  const { count, dimension, queries, k } = options;
  const source = clusteredVectorSource({ count, dimension, seed: options.seed });
  const vectors = Array.from({ length: count }, () => source.next());
  const queryVectors = Array.from({ length: queries }, () => source.next());
  const labels = vectors.map((_, i) => i);

  log(`vectors: building HNSW over ${count} x ${dimension}`);
  let t = performance.now();
  const index = VectorIndex.build(vectors, labels);
  const buildMs = performance.now() - t;
  const dir = await mkdtemp(path.join(options.workDir ?? os.tmpdir(), 'tongxin-bench-vectors-'));
  await index.save(dir);
  const bytes = (await stat(path.join(dir, VECTOR_INDEX_FILE))).size;

  log('vectors: exact search');
  const exact = new BruteforceSearch('cosine', dimension);
  exact.initIndex(count);
  vectors.forEach((v, i) => exact.addPoint(Array.from(v), i));
  const truth: number[][] = [];
  const bruteTimes: number[] = [];
  for (const q of queryVectors) {
    t = performance.now();
    const { neighbors } = exact.searchKnn(Array.from(q), k);
    bruteTimes.push(performance.now() - t);
    truth.push(neighbors);
  }

  const searchTimes: number[] = [];
  const found: number[][] = [];
  for (const q of queryVectors) {
    t = performance.now();
    const hits = index.search(q, k);
    searchTimes.push(performance.now() - t);
    found.push(hits.map((h) => h.id));
  }

  // The sweep reads the very graph VectorIndex saved and only changes ef, a search-time setting.
  const raw = new HierarchicalNSW('cosine', dimension);
  await raw.readIndex(path.join(dir, VECTOR_INDEX_FILE));
  const sweep: VectorBenchReport['sweep'] = [];
  for (const ef of options.efs) {
    raw.setEf(ef);
    const times: number[] = [];
    const got: number[][] = [];
    for (const q of queryVectors) {
      t = performance.now();
      const { neighbors } = raw.searchKnn(Array.from(q), k);
      times.push(performance.now() - t);
      got.push(neighbors);
    }
    sweep.push({ ef, recall: recallAt(got, truth, k), search: summarize(times) });
  }

  const growth: VectorBenchReport['growth'] = [];
  for (const share of options.growth) {
    const n = Math.max(1, Math.round(count * share));
    log(`vectors: building HNSW over ${n} for the growth curve`);
    t = performance.now();
    VectorIndex.build(vectors.slice(0, n), labels.slice(0, n));
    growth.push({ count: n, buildMs: round(performance.now() - t) });
  }
  growth.push({ count, buildMs: round(buildMs) });

  return {
    count,
    dimension,
    queries,
    k,
    ...DEFAULT_VECTOR_INDEX_OPTIONS,
    buildMs: round(buildMs),
    bytes,
    bytesPerVector: Math.round(bytes / Math.max(1, count)),
    search: summarize(searchTimes),
    recall: recallAt(found, truth, k),
    bruteForce: summarize(bruteTimes),
    sweep,
    growth,
    dir,
  };
}

export async function removeVectorDir(report: Pick<VectorBenchReport, 'dir'>): Promise<void> {
  await rm(report.dir, { recursive: true, force: true });
}

/** Mean share of the exact top k found. */
export function recallAt(found: number[][], truth: number[][], k: number): number {
  if (!truth.length) return 0;
  let hit = 0;
  truth.forEach((want, i) => {
    const got = new Set(found[i] ?? []);
    for (const id of want.slice(0, k)) if (got.has(id)) hit++;
  });
  return Math.round((hit / (truth.length * k)) * 10000) / 10000;
}

function noise(rnd: Random, dimension: number, scale: number): Float32Array {
  // Each coordinate N(0, scale²/d): the whole vector has length ≈ scale.
  const s = scale / Math.sqrt(dimension);
  const v = new Float32Array(dimension);
  for (let i = 0; i < dimension; i++) v[i] = rnd.gaussian() * s;
  return v;
}

function add(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! + b[i]!;
  return out;
}

function unit(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  for (let i = 0; i < v.length; i++) v[i] = v[i]! / n;
  return v;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
