import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inline, markdownToText } from '../../src/corpus/loaders/markdown.ts';
import { htmlToText, sniffCharset } from '../../src/corpus/loaders/html.ts';

test('markdown inline markup reduced to text', () => {
  assert.equal(inline('**重点**、__重点__、*强调*、~~删除~~'), '重点、重点、强调、删除');
  assert.equal(inline('见[细则](http://x.cn/a_(b))和![图](a.png)、[参考][1]'), '见细则和图、参考');
  assert.equal(inline('`npm run ingest` 与 <https://example.org>'), 'npm run ingest 与 https://example.org');
  assert.equal(inline('snake_case_name 和 _强调_ 和 \\*星号\\*'), 'snake_case_name 和 强调 和 *星号*');
  assert.equal(inline('第一行<br/>带<span class="x">标签</span>'), '第一行带标签');
});

test('markdown blocks: headings, rules, quotes, fences, link definitions', () => {
  const { text, headings } = markdownToText(
    ['#不是标题', '### 三级 ###', '***', '> 引用一', '> > 引用二', '1. 第一', '   缩进续行', '', '```', '  代码 *原样*', '```', '[1]: http://x.cn'].join('\n'),
  );
  assert.equal(text, '#不是标题\n\n三级\n\n引用一\n引用二\n1. 第一\n缩进续行\n\n代码 *原样*');
  assert.deepEqual(headings, [{ start: 7, level: 3, text: '三级' }]);
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
