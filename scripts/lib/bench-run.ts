/**
 * The benchmark itself: for each corpus, our ingest/load/query beside SQLite FTS5 on the same
 * tokens in the same run (the machine is shared and noisy, so ratios matter more than figures),
 * peak memory in fresh processes, and the HNSW index at 512 dimensions beside exact search.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { chunkDocument } from '../../src/corpus/chunk.ts';
import { isSupported, loadDocument } from '../../src/corpus/load-document.ts';
import { TongxinError } from '../../src/errors.ts';
import { listCorpusFiles } from '../../src/index/corpus-walk.ts';
import { loadIndex } from '../../src/index/load-index.ts';
import { VECTOR_INDEX_FILE, VECTOR_META_FILE } from '../../src/index/vector-index.ts';
import { passageTokens } from '../../src/index/passage-tokens.ts';
import { tokenize } from '../../src/index/tokenizer.ts';
import { normalizeQuestion } from '../../src/answer/normalize-question.ts';
import { CANDIDATES } from '../../src/answer/retrieve.ts';
import { openKnowledgeBase } from '../../src/knowledge-base.ts';
import { benchFormats } from './bench-formats.ts';
import { buildFts, FtsSearcher } from './bench-fts.ts';
import { topFunctions } from './bench-profile.ts';
import { targetsFor, type BenchReport, type CorpusBench, type LoadedFigures } from './bench-report.ts';
import { runChild, type ChildResult } from './bench-spawn.ts';
import { summarize } from './bench-stats.ts';
import { readSourceParagraphs, writeSyntheticCorpus } from './bench-synthetic.ts';
import { cloneIndex, nextGeneration } from './bench-generation.ts';
import { benchVectors, removeVectorDir } from './bench-vectors.ts';

export interface BenchOptions {
  /** ~500 synthetic documents, few questions, a small vector set: for the smoke test. */
  quick: boolean;
  /** Synthetic corpus size; default 20,000 (500 with `quick`). */
  docs?: number;
  /** The bundled corpus and its question set. */
  corpusDir: string;
  questionsFile: string;
  /** The CMRC 2018 trial folder (corpus/ and questions.jsonl), read in place. */
  cmrcDir: string;
  /** Write CPU profiles of the largest corpus's ingest and querying here and summarise them. */
  profileDir?: string;
  /** Keep the temp folder (indexes, synthetic corpus) for inspection. */
  keep?: boolean;
  /** Folders of documents in every format (real-docs, fixtures) for the per-format figures. */
  formatDirs?: string[];
  /** Scans with a reference transcription, for OCR's character error rate. */
  ocrScans?: Array<{ file: string; reference: string }>;
  log: (msg: string) => void;
}

