import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadError } from '../../src/errors.ts';
import type { SourceDocument } from '../../src/corpus/document.ts';
import { isSupported, formatOf, loadDocument, SUPPORTED_EXTENSIONS } from '../../src/corpus/load-document.ts';
import { normalizeText } from '../../src/corpus/normalize-text.ts';
import { runScript } from '../helpers/run-script.ts';
import { midStreamDamagedPdf } from '../helpers/bad-files.ts';

const ROOT = join(import.meta.dirname, '..', 'fixtures');
const fixture = (name: string) => join(ROOT, 'docs', name);

/** Invariants every loaded document keeps: normalized text, headings that index it exactly. */
function assertWellFormed(doc: SourceDocument): void {
  assert.equal(normalizeText(doc.text), doc.text);
  for (const h of doc.headings) assert.equal(doc.text.slice(h.start, h.start + h.text.length), h.text);
}

async function loadError(name: string, options?: { maxBytes?: number }): Promise<LoadError> {
  const err = await loadDocument(fixture(name), ROOT, options).then(
    () => assert.fail(`${name} loaded`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof LoadError, String(err));
  assert.equal(err.code, 'LOAD_FAILED');
  assert.equal(err.path, fixture(name));
  return err;
}

test('markdown: front matter, headings, inline markup and a table reduced to text', async () => {
  const doc = await loadDocument(fixture('front-matter.md'), ROOT);
  assert.equal(doc.docId, 'docs/front-matter');
  assert.equal(doc.path, 'docs/front-matter.md');
  assert.equal(doc.format, 'md');
  assert.equal(doc.title, '社区党员报到工作指引');
  assert.deepEqual(doc.meta, {
    source: '某街道党工委',
    region: '示例市示例区',
    url: 'https://example.org/notice/1',
    date: '2024-05-01',
    tags: '党建, 报到',
  });
  assert.equal(
    doc.text,
    [
      '报到流程',
      '',
      '在职党员应当在 三十日内 到社区报到，详见报到须知。',
      '',
      '报到流程图',
      '',
      '所需材料',
      '',
      '党员证明材料',
      '本人身份证件',
      '《在职党员社区报到登记表》',
      '',
      '联系电话见下表：',
      '',
      // A table row carries its column headers, so the row is understood in a passage alone.
      '社区：和平社区；电话：0000-1234567',
      '',
      '服务岗位设置',
      '',
      '社区根据党员特长设置岗位，可以选择政策宣传、环境整治等岗位。',
      '',
      '报到时间：工作日 9:00-17:00',
      '',
      '温馨提示：报到后请关注社区通知。',
    ].join('\n'),
  );
  assert.deepEqual(doc.headings, [
    { start: 0, level: 1, text: '报到流程' },
    { start: 41, level: 2, text: '所需材料' },
    { start: 111, level: 2, text: '服务岗位设置' },
  ]);
  assertWellFormed(doc);
});

test('txt: UTF-8 with CRLF, full-width indents and extra blank lines; title from the first line', async () => {
  const doc = await loadDocument(fixture('plain-utf8.txt'), ROOT);
  assert.equal(doc.docId, 'docs/plain-utf8');
  assert.equal(doc.format, 'txt');
  assert.equal(doc.title, '关于开展党员志愿服务活动的通知');
  assert.equal(
    doc.text,
    '关于开展党员志愿服务活动的通知\n\n各党支部：\n为丰富党员活动形式，经研究，决定在全社区开展党员志愿服务活动。\n' +
      '请各党支部于本月二十日前报送参加人员名单。\n\n社区党委',
  );
  assert.deepEqual(doc.headings, [{ start: 0, level: 1, text: '关于开展党员志愿服务活动的通知' }]);
  assert.deepEqual(doc.meta, {});
});

test('txt: UTF-8 with BOM and UTF-16LE with BOM', async () => {
  const bom = await loadDocument(fixture('utf8-bom.txt'), ROOT);
  assert.equal(bom.title, '党员活动日安排');
  assert.equal(bom.text, '党员活动日安排\n\n每月第一个星期五为主题党日，组织党员集中学习。\n如遇节假日顺延。');
  const utf16 = await loadDocument(fixture('utf16le-bom.txt'), ROOT);
  assert.equal(utf16.text, '社区党群服务中心开放时间\n\n周一至周五上午九时至下午五时。');
});

test('txt: GBK bytes decode to the exact Chinese text', async () => {
  const doc = await loadDocument(fixture('gbk.txt'), ROOT);
  assert.equal(doc.title, '关于在职党员到社区报到的通知');
  assert.equal(
    doc.text,
    '关于在职党员到社区报到的通知\n\n' +
      '为进一步加强社区党建工作，推动在职党员主动融入社区治理，现就在职党员到社区报到有关事项通知如下。\n' +
      '在职党员应当在接到通知后三十日内，持本人党员证明材料到居住地所在社区党组织报到，填写《在职党员社区报到登记表》。\n' +
      '社区党组织要建立在职党员报到台账，根据党员特长设置服务岗位，每季度向党员所在单位反馈一次参与社区服务的情况。\n\n' +
      '特此通知。',
  );
});

test('html: the article only, boilerplate dropped, headings recorded, title from the h1', async () => {
  const doc = await loadDocument(fixture('article.html'), ROOT);
  assert.equal(doc.docId, 'docs/article');
  assert.equal(doc.format, 'html');
  // <title> is "…_示例区党建网"; the h1 inside it is the document's own title.
  assert.equal(doc.title, '社区党组织换届选举工作问答');
  assert.equal(
    doc.text,
    [
      '社区党组织换届选举工作问答',
      '',
      '发布时间：2024-05-01',
      '',
      '一、换届选举多久进行一次？',
      '',
      '社区党组织每届任期五年，任期届满应当按期进行换届选举。',
      '',
      '二、哪些党员有选举权？',
      '',
      '除被依法剥夺政治权利的以外，正式党员都有选举权、被选举权和表决权 — 预备党员没有表决权。',
      '',
      '正式党员：有表决权',
      '预备党员：无表决权',
      '',
      '详细规定见选举工作细则。',
      '咨询电话：0000-7654321',
    ].join('\n'),
  );
  assert.deepEqual(doc.headings, [
    { start: 0, level: 1, text: '社区党组织换届选举工作问答' },
    { start: 32, level: 2, text: '一、换届选举多久进行一次？' },
    { start: 76, level: 2, text: '二、哪些党员有选举权？' },
  ]);
  for (const junk of ['首页', '热点推荐', '统计代码', '广告', '版权所有', '责任编辑', '搜索', '请启用脚本', '隐藏的内容', 'font-family']) {
    assert.ok(!doc.text.includes(junk), junk);
  }
  assertWellFormed(doc);
});

test('html: a GBK page with a charset meta and class-named chrome', async () => {
  const doc = await loadDocument(fixture('gbk.html'), ROOT);
  assert.equal(doc.title, '党费收缴使用管理问答');
  assert.equal(
    doc.text,
    '党费收缴使用管理问答\n\n党员应当按月交纳党费，特殊情况下经党支部同意可以按季度交纳。\n\n党费必须用于党的活动，主要用于党员教育培训。',
  );
  assert.deepEqual(doc.headings, [{ start: 0, level: 1, text: '党费收缴使用管理问答' }]);
});

test('docx: Title and Heading styles become headings, table rows become lines', async () => {
  const doc = await loadDocument(fixture('notice.docx'), ROOT);
  assert.equal(doc.docId, 'docs/notice');
  assert.equal(doc.path, 'docs/notice.docx');
  assert.equal(doc.format, 'docx');
  assert.equal(doc.title, '在职党员社区报到工作实施办法');
  assert.equal(
    doc.text,
    [
      '在职党员社区报到工作实施办法',
      '',
      '第一章 总则',
      '',
      '为进一步加强社区党建工作，推动在职党员主动融入社区治理，现就在职党员到社区报到有关事项通知如下。',
      '',
      '第二章 报到程序',
      '',
      '一、报到时间',
      '',
      '在职党员应当在接到通知后三十日内，持本人党员证明材料到居住地所在社区党组织报到，填写《在职党员社区报到登记表》。',
      '',
      '社区党组织应当建立报到台账。',
      '',
      '岗位 人数',
      '政策宣传 5',
    ].join('\n'),
  );
  assert.deepEqual(
    doc.headings.map((h) => [h.level, h.text]),
    [
      [1, '在职党员社区报到工作实施办法'],
      [1, '第一章 总则'],
      [1, '第二章 报到程序'],
      [2, '一、报到时间'],
    ],
  );
  assertWellFormed(doc);
});

test('pdf: Chinese text layer joined without spaces, wrapped lines rejoined, page numbers dropped', async () => {
  const doc = await loadDocument(fixture('notice.pdf'), ROOT);
  assert.equal(doc.docId, 'docs/notice');
  assert.equal(doc.format, 'pdf');
  // The metadata title is "Microsoft Word - 通知.docx" (tool junk): the largest heading wins.
  assert.equal(doc.title, '关于在职党员到社区报到的通知');
  assert.equal(
    doc.text,
    [
      '关于在职党员到社区报到的通知',
      '',
      '各党支部：',
      '',
      '为进一步加强社区党建工作，推动在职党员主动融入社区治理，现就在职党员到社区报到有关事项通知如下。',
      '',
      '一、报到要求',
      '',
      '在职党员应当在接到通知后三十日内，持本人党员证明材料到居住地所在社区党组织报到，填写《在职党员社区报到登记表》。',
      '',
      '报到时可登录 Party Service 平台（网址 www.example.org）在线填写 2024 年度登记表。',
      '',
      '二、工作要求',
      '',
      '社区党组织要建立在职党员报到台账，根据党员特长设置服务岗位，每季度向党员所在单位反馈一次参与社区服务的情况。',
    ].join('\n'),
  );
  assert.deepEqual(doc.headings, [
    { start: 0, level: 1, text: '关于在职党员到社区报到的通知' },
    { start: 73, level: 2, text: '一、报到要求' },
    { start: 200, level: 2, text: '二、工作要求' },
  ]);
  assertWellFormed(doc);
});

test('pdf: text in a non-embedded font with a predefined CMap (UniGB-UCS2-H)', async () => {
  const doc = await loadDocument(fixture('predefined-cmap.pdf'), ROOT);
  assert.equal(doc.text, '关于党员学习教育的安排：每月第一个星期五为主题党日。');
  assert.equal(doc.title, 'predefined-cmap'); // no heading, no metadata: the file name
  assert.deepEqual(doc.headings, []);
});

test('bad files give LoadError with a one-line reason', async () => {
  const cases: Array<[string, string]> = [
    ['empty.txt', 'empty file'],
    ['binary.txt', 'binary content (NUL bytes)'],
    ['undecodable.md', 'binary content or unknown text encoding (save as UTF-8)'],
    ['corrupt.docx', 'corrupt docx (not a readable Word document)'],
    ['corrupt.pdf', 'corrupt pdf (invalid structure)'],
    // OCR reads the page's picture (a grey rectangle) and finds nothing: reported, not empty.
    ['scanned.pdf', 'no text found (scanned pdf: OCR read nothing)'],
    ['unsupported.xyz', 'unsupported extension .xyz'],
    ['missing.txt', 'file not found'],
  ];
  for (const [name, reason] of cases) {
    const err = await loadError(name);
    assert.equal(err.reason, reason, name);
    assert.equal(err.message, `Tongxin: cannot load ${fixture(name)}: ${reason}`);
  }
  assert.ok((await loadError('corrupt.docx')).cause instanceof Error);
});

test('too large: refused from its size before reading', async () => {
  const err = await loadError('gbk.txt', { maxBytes: 100 });
  assert.equal(err.reason, 'too large (377 bytes > 100 bytes)');
  const ok = await loadDocument(fixture('gbk.txt'), ROOT, { maxBytes: 377 });
  assert.equal(ok.title, '关于在职党员到社区报到的通知');
});

test('bytes the caller already read are used instead of the file', async () => {
  const bytes = await readFile(fixture('utf8-bom.txt'));
  const doc = await loadDocument(join(ROOT, 'docs', 'not-on-disk.txt'), ROOT, { bytes });
  assert.equal(doc.docId, 'docs/not-on-disk');
  assert.equal(doc.title, '党员活动日安排');
});

test('paths: outside the corpus, a directory, upper-case extensions, nested docIds', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tongxin-loaders-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'policies', '2024', 'folder.md'), { recursive: true });
  await writeFile(join(dir, 'policies', '2024', 'Notice.TXT'), '第一行，不是标题。\n第二行。');

  const doc = await loadDocument(join(dir, 'policies', '2024', 'Notice.TXT'), dir);
  assert.equal(doc.docId, 'policies/2024/Notice');
  assert.equal(doc.path, 'policies/2024/Notice.TXT');
  assert.equal(doc.title, 'Notice'); // a first line ending in punctuation is not a title
  assert.deepEqual(doc.headings, []);
  assert.equal(doc.text, '第一行，不是标题。\n第二行。');

  const dirErr = await loadDocument(join(dir, 'policies', '2024', 'folder.md'), dir).catch((e: unknown) => e);
  assert.ok(dirErr instanceof LoadError);
  assert.equal(dirErr.reason, 'not a regular file');
  const outside = await loadDocument(fixture('gbk.txt'), dir).catch((e: unknown) => e);
  assert.ok(outside instanceof LoadError);
  assert.equal(outside.reason, 'file is outside the corpus folder');
});

