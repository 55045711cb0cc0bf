import { test } from 'node:test';
import assert from 'node:assert/strict';
import { citationLocation, sourcesBlock } from '../../src/answer/answer-text.ts';
import type { Citation } from '../../src/answer/types.ts';
import { sourceText } from '../../src/chat/replies.ts';

const base = { title: '中国共产党支部工作条例', heading: '', part: 3, parts: 9, loc: {} };

test('citations name the article, the page, the sheet rows and the slide, as a reader looks them up', () => {
  const cases: Array<[Partial<Citation>, string]> = [
    [{ heading: '第十二条', loc: { chapter: '第三章', article: '第十二条', wholeArticle: true } }, '第三章 第十二条'],
    [{ loc: { article: '第五条' } }, '第五条'],
    [{ heading: '1.1 系统目标', loc: { chapter: '第一章' } }, '第一章 1.1 系统目标'],
    [{ heading: '第二章 党员', loc: { chapter: '第二章' } }, '第二章'],
    [{ loc: { pages: [3, 3] } }, '第3页'],
    [{ loc: { pages: [3, 4], ocr: true } }, '第3–4页（扫描件识别）'],
    [{ loc: { chapter: '第一章', article: '第二条', pages: [2, 2], ocr: true } }, '第一章 第二条，第2页（扫描件识别）'],
    [{ heading: '工作表：台账', loc: { sheet: '发展信息台账', rows: [5, 9] } }, '「发展信息台账」第5–9行'],
    [{ heading: '网络平台', loc: { slides: [2, 2] } }, '网络平台，第2张'],
    [{ heading: '（一）组织建设' }, '（一）组织建设'],
    [{}, '第3/9段'],
  ];
  for (const [over, expected] of cases) assert.equal(citationLocation({ ...base, ...over }), expected);
});

test('the source list prints each citation with its location', () => {
  const c = { ...base, n: 1, docId: 'd', text: '', start: 0, end: 0, loc: { chapter: '第三章', article: '第十二条' } } satisfies Citation;
  assert.equal(sourcesBlock([c]), '来源：\n[1]《中国共产党支部工作条例》第三章 第十二条');
});

test('a source that is one article answering the question whole says so; 原文 N does not repeat it', () => {
  const c = { ...base, n: 1, docId: 'd', text: '第十二条 ……', start: 0, end: 0, loc: { chapter: '第三章', article: '第十二条' }, wholeAnswer: true } satisfies Citation;
  const other = { ...c, n: 2, loc: { article: '第十三条' }, wholeAnswer: undefined };
  assert.equal(sourcesBlock([c, other]), '来源：\n[1]《中国共产党支部工作条例》第三章 第十二条（本条即完整答案）\n[2]《中国共产党支部工作条例》第十三条');
  assert.equal(sourceText(c), '【来源 1】《中国共产党支部工作条例》第三章 第十二条\n第十二条 ……');
});
