// Reciprocal-rank fusion with exact scores, and hybrid retrieval on a small real index.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CANDIDATES, fuse, retrieve, RRF_K } from '../../src/answer/retrieve.ts';
import type { ScoredId, SearchBackend } from '../../src/answer/search-backend.ts';
import { loadIndex, type LoadedIndex } from '../../src/index/load-index.ts';
import { tokenize } from '../../src/index/tokenizer.ts';
import { buildKbFixture, type KbFixture } from '../helpers/kb-fixture.ts';

describe('fuse', () => {
  test('k is 60, as in Cormack, Clarke & Büttcher 2009', () => {
    assert.equal(RRF_K, 60);
  });

  test('two lists: scores are sums of 1/(60+rank), best first', () => {
    const lexical = [{ id: 1, score: 9.5 }, { id: 2, score: 3 }, { id: 3, score: 0.1 }];
    const dense = [{ id: 3, score: 0.9 }, { id: 1, score: 0.8 }];
    assert.deepEqual(fuse([lexical, dense]), [
      { id: 1, score: 1 / 61 + 1 / 62 },
      { id: 3, score: 1 / 63 + 1 / 61 },
      { id: 2, score: 1 / 62 },
    ]);
  });

  test('raw scores do not matter, only ranks', () => {
    const a = fuse([[{ id: 7, score: 1000 }, { id: 8, score: 999 }]]);
    const b = fuse([[{ id: 7, score: 0.2 }, { id: 8, score: 0.1 }]]);
    assert.deepEqual(a, b);
    assert.deepEqual(a, [{ id: 7, score: 1 / 61 }, { id: 8, score: 1 / 62 }]);
  });

  test('equal scores are ordered by id', () => {
    const fused = fuse([
      [{ id: 5, score: 1 }, { id: 2, score: 1 }],
      [{ id: 2, score: 1 }, { id: 5, score: 1 }],
    ]);
    assert.deepEqual(fused, [
      { id: 2, score: 1 / 62 + 1 / 61 },
      { id: 5, score: 1 / 61 + 1 / 62 },
    ]);
    assert.equal(fused[0]!.score, fused[1]!.score);
  });

  test('a passage in one list only keeps its single term', () => {
    const fused = fuse([[{ id: 4, score: 2 }], [{ id: 9, score: 0.5 }, { id: 4, score: 0.4 }]]);
    assert.deepEqual(fused, [
      { id: 4, score: 1 / 61 + 1 / 62 },
      { id: 9, score: 1 / 61 },
    ]);
  });

  test('empty lists give nothing; an empty list beside a full one changes nothing', () => {
    assert.deepEqual(fuse([]), []);
    assert.deepEqual(fuse([[], []]), []);
    const one = [{ id: 3, score: 1 }, { id: 1, score: 0.5 }];
    assert.deepEqual(fuse([one, []]), fuse([one]));
  });

  test('another k', () => {
    assert.deepEqual(fuse([[{ id: 1, score: 1 }, { id: 2, score: 1 }]], 0), [
      { id: 1, score: 1 },
      { id: 2, score: 1 / 2 },
    ]);
  });
});

