import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { chunkDocument, DEFAULT_CHUNK_OPTIONS } from '../../src/corpus/chunk.ts';
import type { SourceDocument } from '../../src/corpus/document.ts';
import { loadDocument } from '../../src/corpus/load-document.ts';

function doc(text: string, headings: SourceDocument['headings'] = []): SourceDocument {
  return { docId: 'd', path: 'd.md', format: 'md', title: '标题', meta: {}, text, headings, marks: [], dropped: {} };
}

test('a short document is one passage with exact offsets', () => {
  const text = '第一句话。第二句话！';
  const chunks = chunkDocument(doc(text));
  assert.deepEqual(chunks, [{ docId: 'd', title: '标题', heading: '', text, start: 0, end: text.length, loc: {} }]);
});

test('passages never cut inside a sentence and stay within the size bounds', () => {
  const sentence = (i: number) => `这是第${i}句，讲的是社区党组织开展志愿服务的具体做法和成效。`; // 29–30 chars
  const text = Array.from({ length: 60 }, (_, i) => sentence(i)).join('');
  const chunks = chunkDocument(doc(text));
  assert.ok(chunks.length > 3);
  for (const c of chunks) {
    assert.equal(text.slice(c.start, c.end), c.text);
    assert.ok(c.text.length <= DEFAULT_CHUNK_OPTIONS.maxChars, `passage of ${c.text.length}`);
    assert.ok(c.text.endsWith('。'), 'ends at a sentence end');
    assert.match(c.text, /^这是第\d+句/, 'starts at a sentence start');
  }
  // All but the last reach the minimum.
  for (const c of chunks.slice(0, -1)) assert.ok(c.text.length >= DEFAULT_CHUNK_OPTIONS.minChars - 30);
  // One sentence of overlap: each passage starts with the previous one's last sentence.
  for (let i = 1; i < chunks.length; i++) {
    const prevLast = chunks[i - 1]!.text.split('。').filter(Boolean).pop()! + '。';
    assert.ok(chunks[i]!.text.startsWith(prevLast), `passage ${i} repeats the previous last sentence`);
  }
});

test('headings and 第X条 lines open sections; heading lines stay in the passage text', () => {
  const text = ['总则', '第一条 为了加强社区党建工作，制定本办法。', '第二条 本办法适用于全县城市社区。', '附则', '本办法自发布之日起施行。'].join('\n');
  const headings = [
    { start: 0, level: 2, text: '总则' },
    { start: text.indexOf('附则'), level: 2, text: '附则' },
  ];
  const chunks = chunkDocument(doc(text, headings));
  assert.deepEqual(
    chunks.map((c) => [c.heading, c.text, c.loc]),
    [
      ['第一条', '总则\n第一条 为了加强社区党建工作，制定本办法。', { article: '第一条', wholeArticle: true }],
      ['第二条', '第二条 本办法适用于全县城市社区。', { article: '第二条', wholeArticle: true }],
      ['附则', '附则\n本办法自发布之日起施行。', {}],
    ],
  );
});

test('short structural lines such as （一） become the heading of what follows, and stay in its text', () => {
  const text = '（一）组织建设\n建立三级联动体系。\n（二）机制建设\n健全例会制度。';
  const chunks = chunkDocument(doc(text));
  assert.deepEqual(chunks.map((c) => [c.heading, c.text]), [
    ['（一）组织建设', '（一）组织建设\n建立三级联动体系。'],
    ['（二）机制建设', '（二）机制建设\n健全例会制度。'],
  ]);
});

test('a regulation: chapters and articles label passages; items of an article stay in it', () => {
  const text = [
    '第一章 总则',
    '第一条 为了规范工作，制定本条例。',
    '第二章 组织设置',
    '第一节 基层组织',
    '第二条 党员人数较多的，可以设立党总支：',
    '（一）党员人数超过50人的；',
    '（二）工作需要的。',
    '第三条 党支部委员会由3至5人组成，一般不超过7人。',
  ].join('\n');
  const chunks = chunkDocument(doc(text));
  assert.deepEqual(chunks.map((c) => [c.text, c.loc]), [
    ['第一章 总则\n第一条 为了规范工作，制定本条例。', { chapter: '第一章', article: '第一条', wholeArticle: true }],
    [
      '第二章 组织设置\n第一节 基层组织\n第二条 党员人数较多的，可以设立党总支：\n（一）党员人数超过50人的；\n（二）工作需要的。',
      { chapter: '第二章 第一节', article: '第二条', wholeArticle: true },
    ],
    ['第三条 党支部委员会由3至5人组成，一般不超过7人。', { chapter: '第二章 第一节', article: '第三条', wholeArticle: true }],
  ]);
});

