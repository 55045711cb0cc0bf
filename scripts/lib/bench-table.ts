/** The human-readable form of a BenchReport: one column per corpus, then vectors and targets. */
import type { BenchReport, CorpusBench } from './bench-report.ts';
import type { TimeSummary } from './bench-stats.ts';

export function formatBench(r: BenchReport): string {
  const m = r.machine;
  const lines: string[] = [
    `machine: ${m.cpus} cpus, ${m.cpuModel}, ${m.memoryGB} GB, node ${m.node}${r.quick ? '  (quick run)' : ''}`,
    `baseline process (code imported, nothing loaded): ${r.baselineRssMB} MB RSS`,
    '',
  ];
  const cs = r.corpora;
  const row = (label: string, f: (c: CorpusBench) => string) =>
    lines.push(label.padEnd(34) + cs.map((c) => f(c).padStart(26)).join(''));
  const pct = (t: TimeSummary) => `${t.p50} / ${t.p95} / ${t.p99}`;
  const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : '-');

  row('corpus', (c) => c.name);
  row('documents / passages', (c) => `${c.docs} / ${c.passages}`);
  row('corpus size', (c) => mb(c.sourceBytes));
  lines.push('-- ingest (lexical only)');
  row('ingest, fresh process', (c) => `${ms(c.ours.ingestMs)}`);
  row('  passages per second', (c) => String(c.ours.passagesPerSecond));
  row('  read + parse + chunk alone', (c) => ms(c.phases.readChunkMs));
  row('  tokenize alone (jieba)', (c) => ms(c.phases.tokenizeMs));
  row('FTS5 insert + optimize', (c) => ms(c.fts.buildMs));
  row('FTS5 pipeline (read..tokenize+FTS5)', (c) => ms(c.fts.pipelineMs));
  row('ingest / FTS5 pipeline in this process', (c) => ratio(c.ours.ingestMs, c.fts.pipelineMs));
  row('index on disk (all / lexical)', (c) => `${mb(c.ours.indexBytes)} / ${mb(c.ours.lexicalBytes)}`);
  row('FTS5 db (all / fts tables)', (c) => `${mb(c.fts.bytes)} / ${mb(c.fts.ftsBytes)}`);
  row('ingest peak RSS', (c) => `${c.ours.ingestPeakRssMB} MB`);
  row('FTS5 pipeline, fresh process', (c) => ms(c.fts.ingestMs));
  row('ingest / FTS5 pipeline, both fresh', (c) => ratio(c.ours.ingestMs, c.fts.ingestMs));
  row('FTS5 pipeline peak RSS', (c) => `${c.fts.ingestPeakRssMB} MB`);
  row('ingest peak RSS / FTS5', (c) => `${c.memoryVsFts.ingestPeak.toFixed(2)}x`);
  lines.push('-- load');
  row('openKnowledgeBase, fresh process', (c) => ms(c.ours.loadMs));
  row('FTS5 open / first query', (c) => `${c.fts.openMs} / ${c.fts.firstQueryMs} ms`);
  row('loaded KB RSS peak / settled', (c) => `${c.ours.loadedPeakRssMB} / ${c.ours.loadedRssMB} MB`);
  row('FTS5 loaded RSS peak / settled', (c) => `${c.fts.loadedPeakRssMB} / ${c.fts.loadedRssMB} MB`);
  row('loaded RSS / FTS5, peak / settled', (c) => `${c.memoryVsFts.loadedPeak.toFixed(2)}x / ${c.memoryVsFts.loadedSettled.toFixed(2)}x`);
  row('hot reload ms, RSS peak / after', (c) => `${ms(c.ours.reloadMs)}, ${c.ours.reloadPeakRssMB} / ${c.ours.reloadedRssMB} MB`);
  row('heap loaded / after reload', (c) => `${c.ours.loadedHeapMB} / ${c.ours.reloadedHeapMB} MB`);
  lines.push('-- per question, ms p50 / p95 / p99');
  row('questions', (c) => String(c.queries.n));
  row('tokenize alone', (c) => pct(c.queries.tokenize));
  row('tokenize + BM25 top 50 (ours)', (c) => pct(c.queries.retrieval));
  row('tokenize + FTS5 top 50', (c) => pct(c.queries.fts));
  row('ours / FTS5 at p50', (c) => ratio(c.queries.retrieval.p50, c.queries.fts.p50));
  row('offline answer (kb.ask)', (c) => pct(c.queries.ask));
  row('questions/s, one core (1/mean ask)', (c) => (c.queries.ask.mean > 0 ? String(Math.round(1000 / c.queries.ask.mean)) : '-'));
  row('top-10 agreement with FTS5', (c) => String(c.queries.top10Agreement));

  if (r.formats.length) {
    lines.push('', '-- ingest per format (real-docs + fixtures), fresh process each; x = ms per file / bundled Markdown\'s');
    lines.push('format'.padEnd(8) + 'files'.padStart(6) + 'size'.padStart(10) + 'passages'.padStart(10) + 'ingest'.padStart(10) + 'ms/file'.padStart(10) + 'x md'.padStart(8) + 'peak RSS'.padStart(11));
    for (const f of r.formats) {
      lines.push(
        f.format.padEnd(8) + String(f.files).padStart(6) + mb(f.bytes).padStart(10) + String(f.passages).padStart(10) +
          ms(f.ingestMs).padStart(10) + String(f.msPerFile).padStart(10) + `${f.vsMarkdown}x`.padStart(8) + `${f.peakRssMB} MB`.padStart(11),
      );
    }
    for (const q of r.ocrQuality ?? []) {
      lines.push(`OCR character errors, ${q.file} (${q.chars} chars) ${q.condition}: ${(q.cer * 100).toFixed(1)}%, ${q.seconds.toFixed(1)} s`);
    }
    for (const f of r.formats.filter((x) => x.ocrPages > 0)) {
      lines.push(`OCR (${f.format}): ${f.ocrPages} page(s), ${f.ocrSecondsPerPage?.toFixed(1)} s a page; first page ${f.ocrFirstPageSeconds?.toFixed(1)} s with the models loading; peak RSS ${f.peakRssMB} MB`);
    }
  }

  const v = r.vectors;
  const d = r.dense;
  const big = cs[cs.length - 1];
  lines.push(
    '',
    `-- vectors: ${v.count} x ${v.dimension}, clustered, seeded; HNSW M ${v.M}, efConstruction ${v.efConstruction}, ef ${v.ef}`,
    `build ${ms(v.buildMs)}; ${mb(v.bytes)} on disk (${v.bytesPerVector} B/vector); load ${ms(v.loadMs)}, RSS peak / settled ${v.loadedPeakRssMB} / ${v.loadedRssMB} MB`,
    `search p50/p95 ${v.search.p50} / ${v.search.p95} ms, recall@${v.k} ${v.recall} over ${v.queries} queries`,
    `exact (brute force) p50/p95 ${v.bruteForce.p50} / ${v.bruteForce.p95} ms: HNSW is ${ratio(v.bruteForce.p50, v.search.p50)} faster at p50`,
    'ef sweep:  ' + v.sweep.map((s) => `ef ${s.ef}: recall ${s.recall}, p50 ${s.search.p50} ms`).join(' | '),
    'build growth: ' + v.growth.map((g) => `${g.count} -> ${ms(g.buildMs)}`).join(', '),
    '',
    `-- dense knowledge base: ${d.corpus} + the graph above (${d.passages} x ${d.dimension}), fresh process, no model`,
    `load ${ms(d.loadMs)}; RSS peak / settled ${d.loadedPeakRssMB} / ${d.loadedRssMB} MB (lexical ${big?.ours.loadedPeakRssMB} / ${big?.ours.loadedRssMB} MB)`,
    `hot reload ${ms(d.reloadMs)}, RSS peak / after ${d.reloadPeakRssMB} / ${d.reloadedRssMB} MB (lexical ${big?.ours.reloadPeakRssMB} / ${big?.ours.reloadedRssMB} MB); ` +
      `heap loaded / after ${d.loadedHeapMB} / ${d.reloadedHeapMB} MB`,
    '',
    `-- targets (${cs[cs.length - 1]?.name ?? ''})`,
  );
  for (const t of r.targets) {
    const op = t.kind === 'max' ? '<=' : '>=';
    lines.push(`${t.pass ? 'PASS' : 'FAIL'}  ${t.name.padEnd(40)} ${t.value}${t.unit ? ' ' + t.unit : ''} ${op} ${t.limit}${t.unit ? ' ' + t.unit : ''}`);
  }
  if (r.profile) {
    for (const [what, p] of Object.entries(r.profile)) {
      lines.push('', `-- profile: ${what} (${ms(p.totalMs)} sampled), top self time`);
      for (const f of p.top) lines.push(`${(f.share * 100).toFixed(1).padStart(5)}%  ${String(f.selfMs).padStart(6)} ms  ${f.fn}`);
    }
  }
  lines.push('', `total ${r.totalSeconds} s`);
  return lines.join('\n');
}

function ms(x: number): string {
  return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`;
}

function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}
