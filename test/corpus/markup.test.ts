import { test } from 'node:test';
import assert from 'node:assert/strict';
import { markdownToText } from '../../src/corpus/loaders/markdown.ts';
import { htmlToText, sniffCharset } from '../../src/corpus/loaders/html.ts';

const text = (md: string) => markdownToText(md).text;

test('markdown inline markup reduced to text (CommonMark, through markdown-it)', () => {
  assert.equal(text('**重点**、__重点__、*强调*、~~删除~~'), '重点、重点、强调、删除');
  // A reference link without its definition is literal text in CommonMark.
  assert.equal(text('见[细则](http://x.cn/a_(b))和![图](a.png)、[参考][1]\n\n[1]: http://x.cn'), '见细则和图、参考');
  assert.equal(text('`npm run ingest` 与 <https://example.org>'), 'npm run ingest 与 https://example.org');
  assert.equal(text('snake_case_name 和 _强调_ 和 \\*星号\\*'), 'snake_case_name 和 强调 和 *星号*');
  // Inline HTML tags go, a <br> is a line break.
  assert.equal(text('第一行<br/>带<span class="x">标签</span>'), '第一行\n带标签');
});

test('markdown blocks: headings, rules, quotes, ordered lists keep their numbers, fences, link definitions', () => {
  const { text, headings } = markdownToText(
    ['#不是标题', '### 三级 ###', '***', '> 引用一', '> > 引用二', '1. 第一', '   缩进续行', '', '```', '  代码 *原样*', '```', '[1]: http://x.cn'].join('\n'),
  );
  assert.equal(text, '#不是标题\n\n三级\n\n引用一\n\n引用二\n\n1. 第一\n缩进续行\n\n代码 *原样*');
  assert.deepEqual(headings, [{ start: 7, level: 3, text: '三级' }]);
});

test('markdown: a heading that holds an article stays text; lists numbered as written; bullets dropped', () => {
  const { text, headings } = markdownToText(
    ['# 第二章 党员的义务', '', '## 第五条 党员必须履行下列义务：', '', '3. 认真学习', '4. 贯彻执行', '', '- 甲', '- 乙'].join('\n'),
  );
  assert.equal(text, '第二章 党员的义务\n\n第五条 党员必须履行下列义务：\n\n3. 认真学习\n4. 贯彻执行\n\n甲\n乙');
  assert.deepEqual(headings, [
    { start: 0, level: 1, text: '第二章 党员的义务' },
    { start: 11, level: 2, text: '第五条 党员必须履行下列义务：' },
  ]);
});

test('markdown tables: one line per row with headers; a blank template row dropped and counted', () => {
  const { text, dropped } = markdownToText(
    ['| 职务 | 姓名 | 任期 |', '|---|---|---|', '| 支部书记 | 张三 | 5年 |', '| 组织委员 |  | 5年 |', '| ____ | 骥 | （签名） |'].join('\n'),
  );
  assert.equal(text, '职务：支部书记；姓名：张三；任期：5年\n职务：组织委员；任期：5年');
  assert.deepEqual(dropped, { 'blank-form-row': 9 }); // ____ 骥 （签名）
});

test('html: a line break between Chinese characters is no space; <pre> keeps its lines', () => {
  const { text } = htmlToText('<body><p>党员\n  报到 and\nLatin</p><pre>第一行\n  第二行</pre><p>a<br>b</p></body>');
  assert.equal(text, '党员报到 and Latin\n\n第一行\n第二行\n\na\nb');
});

test('html: without <article>, <main> is the content root; hidden and aria-hidden dropped', () => {
  const { text, title } = htmlToText(
    '<body><div>站点横幅</div><main><h1>标题</h1><p hidden>隐藏</p><p aria-hidden="true">屏读隐藏</p>' +
      '<p style="visibility: hidden">不可见</p><p>正文</p><footer>页脚</footer></main></body>',
  );
  assert.equal(text, '标题\n\n正文');
  assert.equal(title, '标题');
});

test('html: title falls back to the first h1; no title at all is undefined', () => {
  assert.equal(htmlToText('<h1>主标题</h1><p>x</p>').title, '主标题');
  assert.equal(htmlToText('<title>网页标题</title><h1>另一个</h1>').title, '网页标题');
  assert.equal(htmlToText('<p>只有正文</p>').title, undefined);
});

test('sniffCharset reads <meta charset> and http-equiv declarations', () => {
  assert.equal(sniffCharset(Buffer.from('<meta charset="GBK">')), 'GBK');
  assert.equal(sniffCharset(Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />')), 'gb2312');
  assert.equal(sniffCharset(Buffer.from('<p>charset=none</p>')), undefined);
});
