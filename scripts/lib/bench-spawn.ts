/**
 * Runs one bench-child.ts task in a fresh Node process (clean memory figures), optionally under
 * `--cpu-prof`, and returns its JSON line.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TongxinError } from '../../src/errors.ts';

export type ChildTask =
  | { kind: 'baseline' }
  | { kind: 'ingest'; corpusDir: string; indexDir: string }
  | {
      kind: 'load';
      indexDir: string;
      questions: string[];
      repeat?: number;
      /** The index has vectors from this (bench) embedding: answer with a stand-in query embedder. */
      embedding?: { id: string; dimension: number };
      /** After the loaded figures: copy this manifest over manifest.json, reload, ask again. */
      reloadManifest?: string;
    }
  | { kind: 'vectors'; dir: string }
  /** The FTS5 reference: our ingest's work into a database (bench-fts.ts ftsIngest). */
  | { kind: 'fts-ingest'; corpusDir: string; file: string }
  /** The FTS5 reference loaded: open the database and answer the same questions from it. */
  | { kind: 'fts-load'; file: string; questions: string[]; repeat?: number }
  /** OCR's character errors on scans with a reference text, clean, under a seal and as a fax. */
  | { kind: 'ocr-quality'; scans: Array<{ file: string; reference: string }>; workDir: string };

export interface OcrQuality {
  file: string;
  condition: string;
  /** Reference characters, whitespace left out. */
  chars: number;
  /** Character error rate through the image loader (page numbers dropped as at ingest). */
  cer: number;
  seconds: number;
}

export interface ChildResult {
  kind: ChildTask['kind'];
  /** The task's own time (ingest, open, or vector load), ms. */
  ms: number;
  /** Peak resident set of the child alone (VmHWM on Linux), MB. */
  maxRssMB: number;
  /** Resident set and V8 heap after the task and a collection, MB. */
  rssMB: number;
  heapMB: number;
  docs?: number;
  passages?: number;
  /** ingest: each OCR'd page's time, in order (the first also loads the models). */
  ocrPageMs?: number[];
  /** fts-ingest: tokens written, to check they are ours. */
  tokens?: number;
  /** ocr-quality: one row a scan and condition. */
  ocrQuality?: OcrQuality[];
  /** load with reloadManifest: the swap, the peak over the whole child, and RSS and heap after it and a collection. */
  reload?: { ms: number; maxRssMB: number; rssMB: number; heapMB: number };
}

const CHILD = fileURLToPath(new URL('./bench-child.ts', import.meta.url));
const ROOT = path.resolve(path.dirname(CHILD), '../..');

export interface SpawnOptions {
  /** Write a V8 CPU profile named `<profileName>.cpuprofile` into this folder. */
  profileDir?: string;
  profileName?: string;
}

export function runChild(task: ChildTask, options: SpawnOptions = {}): Promise<ChildResult> {
  const args = ['--expose-gc'];
  if (options.profileDir) {
    args.push('--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, `--cpu-prof-name=${options.profileName ?? task.kind}.cpuprofile`);
  }
  // cwd is the project root, where `--import tsx` resolves.
  args.push('--import', 'tsx', CHILD, JSON.stringify(task));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (cause) => reject(new TongxinError('BAD_INPUT', `bench: cannot start a ${task.kind} child`, { cause })));
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exit code ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`);
        resolve(JSON.parse(line) as ChildResult);
      } catch (cause) {
        reject(new TongxinError('BAD_INPUT', `bench: the ${task.kind} child failed (${(cause as Error).message})`, { cause }));
      }
    });
  });
}
