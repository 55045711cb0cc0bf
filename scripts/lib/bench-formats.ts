/**
 * Ingest throughput per document format: the real office files of ../shared/real-docs and the
 * project's generated fixtures, grouped by the format each loads as, each group ingested by a
 * fresh process (so its peak RSS is its own). Copies are made in the bench's temp folder only.
 * Every figure is also given as a ratio against the bundled Markdown corpus ingested in the same
 * run, since these machines are shared and absolute times drift between runs.
 */
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { formatOf, isSupported } from '../../src/corpus/load-document.ts';
import { runChild } from './bench-spawn.ts';

export interface FormatBench {
  format: string;
  files: number;
  bytes: number;
  passages: number;
  /** One fresh-process ingest of the group (start-up included). */
  ingestMs: number;
  msPerFile: number;
  /** msPerFile over the bundled Markdown corpus's msPerFile in the same run. */
  vsMarkdown: number;
  peakRssMB: number;
  /** Pages read by OCR (images, scanned PDF/OFD pages); 0 when none. */
  ocrPages: number;
  /** Seconds per OCR'd page after the first, or the first's when there is one page. */
  ocrSecondsPerPage?: number;
  /** The first OCR'd page's seconds, which include loading the PaddleOCR models. */
  ocrFirstPageSeconds?: number;
}

/** Files that a loader must refuse (the fixtures of damaged, encrypted or unsupported files). */
const REFUSED = /^(corrupt|damaged|encrypted|binary|empty|undecodable|unsupported|no-entry|kingsoft-old)\b/u;

export async function benchFormats(sources: readonly string[], referenceDir: string, workDir: string, log: (msg: string) => void): Promise<FormatBench[]> {
  const groups = new Map<string, string[]>();
  for (const source of sources) {
    // A source is a folder of documents, or one file (the OCR fixture beside its reference text).
    const isFile = (await stat(source).catch(() => null))?.isFile() ?? false;
    const dir = isFile ? path.dirname(source) : source;
    const names = isFile ? [path.basename(source)] : await readdir(dir).catch(() => [] as string[]);
    for (const name of names.sort()) {
      const format = formatOf(name);
      if (!isSupported(name) || !format || REFUSED.test(name) || name === 'README.md') continue;
      groups.set(format, [...(groups.get(format) ?? []), path.join(dir, name)]);
    }
  }
  const reference = await ingestGroup('reference-md', await listFiles(referenceDir), workDir);
  const out: FormatBench[] = [];
  for (const [format, files] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    log(`formats: ingesting ${files.length} ${format} file(s)`);
    const r = await ingestGroup(format, files, workDir);
    out.push({ ...r, format, vsMarkdown: Math.round((r.msPerFile / reference.msPerFile) * 100) / 100 });
  }
  return out;
}

async function listFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort().map((n) => path.join(dir, n));
}

async function ingestGroup(name: string, files: readonly string[], workDir: string): Promise<Omit<FormatBench, 'format' | 'vsMarkdown'>> {
  const corpusDir = path.join(workDir, 'formats', name, 'corpus');
  await mkdir(corpusDir, { recursive: true });
  let bytes = 0;
  for (const f of files) {
    await copyFile(f, path.join(corpusDir, path.basename(f)));
    bytes += (await stat(f)).size;
  }
  const r = await runChild({ kind: 'ingest', corpusDir, indexDir: path.join(workDir, 'formats', name, 'index') });
  return {
    files: files.length,
    bytes,
    passages: r.passages ?? 0,
    ingestMs: Math.round(r.ms),
    msPerFile: Math.round((r.ms / Math.max(files.length, 1)) * 10) / 10,
    peakRssMB: r.maxRssMB,
    ...ocrFigures(r.ocrPageMs ?? []),
  };
}

function ocrFigures(pageMs: readonly number[]): Pick<FormatBench, 'ocrPages' | 'ocrSecondsPerPage' | 'ocrFirstPageSeconds'> {
  if (pageMs.length === 0) return { ocrPages: 0 };
  const rest = pageMs.length > 1 ? pageMs.slice(1) : pageMs;
  const s = (ms: number) => Math.round(ms / 100) / 10;
  return { ocrPages: pageMs.length, ocrSecondsPerPage: s(rest.reduce((a, b) => a + b, 0) / rest.length), ocrFirstPageSeconds: s(pageMs[0]!) };
}