/** 512: bge-small-zh-v1.5's width (its model card), the default embedding model. */
const DIMENSION = 512;
const SEED = 20181;
/** The manifest's embedding id for the bench's vectors; no model by this name exists. */
const BENCH_EMBEDDING_ID = 'bench/random-unit-512';

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const { quick, log } = options;
  const synthDocs = options.docs ?? (quick ? 500 : 20_000);
  const maxQuestions = quick ? 30 : Infinity;
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'tongxin-bench-'));
  try {
    const cmrcCorpus = path.join(options.cmrcDir, 'corpus');
    const cmrcQuestions = (await readQuestions(path.join(options.cmrcDir, 'questions.jsonl'))).slice(0, maxQuestions);
    const bundledQuestions = (await readQuestions(options.questionsFile)).slice(0, maxQuestions);

    log(`synthetic corpus: writing ${synthDocs} documents`);
    const synthDir = path.join(tmp, 'synthetic');
    await writeSyntheticCorpus(await readSourceParagraphs(cmrcCorpus), synthDir, synthDocs);

    const baseline = await runChild({ kind: 'baseline' });
    const corpora: CorpusBench[] = [];
    const sets = [
      { name: 'bundled', dir: options.corpusDir, questions: bundledQuestions },
      { name: 'cmrc', dir: cmrcCorpus, questions: cmrcQuestions },
      { name: `synthetic-${synthDocs}`, dir: synthDir, questions: cmrcQuestions },
    ];
    for (const [i, set] of sets.entries()) {
      const profile = i === sets.length - 1 ? options.profileDir : undefined;
      corpora.push(await benchCorpus(set.name, set.dir, set.questions, path.join(tmp, set.name), quick, profile, log));
    }
    const big = corpora[corpora.length - 1]!;

    const formats = await benchFormats(options.formatDirs ?? [], options.corpusDir, tmp, log);
    // --quick reads the first scan only (three OCR passes of a small page, ~10 s).
    const scans = quick ? (options.ocrScans ?? []).slice(0, 1) : (options.ocrScans ?? []);
    log(`ocr: ${scans.length} scan(s) clean, under a seal and as a fax`);
    const ocrQuality = scans.length ? ((await runChild({ kind: 'ocr-quality', scans, workDir: tmp })).ocrQuality ?? []) : [];

    log(`vectors: ${big.passages} x ${DIMENSION}`);
    const v = await benchVectors(
      {
        count: big.passages,
        dimension: DIMENSION,
        queries: quick ? 50 : 500,
        k: 10,
        efs: [16, 32, 64, 128],
        growth: quick ? [] : [0.25, 0.5],
        seed: SEED,
        // Inside the run's temp folder, so an interrupted run leaves one folder to remove.
        workDir: tmp,
      },
      log,
    );
    const vload = await runChild({ kind: 'vectors', dir: v.dir });

    // The dense knowledge base: the largest corpus's index plus this graph (ids 0..n-1 are its
    // passage ids), loaded and hot-reloaded like the lexical one, with the same questions.
    log(`dense knowledge base: ${big.name} + ${big.passages} x ${DIMENSION} HNSW`);
    const denseDir = path.join(tmp, 'dense', 'index');
    await cloneIndex(path.join(tmp, big.name, 'index'), denseDir, {
      extraFiles: [path.join(v.dir, VECTOR_INDEX_FILE), path.join(v.dir, VECTOR_META_FILE)],
      embedding: { id: BENCH_EMBEDDING_ID, dimension: DIMENSION },
    });
    const dload = await runChild({
      kind: 'load',
      indexDir: denseDir,
      questions: loadQuestionsOf(cmrcQuestions, quick),
      embedding: { id: BENCH_EMBEDDING_ID, dimension: DIMENSION },
      reloadManifest: await nextGeneration(denseDir, path.join(tmp, 'dense', 'manifest-next.json')),
    });
    await removeVectorDir(v);
    const { dir: _dir, ...vrest } = v;
    const vectors = { ...vrest, loadMs: vload.ms, loadedPeakRssMB: vload.maxRssMB, loadedRssMB: vload.rssMB };

    const report: BenchReport = {
      version: 1,
      quick,
      machine: await machine(),
      startedAt,
      totalSeconds: 0,
      baselineRssMB: baseline.maxRssMB,
      corpora,
      formats,
      ocrQuality,
      vectors,
      dense: { corpus: big.name, passages: dload.passages ?? 0, dimension: DIMENSION, ...loadedFigures(dload) },
      targets: [],
    };
    if (options.profileDir) {
      report.profile = {
        ingest: await topFunctions(path.join(options.profileDir, 'ingest.cpuprofile'), 15),
        query: await topFunctions(path.join(options.profileDir, 'query.cpuprofile'), 15),
      };
    }
    report.targets = targetsFor(big, report.dense, vectors);
    report.totalSeconds = Math.round((performance.now() - started) / 100) / 10;
    return report;
  } finally {
    if (options.keep) log(`kept ${tmp}`);
    else await rm(tmp, { recursive: true, force: true });
  }
}

