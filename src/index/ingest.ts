/**
 * Ingest: corpus folder -> a new index generation, swapped in atomically.
 *
 * Safety: the lock keeps a second ingest out; everything is written into a fresh `gen-*` folder
 * and only then does the manifest's atomic rename make it current. An ingest killed at any point
 * leaves the previous manifest pointing at an intact generation. The previous generation is kept
 * (a process may be loading it right now); older ones are removed.
 *
 * Incremental: a document whose raw bytes hash the same as last time keeps its passages and
 * vectors from the previous generation; it is neither parsed, chunked nor embedded again.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';
import type { DroppedCounts } from '../corpus/source-mark.ts';
import { chunkDocument, CHUNKER_VERSION, DEFAULT_CHUNK_OPTIONS, type ChunkOptions } from '../corpus/chunk.ts';
import { hashContent } from '../corpus/content-hash.ts';
import { isSupported, loadDocument } from '../corpus/load-document.ts';
import { classifyLoadFailure } from '../corpus/load-failure.ts';
import { passageEmbeddingText, type Passage } from '../corpus/passage.ts';
import { paddleOcrReader, type OcrReader } from '../corpus/ocr/ocr-reader.ts';
import { embedderFromConfig } from '../embed/create-embedder.ts';
import type { Embedder } from '../embed/embedder.ts';
import { describeError, EmbeddingError, IndexError, TongxinError } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { listCorpusFiles } from './corpus-walk.ts';
import { syncDir } from './durable-write.ts';
import { acquireIndexLock } from './index-lock.ts';
import { LEXICAL_FORMAT, LexicalIndex } from './lexical-index.ts';
import {
  INDEX_FORMAT_VERSION,
  isManifestTemp,
  readManifest,
  writeManifestAtomic,
  type Manifest,
  type ManifestDocument,
} from './manifest.ts';
import { loadPassages, loadRawVectors, savePassages, saveRawVectors } from './passage-store.ts';
import { passageTokens } from './passage-tokens.ts';
import { VectorIndex } from './vector-index.ts';

export interface IngestOptions {
  corpusDir: string;
  indexDir: string;
  config: Config;
  logger?: Logger;
  /**
   * The embedder to use: `undefined` creates one from config, `null` means lexical only.
   * Tests pass the tiny model's embedder.
   */
  embedder?: Embedder | null;
  /**
   * Reads scans and photos: `undefined` follows OCR in config (auto: the PaddleOCR reader), `null`
   * means OCR is off. Tests pass a reader that counts its pages.
   */
  ocr?: OcrReader | null;
  /** Ignore the previous generation: re-read and re-embed everything. */
  rebuild?: boolean;
  /** Passage sizes; the defaults were chosen on the eval (docs/EVALUATION.md). */
  chunking?: Partial<ChunkOptions>;
  /** Progress of the long phases, for a progress bar. */
  onProgress?: (phase: 'read' | 'ocr' | 'embed' | 'index', done: number, total: number) => void;
}

export interface IngestReport {
  docs: number;
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  skipped: Array<{ path: string; reason: string }>;
  passages: number;
  /** Every document indexed: its title, passages and what its loader dropped on purpose. */
  documents: Array<{ path: string; title: string; format?: string; passages: number; dropped: DroppedCounts }>;
  dense: boolean;
  /** False when nothing changed and the current generation was kept as it is. */
  written: boolean;
  generation: string;
  seconds: number;
}

interface DocEntry {
  meta: Omit<ManifestDocument, 'firstPassage' | 'passages'>;
  passages: Array<Omit<Passage, 'id'>>;
  /** Vectors carried over from the previous generation, one per passage, when reusable. */
  vectors: Float32Array[] | null;
}

