import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LexicalIndex } from '../../src/index/lexical-index.ts';
import { tokenize } from '../../src/index/tokenizer.ts';
import { IndexError } from '../../src/errors.ts';

test('tokenize: jieba search mode without punctuation, stop words and question words', () => {
  assert.deepEqual(tokenize('在职党员到社区报到的比例是多少？'), ['在职', '党员', '到', '社区', '报到', '比例']);
  assert.deepEqual(tokenize('POWER6处理器速度是多少？'), ['power6', '处理', '理器', '处理器', '速度']);
  assert.deepEqual(tokenize('一共有几项？'), []);
  assert.deepEqual(tokenize(''), []);
});

test('BM25 scores match the formula (k1 1.2, b 0.75)', () => {
  const docs = [['a', 'b'], ['a', 'a', 'c'], ['c']];
  const index = LexicalIndex.build(docs);
  const n = 3;
  const avg = 2;
  const idf = (df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
  const term = (tf: number, len: number, df: number) => (idf(df) * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * len) / avg));
  const hits = index.search(['a'], 10);
  assert.deepEqual(hits.map((h) => h.id), [1, 0]);
  assert.ok(Math.abs(hits[0]!.score - term(2, 3, 2)) < 1e-12);
  assert.ok(Math.abs(hits[1]!.score - term(1, 2, 2)) < 1e-12);
  const both = index.search(['a', 'c'], 1);
  assert.deepEqual(both.map((h) => h.id), [1]);
  assert.ok(Math.abs(both[0]!.score - (term(2, 3, 2) + term(1, 3, 2))) < 1e-12);
  assert.deepEqual(index.search(['zzz'], 5), []);
  assert.deepEqual(index.search(['a'], 0), []);
  assert.equal(index.df('c'), 2);
  assert.equal(index.df('zzz'), 0);
});

test('top-k keeps the best k in order, ties to the lower id', () => {
  const docs = Array.from({ length: 100 }, (_, i) => Array.from({ length: (i % 7) + 1 }, () => 'x').concat(['pad', 'pad']));
  const index = LexicalIndex.build(docs);
  const all = index.search(['x'], 100);
  const top = index.search(['x'], 5);
  assert.deepEqual(top, all.slice(0, 5));
  for (let i = 1; i < all.length; i++) {
    const [a, b] = [all[i - 1]!, all[i]!];
    assert.ok(a.score > b.score || (a.score === b.score && a.id < b.id));
  }
  // Repeated searches give identical results (the scratch array is reset).
  assert.deepEqual(index.search(['x'], 5), top);
});

test('save/load round trip; damaged files are refused naming the file and the fix', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'tongxin-lex-'));
  try {
    const index = LexicalIndex.build([tokenize('社区党建联盟'), tokenize('红色物业和红色楼宇'), tokenize('微心愿平台')]);
    await index.save(dir);
    const loaded = await LexicalIndex.load(dir);
    assert.deepEqual(loaded.search(tokenize('红色楼宇'), 3), index.search(tokenize('红色楼宇'), 3));
    assert.equal(loaded.size, 3);

    await truncate(path.join(dir, 'lexical.bin'), 10);
    await assert.rejects(LexicalIndex.load(dir), (err: IndexError) => {
      assert.equal(err.code, 'INDEX_CORRUPT');
      assert.match(err.message, /lexical\.bin/);
      assert.match(err.message, /npm run ingest -- --rebuild/);
      return true;
    });
    await writeFile(path.join(dir, 'lexical.json'), '{"format": 99}');
    await assert.rejects(LexicalIndex.load(dir), (err: IndexError) => err.code === 'INDEX_INCOMPATIBLE');
    await rm(path.join(dir, 'lexical.json'));
    await assert.rejects(LexicalIndex.load(dir), (err: IndexError) => err.code === 'INDEX_CORRUPT' && /lexical\.json is missing/.test(err.message));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