test('an article longer than a passage keeps its label on every part, not wholeArticle', () => {
  const clause = '党支部应当按照规定定期召开支部党员大会并认真做好会议记录。';
  const text = ['第一章 总则', '第一条 ' + clause.repeat(20), '第二条 ' + clause].join('\n');
  const chunks = chunkDocument(doc(text));
  const first = chunks.filter((c) => c.loc.article === '第一条');
  assert.ok(first.length >= 2);
  for (const c of first) assert.deepEqual(c.loc, { chapter: '第一章', article: '第一条' });
  assert.deepEqual(chunks.at(-1)!.loc, { chapter: '第一章', article: '第二条', wholeArticle: true });
});

test('marks become pages, sheet rows, slides and OCR on the passages they cover', () => {
  const rows = ['工作表：台账', '姓名：张三；职务：书记', '姓名：李四；职务：委员'];
  const text = rows.join('\n');
  const marks = [
    { start: 0, sheet: '台账', row: 1 },
    { start: text.indexOf('姓名：张三'), sheet: '台账', row: 3 },
    { start: text.indexOf('姓名：李四'), sheet: '台账', row: 4 },
  ];
  const d = { ...doc(text, [{ start: 0, level: 2, text: '工作表：台账' }]), marks };
  assert.deepEqual(chunkDocument(d).map((c) => c.loc), [{ sheet: '台账', rows: [1, 4] }]);

  const paged = '第一页的文字。\n第二页的文字。';
  const pdf = { ...doc(paged), marks: [{ start: 0, page: 1 }, { start: paged.indexOf('第二页'), page: 2, ocr: true }] };
  assert.deepEqual(chunkDocument(pdf).map((c) => c.loc), [{ pages: [1, 2], ocr: true }]);
  const slides = { ...doc('封面标题\n正文内容。'), marks: [{ start: 0, slide: 1 }, { start: 5, slide: 2 }] };
  assert.deepEqual(chunkDocument(slides).map((c) => c.loc), [{ slides: [1, 2] }]);
});

test('a passage closes before 一是/二是 once it is long enough', () => {
  const filler = '梨树县委坚持区域化党建理念，推动各领域党组织融合发展，形成共建共享的工作格局。'; // 38 chars
  const text = filler.repeat(8) + '一是建立联动体系。' + filler.repeat(4) + '二是打造党建品牌。' + filler.repeat(4);
  const chunks = chunkDocument(doc(text));
  assert.ok(chunks.some((c) => c.text.startsWith('一是建立联动体系。')), 'a passage starts at 一是');
});

test('one sentence longer than the maximum is cut at commas', () => {
  const clause = '社区党组织联合驻区单位开展活动';
  const long = Array.from({ length: 40 }, () => clause).join('，') + '。';
  const chunks = chunkDocument(doc(long));
  assert.ok(chunks.length >= 2);
  assert.equal(chunks.map((c) => c.text).join(''), long);
  for (const c of chunks) assert.ok(c.text.length <= DEFAULT_CHUNK_OPTIONS.maxChars);
  assert.ok(chunks[0]!.text.endsWith('，'));
});

test('every passage of the bundled corpus is an exact slice of its document', async () => {
  for (const name of readdirSync('corpus')) {
    const d = await loadDocument(`corpus/${name}`, 'corpus');
    const chunks = chunkDocument(d);
    assert.ok(chunks.length >= 1, name);
    for (const c of chunks) {
      assert.equal(d.text.slice(c.start, c.end), c.text);
      assert.ok(c.text.length <= DEFAULT_CHUNK_OPTIONS.maxChars, `${name}: ${c.text.length}`);
    }
  }
  // The seed's key figure survives whole in one passage.
  const main = await loadDocument('corpus/lishu-five-ones.md', 'corpus');
  assert.ok(chunkDocument(main).some((c) => c.text.includes('报到比例达91.43%')));
  assert.ok(readFileSync('corpus/lishu-five-ones.md', 'utf8').includes('91.43%'));
});
