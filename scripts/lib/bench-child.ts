/**
 * One measurement in a fresh process, so peak memory (VmHWM, see peakRss) belongs to that
 * task alone. Run by bench-spawn.ts as `node --import tsx bench-child.ts '<task JSON>'`; prints
 * one JSON line on stdout. No embedding model and no chat model: a dense index is answered with
 * a stand-in query embedder (bench-vectors.ts randomQueryEmbedder).
 */
import { copyFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { normalizeQuestion } from '../../src/answer/normalize-question.ts';
import { CANDIDATES } from '../../src/answer/retrieve.ts';
import { loadConfig } from '../../src/config.ts';
import { paddleOcrReader, type OcrReader } from '../../src/corpus/ocr/ocr-reader.ts';
import { ingest } from '../../src/index/ingest.ts';
import { MANIFEST_FILE } from '../../src/index/manifest.ts';
import { tokenize } from '../../src/index/tokenizer.ts';
import { VectorIndex } from '../../src/index/vector-index.ts';
import { openKnowledgeBase } from '../../src/knowledge-base.ts';
import type { ChildResult, ChildTask } from './bench-spawn.ts';

const task = JSON.parse(process.argv[2] ?? '{}') as ChildTask;
const config = loadConfig({ env: { EMBEDDING_PROVIDER: 'none' }, dotenvDir: false });
const result: ChildResult = { kind: task.kind, ms: 0, maxRssMB: 0, rssMB: 0, heapMB: 0 };
const gc = (globalThis as { gc?: () => void }).gc;

let t = performance.now();
switch (task.kind) {
  case 'baseline':
    // The modules are imported above; nothing else is held.
    break;
  case 'ingest': {
    // The real OCR reader, timed page by page: the first page also loads the models.
    const real = paddleOcrReader();
    const ocrMs: number[] = [];
    const ocr: OcrReader = {
      readImage: async (image) => {
        const t0 = performance.now();
        try {
          return await real.readImage(image);
        } finally {
          ocrMs.push(performance.now() - t0);
        }
      },
    };
    const r = await ingest({ corpusDir: task.corpusDir, indexDir: task.indexDir, config, embedder: null, ocr, rebuild: true });
    result.ms = performance.now() - t;
    if (ocrMs.length) result.ocrPageMs = ocrMs.map(r1);
    result.docs = r.docs;
    result.passages = r.passages;
    break;
  }
  case 'load': {
    // Loaded only here, so the other children (and the baseline) hold none of it.
    const embedder = task.embedding ? (await import('./bench-vectors.ts')).randomQueryEmbedder(task.embedding.id, task.embedding.dimension) : null;
    t = performance.now();
    const kb = await openKnowledgeBase({ indexDir: task.indexDir, config, embedder, chatModel: null });
    result.ms = performance.now() - t;
    // Answering loads jieba and OpenCC and fills caches: count them, as a running bot holds them.
    const askAll = async (rounds: number) => {
      for (let round = 0; round < rounds; round++) {
        for (const q of task.questions) await kb.ask(q, { offline: true });
      }
    };
    await askAll(task.repeat ?? 1);
    result.passages = kb.stats().passages;
    if (task.embedding && !kb.stats().dense) throw new Error(`${task.indexDir} opened without its vectors`);
    settle();
    if (task.reloadManifest) {
      // What an ingest's manifest rename does; the bot's poller then calls reload().
      await copyFile(task.reloadManifest, path.join(task.indexDir, MANIFEST_FILE));
      t = performance.now();
      if (!(await kb.reload())) throw new Error('reload found no new generation');
      const ms = performance.now() - t;
      // Questions after the swap, so the old index is no longer reachable from a backend in use.
      await askAll(1);
      gc?.();
      const mem = process.memoryUsage();
      result.reload = { ms: r1(ms), maxRssMB: mb(peakRss()), rssMB: mb(mem.rss), heapMB: mb(mem.heapUsed) };
    }
    await kb.close();
    break;
  }
  case 'vectors': {
    const index = await VectorIndex.load(task.dir);
    result.ms = performance.now() - t;
    result.passages = index.count;
    break;
  }
  case 'fts-ingest': {
    const { ftsIngest } = await import('./bench-fts.ts');
    t = performance.now();
    const r = await ftsIngest(task.corpusDir, task.file, config.maxFileBytes);
    result.ms = performance.now() - t;
    result.passages = r.passages;
    result.tokens = r.tokens;
    break;
  }
  case 'ocr-quality': {
    const { ocrQuality } = await import('./bench-ocr.ts');
    result.ocrQuality = await ocrQuality(task.scans, task.workDir);
    result.ms = performance.now() - t;
    break;
  }
  case 'fts-load': {
    const { FtsSearcher } = await import('./bench-fts.ts');
    t = performance.now();
    const searcher = new FtsSearcher(task.file);
    result.ms = performance.now() - t;
    // The counterpart of kb.ask without the composer: rank, then read back the passages an
    // answer would be composed from.
    for (let round = 0; round < (task.repeat ?? 1); round++) {
      for (const q of task.questions) {
        for (const hit of searcher.search(tokenize(normalizeQuestion(q).text), CANDIDATES).slice(0, config.retrieval.topK)) {
          searcher.passage(hit.id);
        }
      }
    }
    searcher.close();
    break;
  }
}
if (task.kind !== 'load') settle();
result.ms = r1(result.ms);
process.stdout.write(JSON.stringify(result) + '\n');

/** Settled figures after a collection (the child runs with --expose-gc), beside the peak so far. */
function settle(): void {
  gc?.();
  const mem = process.memoryUsage();
  result.maxRssMB = mb(peakRss());
  result.rssMB = mb(mem.rss);
  result.heapMB = mb(mem.heapUsed);
}

/**
 * Linux's VmHWM belongs to this program's own address space. getrusage's maxRSS does not: it
 * survives execve, so a child forked from the (large) bench process would report the parent's
 * size. Elsewhere maxRSS is the best there is.
 */
function peakRss(): number {
  try {
    const kb = /^VmHWM:\s*(\d+)\s*kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // Not Linux: fall through.
  }
  return process.resourceUsage().maxRSS * 1024;
}

function r1(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function mb(bytes: number): number {
  return Math.round((bytes / 1048576) * 10) / 10;
}
