import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LoadError } from '../../../src/errors.ts';
import { loadDocument } from '../../../src/corpus/load-document.ts';
import { htmlToText, pageTitle } from '../../../src/corpus/loaders/html.ts';

const REAL = resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'real-docs');
const real = existsSync(REAL) ? false : `real documents not found at ${REAL} (../shared/real-docs)`;

// A school site's saved page, shaped like the real ones: menus, breadcrumb, a column name as the
// page heading, the regulation's name in a bold centred line, 章 headings as bold paragraphs.
const PAGE = `<html><head><meta charset="utf-8"><title>【2024年5月学习材料】--学习专栏-示例市第一中学</title></head><body>
<div class="nav"><ul><li><a href="/">网站首页</a></li><li><a href="/dj">党建引领</a></li><li><a href="/xx">学习专栏</a></li></ul></div>
<div class="sideBar"><h3>推荐阅读</h3><ul><li><a href="/1">每周一学（2024年4月1日-4月7日）其他文章标题一</a></li><li><a href="/2">每周一学（2024年4月8日-4月14日）其他文章标题二</a></li></ul></div>
<div class="mainContent"><div class="path"><span>当前位置：</span><a href="/">首页</a> &gt; <a href="/xx">学习专栏</a></div>
<h2 class="title">【2024年5月学习材料】</h2><div class="property"><span>发布时间：2024年05月06日</span></div>
<div class="conTxt">
<p style="text-align:center"><strong>某社区党组织工作规则</strong></p>
<p style="text-indent:2em">新华社北京5月5日电 近日，某社区党委印发了《某社区党组织工作规则》，要求各党支部认真遵照执行，结合实际抓好贯彻落实，推动社区党建工作提质增效。</p>
<p><strong>第一章　总则</strong></p>
<p>第一条　为了加强社区党组织建设，规范社区党组织工作，提高社区治理水平，根据有关党内法规，结合本社区实际，制定本规则。</p>
<p>第二条 社区党组织是党在社区全部工作和战斗力的基础，领导社区各类组织和各项工作，团结带领居民群众建设美好家园。</p>
<p><span style="font-family:黑体">第二章 组织设置</span></p>
<p>第三条　社区党组织一般设立党委，党员人数较少的可以设立党总支或者党支部，按照规定程序产生并报上级党组织批准。</p>
</div></div>
<div class="footer"><p>版权所有 示例市第一中学 地址：示例路1号</p></div>
<script>var hits = "点击数统计";</script></body></html>`;

test('html: main text only, column-name heading replaced by the bold centred name, bold 章 headings, furniture counted', () => {
  const doc = htmlToText(PAGE);
  assert.equal(doc.title, '某社区党组织工作规则');
  assert.equal(
    doc.text,
    [
      // Readability keeps the date line next to the text (the real pages' own line, with its
      // script, is dropped as furniture).
      '发布时间：2024年05月06日',
      '',
      '某社区党组织工作规则',
      '',
      '新华社北京5月5日电 近日，某社区党委印发了《某社区党组织工作规则》，要求各党支部认真遵照执行，结合实际抓好贯彻落实，推动社区党建工作提质增效。',
      '',
      '第一章 总则',
      '',
      '第一条 为了加强社区党组织建设，规范社区党组织工作，提高社区治理水平，根据有关党内法规，结合本社区实际，制定本规则。',
      '',
      '第二条 社区党组织是党在社区全部工作和战斗力的基础，领导社区各类组织和各项工作，团结带领居民群众建设美好家园。',
      '',
      '第二章 组织设置',
      '',
      '第三条 社区党组织一般设立党委，党员人数较少的可以设立党总支或者党支部，按照规定程序产生并报上级党组织批准。',
    ].join('\n'),
  );
  assert.deepEqual(doc.headings.map((h) => [h.level, h.text]), [
    [1, '某社区党组织工作规则'],
    [2, '第一章 总则'],
    [2, '第二章 组织设置'],
  ]);
  // Menus, sidebar, breadcrumb, column heading, date line and footer (scripts are not text).
  const furniture = '网站首页党建引领学习专栏推荐阅读每周一学（2024年4月1日-4月7日）其他文章标题一每周一学（2024年4月8日-4月14日）其他文章标题二' +
    '当前位置：首页>学习专栏【2024年5月学习材料】版权所有示例市第一中学地址：示例路1号';
  assert.deepEqual(doc.dropped, { 'site-furniture': [...furniture].length });
});

test('html titles: site name stripped, column prefix and release headline reduced to the name', () => {
  assert.equal(pageTitle('关于开展主题党日活动的通知_示例区党建网', '', []), '关于开展主题党日活动的通知');
  assert.equal(pageTitle('每周一学（2024年2月26日-3月3日）党史学习教育工作条例--学习专栏-某中学', '', []), '党史学习教育工作条例');
  assert.equal(pageTitle('中共中央办公厅印发《干部人事档案工作条例》--学习专栏-某中学', '', []), '干部人事档案工作条例');
  assert.equal(pageTitle('学习专栏 - 某中学', '', ['中共中央印发', '《某条例》']), '某条例');
  assert.equal(pageTitle('', '', []), undefined);
});

test('html: an undecodable page is skipped with a one-line reason', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tongxin-html-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'bad.html'), Buffer.from(Array.from({ length: 2048 }, (_v, i) => 0x80 + ((i * 37) % 128))));
  const err = await loadDocument(join(dir, 'bad.html'), dir).catch((e: unknown) => e);
  assert.ok(err instanceof LoadError);
  assert.equal(err.reason, 'binary content or unknown text encoding (save as UTF-8)');
});

// file, title, articles (第N条 lines), first chapters, characters of site furniture dropped.
const REAL_PAGES: Array<[string, string, number, string[], number]> = [
  ['学习材料_机关基层组织工作条例.html', '中国共产党党和国家机关基层组织工作条例', 43, ['第一章 总则', '第二章 组织设置', '第三章 基本职责'], 854],
  ['每周一学_党史学习教育工作条例.html', '党史学习教育工作条例', 34, ['第一章 总则', '第二章 领导体制和工作职责', '第三章 党史学习教育的内容'], 908],
  ['每周一学_党政机关厉行节约反对浪费条例.html', '党政机关厉行节约反对浪费条例', 63, ['第一章 总则', '第二章 经费管理', '第三章 国内差旅和因公临时出国（境）'], 914],
  ['干部人事档案工作条例.html', '干部人事档案工作条例', 46, ['第一章 总则', '第二章 管理体制和职责', '第三章 内容和分类'], 881],
];

for (const [file, title, articles, chapters, furniture] of REAL_PAGES) {
  test(`real ${file}: the regulation's name as title, its 章 headings and 条, no site furniture`, { skip: real }, async () => {
    const doc = await loadDocument(join(REAL, file), REAL);
    assert.equal(doc.title, title);
    assert.deepEqual(doc.headings.filter((h) => /^第.+章 /.test(h.text)).slice(0, 3).map((h) => h.text), chapters);
    const lines = doc.text.split('\n');
    assert.equal(lines.filter((l) => /^第[一二三四五六七八九十百]+条 /.test(l)).length, articles);
    for (const junk of ['推荐阅读', '当前位置', '点击数', '绍兴市第一中学', '学习专栏', 'function', '进入后台编辑']) {
      assert.ok(!doc.text.includes(junk), `${file}: ${junk}`);
    }
    assert.deepEqual(doc.dropped, { 'site-furniture': furniture });
  });
}