async function benchCorpus(
  name: string,
  corpusDir: string,
  questions: string[],
  work: string,
  quick: boolean,
  profileDir: string | undefined,
  log: (msg: string) => void,
): Promise<CorpusBench> {
  await mkdir(work, { recursive: true });
  const indexDir = path.join(work, 'index');
  const config = loadConfig({ env: { EMBEDDING_PROVIDER: 'none' }, dotenvDir: false });

  log(`${name}: ingest (fresh process)`);
  const ing = await runChild({ kind: 'ingest', corpusDir, indexDir }, { profileDir, profileName: 'ingest' });
  // Before the reload generation below adds links to the same files.
  const indexBytes = await folderSize(indexDir);
  const loadQuestions = loadQuestionsOf(questions, quick);
  const repeat = profileDir ? 3 : 1;
  const loaded = await runChild(
    {
      kind: 'load',
      indexDir,
      questions: profileDir ? questions : loadQuestions,
      repeat,
      reloadManifest: await nextGeneration(indexDir, path.join(work, 'manifest-next.json')),
    },
    { profileDir, profileName: 'query' },
  );
  // The reference's memory, in fresh processes too: the same pipeline into FTS5, then the
  // database opened and asked the same questions.
  log(`${name}: FTS5 ingest and load (fresh processes)`);
  const ftsChildFile = path.join(work, 'fts-child.sqlite');
  const ftsIng = await runChild({ kind: 'fts-ingest', corpusDir, file: ftsChildFile });
  const ftsLoaded = await runChild({ kind: 'fts-load', file: ftsChildFile, questions: profileDir ? questions : loadQuestions, repeat });
  const index = await loadIndex(indexDir, { withVectors: false });
  const gen = path.join(indexDir, index.manifest.generation);

  log(`${name}: read + chunk, tokenize, FTS5 build`);
  // Warm the tokenizer (jieba's dictionary, OpenCC) so neither side pays for it.
  tokenize(normalizeQuestion('热身：党员发展的程序').text);
  passageTokens({ title: '热身', heading: '', text: '實现脫贫' });
  let t = performance.now();
  const files = (await listCorpusFiles(corpusDir)).files.filter(isSupported);
  let sourceBytes = 0;
  for (const rel of files) {
    const abs = path.join(corpusDir, rel);
    sourceBytes += (await stat(abs)).size;
    try {
      chunkDocument(await loadDocument(abs, corpusDir, { maxBytes: config.maxFileBytes }));
    } catch {
      // Ingest skipped the same file (and logged why); here only the time matters.
    }
  }
  const readChunkMs = performance.now() - t;
  t = performance.now();
  const tokens = index.passages.map(passageTokens);
  const tokenizeMs = performance.now() - t;
  const tokenCount = tokens.reduce((s, x) => s + x.length, 0);
  if (ftsIng.passages !== index.passages.length || ftsIng.tokens !== tokenCount) {
    log(`${name}: WARNING the FTS5 ingest child wrote ${ftsIng.passages} passages / ${ftsIng.tokens} tokens, ours ${index.passages.length} / ${tokenCount}`);
  }
  const ftsFile = path.join(work, 'fts.sqlite');
  const fts = await buildFts(ftsFile, index.passages, tokens);

  t = performance.now();
  const searcher = new FtsSearcher(ftsFile);
  const openMs = performance.now() - t;
  t = performance.now();
  searcher.search(tokenize(normalizeQuestion(questions[0] ?? '党员').text), CANDIDATES);
  const firstQueryMs = performance.now() - t;

  log(`${name}: ${questions.length} questions`);
  t = performance.now();
  const kb = await openKnowledgeBase({ indexDir, config, embedder: null, chatModel: null });
  const loadInProcessMs = performance.now() - t;
  const times = { tokenize: [] as number[], retrieval: [] as number[], fts: [] as number[], ask: [] as number[] };
  let agreement = 0;
  try {
    // Warm-up: JIT and caches, for all three paths alike.
    for (const q of questions.slice(0, 10)) {
      const tk = tokenize(normalizeQuestion(q).text);
      index.lexical.search(tk, CANDIDATES);
      searcher.search(tk, CANDIDATES);
      await kb.ask(q, { offline: true });
    }
    // Interleaved per question, so a busy moment on the shared machine hits all paths alike.
    for (const q of questions) {
      t = performance.now();
      const tk = tokenize(normalizeQuestion(q).text);
      times.tokenize.push(performance.now() - t);

      t = performance.now();
      const ours = index.lexical.search(tokenize(normalizeQuestion(q).text), CANDIDATES);
      times.retrieval.push(performance.now() - t);

      t = performance.now();
      const theirs = searcher.search(tokenize(normalizeQuestion(q).text), CANDIDATES);
      times.fts.push(performance.now() - t);

      t = performance.now();
      await kb.ask(q, { offline: true });
      times.ask.push(performance.now() - t);

      const top = new Set(theirs.slice(0, 10).map((h) => h.id));
      const want = ours.slice(0, 10);
      agreement += want.length ? want.filter((h) => top.has(h.id)).length / want.length : tk.length ? 0 : 1;
    }
  } finally {
    searcher.close();
    await kb.close();
  }
  log(`${name}: in-process load ${Math.round(loadInProcessMs)} ms`);

  const lexicalBytes = (await fileSize(path.join(gen, 'lexical.json'))) + (await fileSize(path.join(gen, 'lexical.bin')));
  return {
    name,
    docs: index.manifest.documents.length,
    passages: index.passages.length,
    sourceBytes,
    ours: {
      ingestMs: ing.ms,
      passagesPerSecond: Math.round((index.passages.length / Math.max(1, ing.ms)) * 1000),
      indexBytes,
      lexicalBytes,
      ingestPeakRssMB: ing.maxRssMB,
      ...loadedFigures(loaded),
    },
    phases: { readChunkMs: r1(readChunkMs), tokenizeMs: r1(tokenizeMs), tokens: tokenCount },
    fts: {
      buildMs: r1(fts.ms),
      pipelineMs: r1(readChunkMs + tokenizeMs + fts.ms),
      bytes: fts.bytes,
      ftsBytes: fts.ftsBytes,
      openMs: Math.round(openMs * 1000) / 1000,
      firstQueryMs: Math.round(firstQueryMs * 1000) / 1000,
      ingestMs: ftsIng.ms,
      ingestPassages: ftsIng.passages ?? 0,
      ingestTokens: ftsIng.tokens ?? 0,
      ingestPeakRssMB: ftsIng.maxRssMB,
      loadedPeakRssMB: ftsLoaded.maxRssMB,
      loadedRssMB: ftsLoaded.rssMB,
    },
    memoryVsFts: {
      ingestPeak: ratio(ing.maxRssMB, ftsIng.maxRssMB),
      loadedPeak: ratio(loaded.maxRssMB, ftsLoaded.maxRssMB),
      loadedSettled: ratio(loaded.rssMB, ftsLoaded.rssMB),
    },
    queries: {
      n: questions.length,
      tokenize: summarize(times.tokenize),
      retrieval: summarize(times.retrieval),
      fts: summarize(times.fts),
      ask: summarize(times.ask),
      top10Agreement: questions.length ? Math.round((agreement / questions.length) * 1000) / 1000 : 0,
    },
  };
}