test('unreadable file: permission denied, skipped with its reason while the rest is read', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tongxin-loaders-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const corpus = join(dir, 'corpus');
  const index = join(dir, 'index');
  await mkdir(corpus);
  await mkdir(index);
  await writeFile(join(corpus, 'open.md'), '# 须知\n\n党员报到须知。');
  await writeFile(join(corpus, 'locked.txt'), '党员报到须知。');
  await chmod(join(corpus, 'locked.txt'), 0o000);
  // Root reads any file whatever its mode: the ingest runs under the file modes.
  const r = await runScript('scripts/ingest.ts', ['--corpus', corpus, '--index', index, '--json'], { cwd: dir, obeyFileModes: true });
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.equal(report.docs, 1);
  assert.deepEqual(report.skipped, [{ path: 'locked.txt', reason: 'permission denied' }]);
});

test('supported extensions', () => {
  assert.deepEqual([...SUPPORTED_EXTENSIONS], ['.md', '.markdown', '.txt', '.html', '.htm', '.docx', '.dotx', '.pdf', '.doc', '.wps', '.xlsx', '.xls', '.csv', '.ofd', '.pptx', '.jpg', '.jpeg', '.png']);
  assert.equal(isSupported('a/b/通知.PDF'), true);
  assert.equal(isSupported('notes.markdown'), true);
  assert.equal(isSupported('old.ppt'), false);
  assert.equal(isSupported('README'), false);
  assert.equal(formatOf('x.htm'), 'html');
  assert.equal(formatOf('x.xyz'), undefined);
});

test('a PDF damaged mid-stream is skipped as corrupt; pdf.js stray rejection does not end the ingest', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tongxin-loaders-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const corpus = join(dir, 'corpus');
  await mkdir(corpus);
  await writeFile(join(corpus, 'open.md'), '# 须知\n\n党员报到须知。');
  await writeFile(join(corpus, 'damaged.pdf'), await midStreamDamagedPdf());
  // A child process, as staff run it: an unhandled rejection would end it with exit code 1.
  const r = await runScript('scripts/ingest.ts', ['--corpus', corpus, '--index', join(dir, 'index'), '--json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.equal(report.docs, 1);
  assert.deepEqual(report.skipped, [{ path: 'damaged.pdf', reason: 'corrupt pdf (cannot be parsed)' }]);
});
