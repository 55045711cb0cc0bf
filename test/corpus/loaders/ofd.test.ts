import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { LoadError } from '../../../src/errors.ts';
import { loadDocument } from '../../../src/corpus/load-document.ts';
import { normalizeText } from '../../../src/corpus/normalize-text.ts';
import { loadOfd, ofdLoader, type ScannedOfdPage } from '../../../src/corpus/loaders/ofd.ts';
import { REAL_DOCS, realDoc, realDocsSkip } from '../../helpers/real-docs.ts';

const ROOT = join(import.meta.dirname, '..', '..', 'fixtures');
const fixture = (name: string) => join(ROOT, 'docs', name);

test('ofd (real 批复): lines joined in coordinate order, two pages marked, 落款 on page 2, page numbers dropped', { skip: realDocsSkip }, async () => {
  const doc = await loadDocument(realDoc('批复_路桥区卫生局_同意辞职.ofd'), REAL_DOCS);
  assert.equal(doc.format, 'ofd');
  assert.equal(normalizeText(doc.text), doc.text);
  const page2 = doc.marks.find((m) => m.page === 2)!.start;
  assert.deepEqual(doc.marks, [
    { start: 0, page: 1 },
    { start: page2, page: 2 },
  ]);
  assert.equal(doc.text.slice(page2), '测试符路桥区卫生局办公室\n\n2011年3月10日\n\n测试符路桥区卫生局办公室 2011年3月10日印发');
  const paragraphs = doc.text.slice(0, page2).trim().split('\n\n');
  assert.deepEqual(paragraphs.slice(0, 6), [
    '测试符路桥区卫生局文件',
    '路卫发〔2011〕76号',
    '关于同意张阿三同志辞职的批复',
    '区中医院：',
    '你院《关于给张阿三同志辞职的请示》（路中医发〔2011〕10号）收悉。',
    '张阿三，男，1978年2月出生，籍贯江西新建，2001年9月参加工作，本科学历，主治医师，系区中医院职工。',
  ]);
  assert.equal(paragraphs.length, 7);
  assert.ok(paragraphs[6]!.endsWith('（浙人才〔1993〕73号）文件精神，经研究，同意张阿三同志辞职。'));
  assert.ok(!doc.text.includes('— 1 —') && !doc.text.includes('— 2 —'));
  assert.deepEqual(doc.dropped, { 'page-number': 10 });
  assert.deepEqual(doc.headings.map((h) => [h.level, h.text]), [
    [1, '测试符路桥区卫生局文件'],
    [2, '关于同意张阿三同志辞职的批复'],
  ]);
  // No DocInfo/Title in this file: the first title-like line (关于……的批复), not the red header.
  assert.equal(doc.title, '关于同意张阿三同志辞职的批复');
});

test('ofd (real 函): digits cut into their own runs are joined by position; DocInfo title', { skip: realDocsSkip }, async () => {
  const doc = await loadDocument(realDoc('函_关于加快南货场铁路涵洞下穿建设.ofd'), REAL_DOCS);
  assert.equal(
    doc.text,
    [
      '关于加快南货场铁路涵洞下穿建设的函',
      '蚌山区政府：',
      '根据我市2023年房地产用地供应计划，蚌山区东海大道北侧、解放路西侧居住地块计划于7月份出让，按照7月7日张铭副市长主持召开市自然资源和规划委员会审查会2023年第7次会议要求，你区需尽快落实南货场铁路涵洞下穿建设方案，建设方案与本宗地出让方案一并公告、同步建设、同期交付。为确保该宗地按计划完成供应，请你区政府尽快落实南货场铁路涵洞下穿建设方案，并加快工程施工建设。',
      '此函。',
      '2023年7月12日',
    ].join('\n\n'),
  );
  assert.deepEqual(doc.marks, [{ start: 0, page: 1 }]);
  assert.deepEqual(doc.dropped, {});
  // DocInfo/Title says 蚌埠市国土资源局, the issuing office (drawn as outlines in the red head):
  // not taken as the title; the document's own 关于……的函 line is.
  assert.equal(doc.title, '关于加快南货场铁路涵洞下穿建设的函');
});

test('ofd (real 收文处理单): form cells by their rules, wrapped values joined, annotation counted not indexed', { skip: realDocsSkip }, async () => {
  const doc = await loadDocument(realDoc('收文处理单_市政府文件处理.ofd'), REAL_DOCS);
  const lines = doc.text.split('\n').filter((l) => l !== '');
  assert.deepEqual(lines.slice(0, 8), [
    'XX市政府文件处理',
    '来文文号 | 府办专督〔2020〕24号 | 来文单位 | 市人民政府办公室',
    '来文日期 | 阅文时限',
    '收文日期 | 2020年06月15日11:28:09 | 单位收文编号 | X 725',
    '收文机关 | 秘书股 | 收文登记人 | 陈小明',
    '紧急程度 | 常规 | 公开方式 | 不公开 | 公文处理类型 | 签阅',
    '公文标题 | 市委主要领导同志调研后续落实事项的通知',
    '来文单位附注',
  ]);
  assert.deepEqual(lines.slice(8, 14), [
    '拟办意见',
    '1、呈小明、张三、国伟、李四同志阅示；',
    '2、呈王五同志阅处；',
    '3、请小兰同志审核；',
    '4、发至市商务局、市农业农村局、市交通运输局、市水利局。',
    '秘书股陈小明2020-06-15',
  ]);
  // The form's 公文标题 cell names the document it processes; the label is not part of it.
  assert.equal(doc.title, '市委主要领导同志调研后续落实事项的通知');
  assert.ok(!doc.text.includes('测试文本注释'));
  assert.deepEqual(doc.dropped, { annotation: 6 });
  assert.deepEqual(doc.marks, [{ start: 0, page: 1 }]);
});

