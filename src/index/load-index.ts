/**
 * Reads the current generation of an index directory into memory: passages, BM25 postings and,
 * when present, the HNSW graph. Everything is loaded once; questions never touch the disk.
 */
import path from 'node:path';
import type { Passage } from '../corpus/passage.ts';
import { IndexError } from '../errors.ts';
import { LEXICAL_FORMAT, LexicalIndex } from './lexical-index.ts';
import { readManifest, type Manifest } from './manifest.ts';
import { CHUNKER_VERSION } from '../corpus/chunk.ts';
import { loadPassages, PASSAGES_FILE } from './passage-store.ts';
import { VectorIndex } from './vector-index.ts';

export interface LoadedIndex {
  manifest: Manifest;
  passages: Passage[];
  lexical: LexicalIndex;
  vectors: VectorIndex | null;
  /** part/parts of each passage within its document. */
  parts: Array<{ part: number; parts: number }>;
}

export interface LoadIndexOptions {
  withVectors: boolean;
  /**
   * The manifest the caller has already read and checked (its embedding model), so the index
   * loaded is the one checked: read again here, an ingest finishing in between could put
   * another model's vectors behind the check. Default: read from `indexDir`.
   */
  manifest?: Manifest;
}

export async function loadIndex(indexDir: string, options: LoadIndexOptions): Promise<LoadedIndex> {
  const manifest = options.manifest ?? (await readManifest(indexDir));
  if (!manifest) {
    throw new IndexError('INDEX_MISSING', `no knowledge base in ${indexDir}; build it with: npm run ingest`);
  }
  if (manifest.chunkerVersion !== CHUNKER_VERSION || manifest.lexicalFormat !== LEXICAL_FORMAT) {
    throw new IndexError(
      'INDEX_INCOMPATIBLE',
      `${indexDir} was built by another version of Tongxin; rebuild with: npm run ingest -- --rebuild`,
    );
  }
  const dir = path.join(indexDir, manifest.generation);
  const [passages, lexical, vectors] = await Promise.all([
    loadPassages(dir),
    LexicalIndex.load(dir),
    options.withVectors && manifest.embedding ? VectorIndex.load(dir) : Promise.resolve(null),
  ]);
  if (passages.length !== manifest.passages || lexical.size !== manifest.passages) {
    // Name the file that disagrees with the manifest (a stale copy from another build).
    const files = [
      ...(passages.length !== manifest.passages ? [path.join(dir, PASSAGES_FILE)] : []),
      ...(lexical.size !== manifest.passages ? [path.join(dir, 'lexical.json')] : []),
    ];
    throw new IndexError(
      'INDEX_CORRUPT',
      `${files.join(' and ')} do not match the manifest: ${passages.length} passages and ${lexical.size} index rows, the manifest says ${manifest.passages}; rebuild with: npm run ingest -- --rebuild`,
    );
  }
  const parts: LoadedIndex['parts'] = new Array(passages.length);
  for (const d of manifest.documents) {
    for (let i = 0; i < d.passages; i++) parts[d.firstPassage + i] = { part: i + 1, parts: d.passages };
  }
  return { manifest, passages, lexical, vectors, parts };
}
