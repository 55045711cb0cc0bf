/**
 * Runs `scripts/bench.ts --quick --json` end to end on a tiny CMRC-shaped folder made from the
 * bundled corpus, and checks the JSON's shape and that its values are sane. Never timings: the
 * machine is shared, so only "positive", "ordered" and "in range" are asserted.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import type { BenchReport } from '../../scripts/lib/bench-report.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SYNTHETIC_DOCS = 60;

test('bench --quick prints one JSON report with sane values', async () => {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'tongxin-bench-smoke-'));
  try {
    // CMRC layout: corpus/<id>.md as "# title\n\nparagraph", and questions.jsonl.
    const cmrc = path.join(tmp, 'cmrc');
    await mkdir(path.join(cmrc, 'corpus'), { recursive: true });
    for (const name of (await readdir(path.join(ROOT, 'corpus'))).filter((n) => n.endsWith('.md'))) {
      const raw = await readFile(path.join(ROOT, 'corpus', name), 'utf8');
      const title = /^title:\s*(.+)$/m.exec(raw)?.[1] ?? name;
      const body = raw.replace(/^---[\s\S]*?\n---\n/, '').replace(/\s+/g, '').slice(0, 1200);
      await writeFile(path.join(cmrc, 'corpus', name), `# ${title}\n\n${body}\n`);
    }
    const questions = (await readFile(path.join(ROOT, 'eval/questions.jsonl'), 'utf8')).split('\n').filter(Boolean).slice(0, 12);
    await writeFile(path.join(cmrc, 'questions.jsonl'), questions.join('\n') + '\n');

    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/bench.ts', '--quick', '--json', '--docs', String(SYNTHETIC_DOCS), '--cmrc', cmrc],
      { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn' }, maxBuffer: 16 * 1024 * 1024 },
    );
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 1, 'stdout holds the JSON report alone');
    const r = JSON.parse(lines[0]!) as BenchReport;

    assert.equal(r.version, 1);
    assert.equal(r.quick, true);
    assert.ok(r.machine.cpus >= 1 && r.machine.node === process.version);
    assert.deepEqual(r.corpora.map((c) => c.name), ['bundled', 'cmrc', `synthetic-${SYNTHETIC_DOCS}`]);
    const [bundled, small, synthetic] = r.corpora as [BenchReport['corpora'][0], BenchReport['corpora'][0], BenchReport['corpora'][0]];
    assert.equal(bundled.docs, 11);
    assert.equal(small.docs, 11);
    assert.equal(synthetic.docs, SYNTHETIC_DOCS);
    assert.deepEqual(r.corpora.map((c) => c.queries.n), [30, 12, 12]);

    for (const c of r.corpora) {
      assert.ok(c.passages >= c.docs, `${c.name}: passages`);
      assert.ok(c.sourceBytes > 0 && c.ours.indexBytes > c.ours.lexicalBytes && c.ours.lexicalBytes > 0, `${c.name}: sizes`);
      assert.ok(c.fts.bytes > c.fts.ftsBytes && c.fts.ftsBytes > 0, `${c.name}: FTS5 sizes`);
      assert.ok(c.ours.ingestMs > 0 && c.ours.loadMs > 0 && c.fts.buildMs > 0, `${c.name}: times`);
      // Each part is rounded to 0.1 ms on its own.
      assert.ok(Math.abs(c.fts.pipelineMs - (c.phases.readChunkMs + c.phases.tokenizeMs + c.fts.buildMs)) <= 0.2, `${c.name}: pipeline`);
      assert.ok(c.phases.tokens > c.passages, `${c.name}: tokens`);
      assert.ok(c.ours.ingestPeakRssMB > r.baselineRssMB * 0.5 && c.ours.loadedPeakRssMB >= c.ours.loadedRssMB);
      // The reload runs in the load child after its loaded figures, and VmHWM only rises.
      assert.ok(c.ours.reloadMs > 0 && c.ours.reloadPeakRssMB >= c.ours.loadedPeakRssMB && c.ours.reloadedRssMB > 0, `${c.name}: reload`);
      // Questions after the swap no longer reach the old index: a collection frees it.
      assert.ok(c.ours.reloadedHeapMB < c.ours.loadedHeapMB * 1.5, `${c.name}: heap ${c.ours.loadedHeapMB} -> ${c.ours.reloadedHeapMB} MB after reload`);
      // The FTS5 children: the same passages and tokens as ours, and memory beside ours.
      assert.equal(c.fts.ingestPassages, c.passages, `${c.name}: FTS5 passages`);
      assert.equal(c.fts.ingestTokens, c.phases.tokens, `${c.name}: FTS5 tokens`);
      assert.ok(c.fts.ingestMs > 0 && c.fts.ingestPeakRssMB > r.baselineRssMB * 0.5, `${c.name}: FTS5 ingest child`);
      assert.ok(c.fts.loadedPeakRssMB >= c.fts.loadedRssMB && c.fts.loadedRssMB > r.baselineRssMB * 0.5, `${c.name}: FTS5 load child`);
      assert.equal(c.memoryVsFts.ingestPeak, Math.round((c.ours.ingestPeakRssMB / c.fts.ingestPeakRssMB) * 100) / 100);
      assert.equal(c.memoryVsFts.loadedPeak, Math.round((c.ours.loadedPeakRssMB / c.fts.loadedPeakRssMB) * 100) / 100);
      assert.equal(c.memoryVsFts.loadedSettled, Math.round((c.ours.loadedRssMB / c.fts.loadedRssMB) * 100) / 100);
      for (const t of [c.queries.tokenize, c.queries.retrieval, c.queries.fts, c.queries.ask]) {
        assert.equal(t.n, c.queries.n);
        assert.ok(t.p50 > 0 && t.p50 <= t.p95 && t.p95 <= t.p99, `${c.name}: percentiles ordered`);
      }
      // Same tokens, both BM25 with k1 1.2 and b 0.75: the top tens must mostly agree.
      assert.ok(c.queries.top10Agreement >= 0.7 && c.queries.top10Agreement <= 1, `${c.name}: agreement ${c.queries.top10Agreement}`);
    }

    // OCR quality: --quick reads the generated notice under the three conditions.
    assert.deepEqual(r.ocrQuality.map((q) => `${q.file} ${q.condition}`), ['notice.png clean', 'notice.png seal', 'notice.png fax']);
    for (const q of r.ocrQuality) assert.ok(q.chars === 84 && q.cer >= 0 && q.cer < 0.05 && q.seconds > 0, JSON.stringify(q));
    assert.ok(r.formats.some((f) => f.format === 'image' && f.ocrPages >= 1 && (f.ocrFirstPageSeconds ?? 0) > 0), 'the image group is read by OCR');

    const v = r.vectors;
    assert.equal(v.count, synthetic.passages);
    assert.deepEqual([v.dimension, v.k, v.M, v.efConstruction, v.ef, v.queries], [512, 10, 16, 200, 64, 50]);
    assert.deepEqual(v.sweep.map((s) => s.ef), [16, 32, 64, 128]);
    assert.ok(v.recall > 0.9 && v.recall <= 1);
    assert.ok(v.sweep.every((s) => s.recall > 0.5 && s.recall <= 1));
    assert.ok(v.bytesPerVector > 512 * 4, 'a vector costs at least its floats');
    assert.deepEqual(v.growth.map((g) => g.count), [v.count]);

    const d = r.dense;
    assert.deepEqual([d.corpus, d.passages, d.dimension], [synthetic.name, synthetic.passages, 512]);
    assert.ok(d.loadMs > 0 && d.loadedPeakRssMB >= d.loadedRssMB && d.loadedRssMB > r.baselineRssMB * 0.5, 'dense load');
    assert.ok(d.reloadMs > 0 && d.reloadPeakRssMB >= d.loadedPeakRssMB && d.reloadedRssMB > 0, 'dense reload');

    assert.deepEqual(r.targets.map((t) => t.name), [
      'per-question p50 <= FTS5 p50',
      'ingest <= 1.5 x FTS5 ingest, both fresh processes',
      'load < 1 s',
      'HNSW recall@10 >= 0.98',
      'loaded KB peak RSS < 500 MB, lexical',
      'loaded KB peak RSS < 500 MB, dense',
    ]);
    for (const t of r.targets) assert.equal(t.pass, t.kind === 'max' ? t.value <= t.limit : t.value >= t.limit);
    assert.equal(r.profile, undefined);
    assert.ok(r.totalSeconds > 0);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});