test('ofd (generated): runs split mid-date, CTM in points, page number, annotation; a scanned page is left empty without OCR', async () => {
  const doc = await loadDocument(fixture('notice.ofd'), ROOT);
  assert.equal(doc.title, '关于开展党员志愿服务月活动的通知');
  assert.equal(
    doc.text,
    ['关于开展党员志愿服务月活动的通知', '各党支部：', '为丰富党员活动形式，经研究，决定于2024年5月开展党员志愿服务月活动。', '某某社区党委', '2024年4月28日'].join('\n\n'),
  );
  // Page 2 is an image only: nothing read, so no page-2 mark.
  assert.deepEqual(doc.marks, [{ start: 0, page: 1 }]);
  assert.deepEqual(doc.dropped, { 'page-number': 5, annotation: 3 });
});

test('ofd: a scanned page hands its images to readScannedPage and its text is marked as OCR', async () => {
  const bytes = await readFile(fixture('notice.ofd'));
  const seen: ScannedOfdPage[] = [];
  const load = ofdLoader({
    readScannedPage: async (page) => {
      seen.push(page);
      return ['扫描页第一行', '扫描页第二行'];
    },
  });
  const out = await load(bytes, fixture('notice.ofd'));
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.page, 2);
  assert.deepEqual(seen[0]!.box, { x: 0, y: 0, width: 210, height: 297 });
  assert.equal(seen[0]!.images.length, 1);
  assert.equal(seen[0]!.images[0]!.file, 'Doc_0/Res/scan_1.png');
  assert.deepEqual(seen[0]!.images[0]!.boundary, { x: 0, y: 0, width: 210, height: 297 });
  // The very bytes of the PNG in the package.
  assert.deepEqual(seen[0]!.images[0]!.bytes, unzipSync(bytes)['Doc_0/Res/scan_1.png']);
  const at = out.text.indexOf('扫描页第一行');
  assert.deepEqual(out.marks, [
    { start: 0, page: 1 },
    { start: at, page: 2, ocr: true },
  ]);
  assert.equal(out.text.slice(at), '扫描页第一行\n扫描页第二行');
});

test('ofd: a page number OCR reads on a scanned page is left out and counted, as on a text page', async () => {
  const bytes = await readFile(fixture('notice.ofd'));
  const line = (text: string, top: number, left = 100) => ({ text, left, right: left + 40 * [...text].length, top, bottom: top + 40 });
  const ocr = { readImage: async () => [line('扫描页上的一段正文，足够长以便成段。', 100), line('— 2 —', 2000, 700)] };
  const out = await loadOfd(bytes, fixture('notice.ofd'), { ocr });
  assert.ok(out.text.endsWith('扫描页上的一段正文，足够长以便成段。'), out.text);
  assert.ok(!out.text.includes('— 2 —'));
  // 5 page-number characters on the text page (as before) and the 5 of — 2 — on the scan.
  assert.equal(out.dropped?.['page-number'], 10);
});

test('ofd made only of scans: refused as scanned without OCR, and when OCR reads nothing', async () => {
  const bytes = await readFile(fixture('scanned.ofd'));
  // OCR=off.
  const withoutOcr = await loadDocument(fixture('scanned.ofd'), ROOT, { ocr: null }).catch((e: unknown) => e);
  assert.ok(withoutOcr instanceof LoadError);
  assert.equal(withoutOcr.reason, 'no text layer (scanned ofd: 1 page of images, and no OCR to read them)');
  // The real OCR, as loadDocument wires it by default, finds no text in the fixture's blank image.
  const realOcr = await loadDocument(fixture('scanned.ofd'), ROOT).catch((e: unknown) => e);
  assert.ok(realOcr instanceof LoadError);
  assert.equal(realOcr.reason, 'no text found (scanned ofd: OCR read nothing on 1 page of images)');
  const blank = await ofdLoader({ readScannedPage: async () => [] })(bytes, fixture('scanned.ofd')).catch((e: unknown) => e);
  assert.ok(blank instanceof LoadError);
  assert.equal(blank.reason, 'no text found (scanned ofd: OCR read nothing on 1 page of images)');
});

test('ofd refused with a one-line reason: damaged zip, zip without OFD.xml', async () => {
  for (const [name, reason] of [
    ['damaged.ofd', 'corrupt ofd (not a readable zip)'],
    ['no-entry.ofd', 'not an OFD file (a zip without OFD.xml)'],
  ] as const) {
    const err = await loadDocument(fixture(name), ROOT).catch((e: unknown) => e);
    assert.ok(err instanceof LoadError, `${name}: ${String(err)}`);
    assert.equal(err.reason, reason);
  }
});
