/**
 * One measurement in a fresh process, so peak memory (VmHWM, see peakRss) belongs to that
 * task alone. Run by bench-spawn.ts as `node --import tsx bench-child.ts '<task JSON>'`; prints
 * one JSON line on stdout. Lexical only: no embedding model, no chat model.
 */
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../src/config.ts';
import { ingest } from '../../src/index/ingest.ts';
import { VectorIndex } from '../../src/index/vector-index.ts';
import { openKnowledgeBase } from '../../src/knowledge-base.ts';
import type { ChildResult, ChildTask } from './bench-spawn.ts';

const task = JSON.parse(process.argv[2] ?? '{}') as ChildTask;
const config = loadConfig({ env: { EMBEDDING_PROVIDER: 'none' }, dotenvDir: false });
const result: ChildResult = { kind: task.kind, ms: 0, maxRssMB: 0, rssMB: 0, heapMB: 0 };

const t = performance.now();
switch (task.kind) {
  case 'baseline':
    // The modules are imported above; nothing else is held.
    break;
  case 'ingest': {
    const r = await ingest({ corpusDir: task.corpusDir, indexDir: task.indexDir, config, embedder: null, rebuild: true });
    result.ms = performance.now() - t;
    result.docs = r.docs;
    result.passages = r.passages;
    break;
  }
  case 'load': {
    const kb = await openKnowledgeBase({ indexDir: task.indexDir, config, embedder: null, chatModel: null });
    result.ms = performance.now() - t;
    // Answering loads jieba and OpenCC and fills caches: count them, as a running bot holds them.
    for (let round = 0; round < (task.repeat ?? 1); round++) {
      for (const q of task.questions) await kb.ask(q, { offline: true });
    }
    result.passages = kb.stats().passages;
    await kb.close();
    break;
  }
  case 'vectors': {
    const index = await VectorIndex.load(task.dir);
    result.ms = performance.now() - t;
    result.passages = index.count;
    break;
  }
}
// Settled figure after a collection (the child runs with --expose-gc), beside the peak.
(globalThis as { gc?: () => void }).gc?.();
const mem = process.memoryUsage();
result.maxRssMB = mb(peakRss());
result.rssMB = mb(mem.rss);
result.heapMB = mb(mem.heapUsed);
result.ms = Math.round(result.ms * 10) / 10;
process.stdout.write(JSON.stringify(result) + '\n');

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

function mb(bytes: number): number {
  return Math.round((bytes / 1048576) * 10) / 10;
}