export async function ingest(options: IngestOptions): Promise<IngestReport> {
  const started = performance.now();
  const { corpusDir, indexDir, config } = options;
  const logger = options.logger ?? silentLogger;
  const progress = options.onProgress ?? (() => {});
  const ocr = options.ocr !== undefined ? options.ocr : config.ocr === 'off' ? null : paddleOcrReader();

  const corpusStat = await stat(corpusDir).catch(() => null);
  if (!corpusStat?.isDirectory()) {
    throw new TongxinError('BAD_INPUT', `corpus folder ${corpusDir} does not exist; set CORPUS_DIR or pass --corpus`);
  }
  try {
    await mkdir(indexDir, { recursive: true });
  } catch (cause) {
    throw new IndexError('INDEX_WRITE_FAILED', `cannot create index folder ${indexDir}: ${describeError(cause)}`, { cause });
  }
  const lock = await acquireIndexLock(indexDir, logger);
  // An embedder made here from config is closed here; one passed in belongs to the caller.
  let created: Embedder | null = null;
  try {
    const chunking: ChunkOptions = { ...DEFAULT_CHUNK_OPTIONS, ...options.chunking };
    const current = await readPreviousManifest(indexDir, logger);
    // Passages made with other sizes cannot be reused.
    const sameChunking = JSON.stringify(current?.chunking ?? DEFAULT_CHUNK_OPTIONS) === JSON.stringify(chunking);
    const previous = options.rebuild || !sameChunking ? null : current;
    const embedder = options.embedder === undefined ? (created = await embedderFromConfig(config, logger)) : options.embedder;
    const dense = embedder ? await probeEmbedder(embedder, logger) : null;
    const reuseVectors = Boolean(dense && previous?.embedding?.id === embedder?.id && previous?.embedding?.dimension === dense.dimension);

    // Previous generation's passages and vectors, loaded only when some document is unchanged.
    const prevDocs = new Map(previous?.documents.map((d) => [d.path, d]) ?? []);
    let prevPassages: Passage[] | null = null;
    let prevVectors: Float32Array[] | null = null;
    const loadPrevious = async () => {
      if (prevPassages || !previous) return;
      const dir = path.join(indexDir, previous.generation);
      prevPassages = await loadPassages(dir);
      if (!reuseVectors) return;
      const { dimension, vectorsSha256 } = previous.embedding!;
      const raw = await loadRawVectors(dir, { count: previous.passages, dimension, sha256: vectorsSha256 });
      if ('vectors' in raw) {
        prevVectors = raw.vectors;
      } else {
        // Re-embedding rather than failing: the current index does not use this file (questions
        // search vectors.hnsw), and the fix an error would name, --rebuild, re-embeds everything
        // too; this way a scheduled ingest still completes and staff learn of it from the log.
        logger.warn(`${raw.unusable}; re-embedding every passage (slow, and billed by an API provider)`);
      }
    };

    const listing = await listCorpusFiles(corpusDir);
    const files = listing.files;
    // What the walk could not follow (folders, links) and, below, files that could not be read.
    const skipped: IngestReport['skipped'] = [...listing.skipped];
    const entries: DocEntry[] = [];
    let added = 0;
    let changed = 0;
    let unchanged = 0;
    // One file that fails never stops the ingest; one that fails unexpectedly is logged in full.
    const skip = (rel: string, err: unknown) => {
      const { reason, unexpected } = classifyLoadFailure(err);
      if (unexpected) {
        const { stack, cause } = err instanceof Error ? err : { stack: undefined, cause: undefined };
        logger.error('unexpected error reading a corpus file; it is skipped, please report this', { path: rel, err, stack, cause });
      }
      skipped.push({ path: rel, reason });
    };
    const seenDocIds = new Map<string, string>();
    for (const [i, rel] of files.entries()) {
      progress('read', i, files.length);
      const abs = path.join(corpusDir, rel);
      if (!isSupported(rel)) {
        skipped.push({ path: rel, reason: `unsupported file type ${path.extname(rel) || '(none)'}` });
        continue;
      }
      let raw: Buffer;
      try {
        const st = await stat(abs);
        if (st.size > config.maxFileBytes) {
          skipped.push({ path: rel, reason: `too large (${(st.size / 1048576).toFixed(1)} MB > ${config.maxFileBytes / 1048576} MB, MAX_FILE_MB)` });
          continue;
        }
        raw = await readFile(abs);
      } catch (err) {
        skip(rel, err);
        continue;
      }
      const hash = hashContent(raw);
      const old = prevDocs.get(rel);
      if (old && old.hash === hash) {
        // Same rule as for a file read afresh below, so an incremental run keeps what a rebuild keeps.
        const clash = seenDocIds.get(old.docId);
        if (clash) {
          skipped.push({ path: rel, reason: sameDocIdReason(clash) });
          continue;
        }
        await loadPrevious();
        const slice = prevPassages!.slice(old.firstPassage, old.firstPassage + old.passages);
        const vecs = prevVectors ? (prevVectors as Float32Array[]).slice(old.firstPassage, old.firstPassage + old.passages) : null;
        entries.push({
          meta: {
            docId: old.docId,
            path: rel,
            title: old.title,
            hash,
            bytes: raw.length,
            ...(old.dropped ? { dropped: old.dropped } : {}),
            ...(old.format ? { format: old.format } : {}),
          },
          passages: slice.map(({ id: _id, ...p }) => p),
          vectors: vecs,
        });
        seenDocIds.set(old.docId, rel);
        unchanged++;
        continue;
      }
      try {
        const doc = await loadDocument(abs, corpusDir, {
          maxBytes: config.maxFileBytes,
          bytes: raw,
          ocr,
          // The pages of a scanned PDF or OFD, seconds each, get their own bar and the file bar
          // resumes after; a photo (one page) stays within the file bar.
          onOcrPage: (page, pages) => {
            if (pages > 1) progress('ocr', page, pages);
          },
        });
        const clash = seenDocIds.get(doc.docId);
        if (clash) {
          skipped.push({ path: rel, reason: sameDocIdReason(clash) });
          continue;
        }
        seenDocIds.set(doc.docId, rel);
        const passages = chunkDocument(doc, chunking);
        if (!passages.length) {
          skipped.push({ path: rel, reason: 'no text after extraction' });
          continue;
        }
        const dropped = Object.keys(doc.dropped).length ? { dropped: doc.dropped } : {};
        entries.push({
          meta: { docId: doc.docId, path: rel, title: doc.title, hash, bytes: raw.length, format: doc.format, ...dropped },
          passages,
          vectors: null,
        });
        if (old) changed++;
        else added++;
      } catch (err) {
        skip(rel, err);
      }
    }
    progress('read', files.length, files.length);
    skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const s of skipped) logger.warn('skipped', s);
    const kept = new Set(entries.map((e) => e.meta.path));
    const removed = [...prevDocs.keys()].filter((p) => !kept.has(p)).length;

    const nothingChanged =
      previous !== null &&
      added === 0 &&
      changed === 0 &&
      removed === 0 &&
      (previous.embedding?.id ?? null) === (dense ? embedder!.id : null) &&
      sameSkips(previous.skipped, skipped);
    if (nothingChanged) {
      return report(false, previous.generation);
    }

    // Dense ids, documents in corpus order.
    const passages: Passage[] = [];
    const documents: ManifestDocument[] = [];
    for (const e of entries) {
      documents.push({ ...e.meta, firstPassage: passages.length, passages: e.passages.length });
      for (const p of e.passages) passages.push({ ...p, id: passages.length });
    }

    let vectors: Float32Array[] | null = null;
    if (dense && embedder) {
      vectors = await embedAll(entries, embedder, (done, total) => progress('embed', done, total));
    }

    // Random part: a name must never be that of a generation already on disk (same ms and pid).
    const generation = `gen-${new Date().toISOString().replace(/[-:.]/g, '')}-${process.pid}-${randomBytes(3).toString('hex')}`;
    const genDir = path.join(indexDir, generation);
    try {
      await mkdir(genDir);
      // Tokenizing is most of this phase (jieba + OpenCC); report it passage by passage.
      const lexical = LexicalIndex.fromTokens(passages.length, (id) => {
        progress('index', id, passages.length);
        return passageTokens(passages[id]!);
      });
      await lexical.save(genDir);
      await savePassages(genDir, passages);
      let vectorsSha256: string | undefined;
      if (vectors && dense) {
        vectorsSha256 = await saveRawVectors(genDir, vectors, dense.dimension);
        const vindex = VectorIndex.build(vectors, passages.map((p) => p.id));
        await vindex.save(genDir);
      }
      // Every file above was fsynced as it was written; now the folder's entries, and the
      // generation folder's own entry in the index folder, before the manifest points at them.
      await syncDir(genDir);
      await syncDir(indexDir);
      const manifest: Manifest = {
        formatVersion: INDEX_FORMAT_VERSION,
        generation,
        builtAt: new Date().toISOString(),
        chunkerVersion: CHUNKER_VERSION,
        chunking,
        lexicalFormat: LEXICAL_FORMAT,
        embedding: dense && vectors ? { id: embedder!.id, dimension: dense.dimension, vectorsSha256 } : null,
        documents,
        passages: passages.length,
        skipped,
      };
      await writeManifestAtomic(indexDir, manifest);
    } catch (cause) {
      // Once the manifest names the new generation (only flushing its folder failed), that
      // generation is the index in use and must stay; when that cannot be told, it stays too,
      // and the next ingest removes it if unused.
      const inUse = await readManifest(indexDir).then((m) => m?.generation === generation, () => true);
      if (!inUse) await rm(genDir, { recursive: true, force: true }).catch(() => undefined);
      if (cause instanceof TongxinError) throw cause;
      throw new IndexError(
        'INDEX_WRITE_FAILED',
        `cannot write the new index in ${indexDir} (${describeError(cause)}); the previous index is unchanged`,
        { cause },
      );
    }
    progress('index', passages.length, passages.length);
    await removeOldGenerations(indexDir, [generation, current?.generation], logger);
    return report(true, generation);

    function report(written: boolean, gen: string): IngestReport {
      return {
        docs: entries.length,
        added,
        changed,
        removed,
        unchanged,
        skipped,
        passages: entries.reduce((n, e) => n + e.passages.length, 0),
        documents: entries.map((e) => ({
          path: e.meta.path,
          title: e.meta.title,
          ...(e.meta.format ? { format: e.meta.format } : {}),
          passages: e.passages.length,
          dropped: e.meta.dropped ?? {},
        })),
        dense: Boolean(dense),
        written,
        generation: gen,
        seconds: Math.round((performance.now() - started) / 10) / 100,
      };
    }
  } finally {
    // Left open, the model stays in memory beside the one openKnowledgeBase loads next.
    await created?.close?.().catch((err: unknown) => logger.warn('could not close the embedding model', { err }));
    await lock.release();
  }
}

