import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { buildFts, ftsQuery, FtsSearcher } from '../../scripts/lib/bench-fts.ts';
import { topFunctions } from '../../scripts/lib/bench-profile.ts';
import { seededRandom } from '../../scripts/lib/bench-random.ts';
import { judge } from '../../scripts/lib/bench-report.ts';
import { summarize } from '../../scripts/lib/bench-stats.ts';
import { shiftedCopy, type SourceParagraph } from '../../scripts/lib/bench-synthetic.ts';
import { clusteredVectorSource, randomQueryEmbedder, recallAt } from '../../scripts/lib/bench-vectors.ts';
import type { Passage } from '../../src/corpus/passage.ts';

describe('bench parts', () => {
  const sources: SourceParagraph[] = [
    { title: '甲', text: '一二三。四五六！七八九？' },
    { title: '乙', text: '子丑。寅卯。辰巳。' },
  ];

  test('shifted copies rotate sentences, shift characters, or join two paragraphs, each with its own title', () => {
    assert.deepEqual(shiftedCopy(sources, 0, 0), { title: '甲（第1篇）', text: '四五六！七八九？一二三。' });
    assert.deepEqual(shiftedCopy(sources, 0, 1), { title: '甲（第2篇）', text: '二三。四五六！七八九？一' });
    assert.deepEqual(shiftedCopy(sources, 0, 2), { title: '甲（第3篇）', text: '一二三。四五六！寅卯。辰巳。' });
    assert.deepEqual(shiftedCopy(sources, 3, 3), { title: '乙（第4篇）', text: '辰巳。子丑。寅卯。' });
  });

  test('the seeded generator repeats itself and stays in range', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const xs = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(xs, Array.from({ length: 5 }, () => b.next()));
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    assert.notDeepEqual(xs, Array.from({ length: 5 }, () => seededRandom(8).next()));
  });

  test('clustered vectors are unit length and reproducible', () => {
    const one = clusteredVectorSource({ count: 100, dimension: 16, seed: 3 });
    const two = clusteredVectorSource({ count: 100, dimension: 16, seed: 3 });
    const v = one.next();
    assert.equal(v.length, 16);
    assert.deepEqual(v, two.next());
    assert.equal(Math.round(Math.hypot(...v) * 1e6) / 1e6, 1);
  });

  test('the stand-in query embedder gives each text its own repeatable unit vector', async () => {
    const e = randomQueryEmbedder('bench/x', 8);
    assert.equal(await e.dimension(), 8);
    const a = await e.embedQuery('党费怎么交？');
    assert.equal(a.length, 8);
    assert.deepEqual(a, await e.embedQuery('党费怎么交？'));
    assert.notDeepEqual(a, await e.embedQuery('党费怎么交'));
    assert.equal(Math.round(Math.hypot(...a) * 1e6) / 1e6, 1);
    await assert.rejects(e.embedPassages(['x']), /embeds questions only/);
  });

  test('recall@k is the share of the exact top k found', () => {
    assert.equal(recallAt([[1, 2, 3], [4, 5, 9]], [[1, 2, 3], [4, 5, 6]], 3), 0.8333);
    assert.equal(recallAt([], [], 10), 0);
  });

  test('time summaries come out in ms with three decimals', () => {
    assert.deepEqual(summarize([0.0123, 0.5, 2, 1, 0.25]), { n: 5, p50: 0.5, p95: 2, p99: 2, mean: 0.752 });
  });

  test('targets pass on the right side of the limit', () => {
    assert.deepEqual(judge('x', 3, 'max', 3, 'ms'), { name: 'x', value: 3, limit: 3, unit: 'ms', kind: 'max', pass: true });
    assert.equal(judge('x', 0.97, 'min', 0.98, '').pass, false);
  });

  test('FTS5 queries OR the distinct tokens as quoted phrases', () => {
    assert.equal(ftsQuery(['党员', '4.7', '党员', 'say"hi']), '"党员" OR "4.7" OR "say""hi"');
  });

  test('FTS5 over jieba tokens ranks by bm25 and keeps the passage ids', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tongxin-bench-fts-'));
    try {
      const p = (id: number, text: string): Passage => ({ id, docId: `d${id}`, title: '', heading: '', text, start: 0, end: text.length, loc: {} });
      const passages = [p(0, 'a'), p(1, 'b'), p(2, 'c')];
      const tokens = [['党员', '报到'], ['社区', '服务', '社区'], ['党员', '社区', '4.7']];
      const file = path.join(dir, 'fts.sqlite');
      const built = await buildFts(file, passages, tokens);
      assert.ok(built.bytes > 0 && built.ftsBytes > 0 && built.ftsBytes < built.bytes);
      const s = new FtsSearcher(file);
      try {
        assert.deepEqual(s.search(['社区'], 10).map((h) => h.id), [1, 2]);
        assert.deepEqual(s.search(['报到', '4.7'], 10).map((h) => h.id).sort(), [0, 2]);
        assert.deepEqual(s.search([], 10), []);
      } finally {
        s.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a CPU profile is summed into self time per function, largest first', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tongxin-bench-prof-'));
    try {
      const frame = (functionName: string, url: string, lineNumber: number) => ({ functionName, url, lineNumber, scriptId: '0', columnNumber: 0 });
      const profile = {
        nodes: [
          { id: 1, callFrame: frame('(root)', '', -1) },
          { id: 2, callFrame: frame('search', `file://${process.cwd()}/src/index/lexical-index.ts`, 104) },
          { id: 3, callFrame: frame('cutForSearch', 'file:///x/node_modules/@node-rs/jieba/index.js', 9) },
          { id: 4, callFrame: frame('search', `file://${process.cwd()}/src/index/lexical-index.ts`, 104) },
        ],
        samples: [2, 3, 4, 2, 1],
        timeDeltas: [1000, 3000, 2000, 1000, 3000],
      };
      const file = path.join(dir, 'p.cpuprofile');
      await writeFile(file, JSON.stringify(profile));
      assert.deepEqual(await topFunctions(file, 2), {
        totalMs: 10,
        top: [
          { fn: 'search (src/index/lexical-index.ts:105)', selfMs: 4, share: 0.4 },
          { fn: 'cutForSearch (@node-rs/jieba/index.js:10)', selfMs: 3, share: 0.3 },
        ],
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