function loadedFigures(child: ChildResult): LoadedFigures {
  return {
    loadMs: child.ms,
    loadedPeakRssMB: child.maxRssMB,
    loadedRssMB: child.rssMB,
    loadedHeapMB: child.heapMB,
    reloadMs: child.reload?.ms ?? 0,
    reloadPeakRssMB: child.reload?.maxRssMB ?? 0,
    reloadedRssMB: child.reload?.rssMB ?? 0,
    reloadedHeapMB: child.reload?.heapMB ?? 0,
  };
}

/** Questions the load children answer: enough to fill caches, few enough to stay quick. */
function loadQuestionsOf(questions: string[], quick: boolean): string[] {
  return questions.slice(0, quick ? 10 : 100);
}

async function readQuestions(file: string): Promise<string[]> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (cause) {
    throw new TongxinError('BAD_INPUT', `bench: cannot read questions from ${file}`, { cause });
  }
  return raw
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => String((JSON.parse(l) as { q: unknown }).q ?? ''));
}

async function fileSize(file: string): Promise<number> {
  return (await stat(file)).size;
}

async function folderSize(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? await folderSize(p) : (await stat(p)).size;
  }
  return total;
}

async function machine(): Promise<BenchReport['machine']> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    cpus: os.availableParallelism(),
    cpuModel: model.trim(),
    memoryGB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

function ratio(ours: number, theirs: number): number {
  return theirs > 0 ? Math.round((ours / theirs) * 100) / 100 : 0;
}

function r1(ms: number): number {
  return Math.round(ms * 10) / 10;
}