/** A previous index that cannot be read or was built by another version is simply rebuilt. */
async function readPreviousManifest(indexDir: string, logger: Logger): Promise<Manifest | null> {
  try {
    const m = await readManifest(indexDir);
    if (m && (m.chunkerVersion !== CHUNKER_VERSION || m.lexicalFormat !== LEXICAL_FORMAT)) {
      logger.info('index was built by another version: rebuilding every document');
      return null;
    }
    return m;
  } catch (err) {
    logger.warn('previous index unreadable: rebuilding every document', { err });
    return null;
  }
}

/**
 * Loads the model once before the corpus is read. An unavailable model (offline, nothing in
 * models/) is not fatal: one clear warning, and the index is built lexical-only.
 */
async function probeEmbedder(embedder: Embedder, logger: Logger): Promise<{ dimension: number } | null> {
  try {
    return { dimension: await embedder.dimension() };
  } catch (err) {
    if (err instanceof EmbeddingError && err.code === 'EMBEDDING_UNAVAILABLE') {
      logger.warn(`embedding model unavailable, building the lexical index only: ${err.message}`);
      return null;
    }
    throw err;
  }
}

async function embedAll(
  entries: DocEntry[],
  embedder: Embedder,
  progress: (done: number, total: number) => void,
): Promise<Float32Array[]> {
  const todo: Array<{ entry: DocEntry; at: number }> = [];
  const texts: string[] = [];
  for (const entry of entries) {
    if (entry.vectors && entry.vectors.length === entry.passages.length) continue;
    entry.vectors = new Array(entry.passages.length);
    entry.passages.forEach((p, at) => {
      todo.push({ entry, at });
      texts.push(passageEmbeddingText(p));
    });
  }
  if (texts.length) {
    const out = await embedder.embedPassages(texts, progress);
    out.forEach((v, i) => {
      const { entry, at } = todo[i]!;
      entry.vectors![at] = v;
    });
  }
  progress(texts.length, texts.length);
  return entries.flatMap((e) => e.vectors!);
}

function sameDocIdReason(kept: string): string {
  return `same document id as ${kept} (two files differ only by extension)`;
}

function sameSkips(a: Manifest['skipped'], b: IngestReport['skipped']): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b);
}

/** Also removes temporary manifests of killed ingests; only safe while holding the lock. */
async function removeOldGenerations(indexDir: string, keep: Array<string | undefined>, logger: Logger): Promise<void> {
  const names = await readdir(indexDir).catch(() => [] as string[]);
  for (const name of names) {
    if (!(name.startsWith('gen-') || isManifestTemp(name)) || keep.includes(name)) continue;
    await rm(path.join(indexDir, name), { recursive: true, force: true }).catch((err) =>
      logger.warn('could not remove an old index generation', { name, err }),
    );
  }
}