describe('retrieve on a small real index', () => {
  let kb: KbFixture;
  let index: LoadedIndex;
  const idOf = (docId: string) => index.passages.findIndex((p) => p.docId === docId);

  before(async () => {
    kb = await buildKbFixture({
      docs: {
        'wish.md': '---\ntitle: 微心愿平台\n---\n梨树县累计发布微心愿6230个，被认领完成5870个。\n',
        'report.md': '---\ntitle: 在职党员报到\n---\n在职党员到社区报到，报到比例达91.43%。\n',
        'grid.md': '---\ntitle: 网格管理\n---\n全区划分网格126个，配备网格员1250名，网格员也帮助居民发布微心愿。\n',
      },
    });
    index = await loadIndex(kb.indexDir, { withVectors: false });
  });
  after(() => kb.cleanup());

  // The same wiring as KnowledgeBase, with a scripted dense list when given.
  function backend(dense?: ScoredId[]): SearchBackend & { denseCalls: Array<[string, number]> } {
    const denseCalls: Array<[string, number]> = [];
    return {
      passages: index.passages,
      partOf: (id) => index.parts[id] ?? { part: 1, parts: 1 },
      lexicalSearch: (tokens, k) => index.lexical.search(tokens, k),
      idf: (t) => index.lexical.idf(t),
      denseSearch: dense
        ? async (q, k) => {
            denseCalls.push([q, k]);
            return dense;
          }
        : undefined,
      denseCalls,
    };
  }

  test('the fixture has one passage per document', () => {
    assert.deepEqual(index.passages.map((p) => p.docId).sort(), ['grid', 'report', 'wish']);
  });

  test('lexical only: ranks and raw BM25 scores stay on each result, dense is absent', async () => {
    const tokens = tokenize('微心愿累计发布了多少个？');
    const r = await retrieve(backend(), tokens, '微心愿累计发布了多少个？', 5);
    const lexical = index.lexical.search(tokens, CANDIDATES);
    assert.equal(r.dense, null);
    assert.deepEqual(r.lexical, lexical);
    assert.deepEqual(
      r.passages.map((p) => p.docId),
      ['wish', 'grid'],
    );
    assert.deepEqual(
      r.passages.map((p) => [p.passageId, p.score, p.lexical, p.dense]),
      lexical.map((h, i) => [h.id, 1 / (61 + i), { rank: i + 1, score: h.score }, undefined]),
    );
    const top = r.passages[0]!;
    const stored = index.passages[top.passageId]!;
    assert.deepEqual(
      { docId: top.docId, title: top.title, heading: top.heading, text: top.text, start: top.start, end: top.end, part: top.part, parts: top.parts },
      { docId: 'wish', title: '微心愿平台', heading: stored.heading, text: '梨树县累计发布微心愿6230个，被认领完成5870个。', start: stored.start, end: stored.end, part: 1, parts: 1 },
    );
  });

  test('the passages of a document the question names go first, each list in fused order', async () => {
    const tokens = tokenize('微心愿累计发布了多少个？');
    const r = await retrieve(backend(), tokens, '', 5, new Set(['grid']));
    assert.deepEqual(r.passages.map((p) => p.docId), ['grid', 'wish']);
    // A named document without a candidate adds nothing.
    const none = await retrieve(backend(), tokens, '', 5, new Set(['report']));
    assert.deepEqual(none.passages.map((p) => p.docId), ['wish', 'grid']);
  });

  test('hybrid: both lists are kept and fused; a dense-only passage gets only dense', async () => {
    const wish = idOf('wish');
    const grid = idOf('grid');
    const report = idOf('report');
    const b = backend([
      { id: report, score: 0.91 },
      { id: wish, score: 0.5 },
    ]);
    const tokens = tokenize('微心愿');
    const r = await retrieve(b, tokens, '微心愿是什么', 5);
    assert.deepEqual(b.denseCalls, [['微心愿是什么', CANDIDATES]]);
    assert.deepEqual(r.dense, [
      { id: report, score: 0.91 },
      { id: wish, score: 0.5 },
    ]);
    const lexical = index.lexical.search(tokens, CANDIDATES);
    assert.deepEqual(lexical.map((h) => h.id), [wish, grid]);
    assert.deepEqual(
      r.passages.map((p) => ({ id: p.passageId, score: p.score, lexical: p.lexical, dense: p.dense })),
      [
        { id: wish, score: 1 / 61 + 1 / 62, lexical: { rank: 1, score: lexical[0]!.score }, dense: { rank: 2, score: 0.5 } },
        { id: report, score: 1 / 61, lexical: undefined, dense: { rank: 1, score: 0.91 } },
        { id: grid, score: 1 / 62, lexical: { rank: 2, score: lexical[1]!.score }, dense: undefined },
      ],
    );
  });

  test('topK is respected after fusion', async () => {
    const b = backend([
      { id: idOf('report'), score: 0.9 },
      { id: idOf('wish'), score: 0.8 },
    ]);
    const tokens = tokenize('微心愿');
    for (const k of [1, 2, 3]) {
      const r = await retrieve(b, tokens, '微心愿', k);
      assert.equal(r.passages.length, k);
      // The candidate lists are not cut to topK.
      assert.equal(r.lexical.length, 2);
      assert.equal(r.dense?.length, 2);
    }
    const one = await retrieve(b, tokens, '微心愿', 1);
    assert.deepEqual(one.passages.map((p) => p.docId), ['wish']);
    const two = await retrieve(b, tokens, '微心愿', 2);
    // report is first in the dense list (1/61), grid second in the lexical one (1/62).
    assert.deepEqual(two.passages.map((p) => p.docId), ['wish', 'report']);
  });

  test('no dense query text: the dense list is not asked for', async () => {
    const b = backend([{ id: idOf('report'), score: 0.9 }]);
    const r = await retrieve(b, tokenize('网格员'), '', 5);
    assert.equal(r.dense, null);
    assert.deepEqual(b.denseCalls, []);
    assert.deepEqual(r.passages.map((p) => p.docId), ['grid']);
  });

  test('a question matching nothing retrieves nothing', async () => {
    const r = await retrieve(backend(), tokenize('天气预报'), '天气预报', 5);
    assert.deepEqual(r, { passages: [], lexical: [], dense: null });
  });
});
