/**
 * Regenerates test/fixtures/docs/ (`npm run fixtures`). Tests read the committed files, so this
 * only runs when a fixture changes. The PDF needs a CJK TrueType font, by default Debian's
 * fonts-droid-fallback (`apt-get install fonts-droid-fallback`); set FIXTURE_CJK_FONT to use
 * another single-face .ttf/.otf. Output is deterministic: fixed dates, seeded random bytes.
 * All texts are invented for tests; none is a real policy.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import { seededRandom } from './lib/tiny-model/seeded-random.ts';

const OUT = join(import.meta.dirname, '..', 'test', 'fixtures', 'docs');
const FONT = process.env.FIXTURE_CJK_FONT ?? '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf';
const FIXED_DATE = new Date('2024-05-01T08:00:00Z');

const NOTICE_PARAGRAPHS = [
  '为进一步加强社区党建工作，推动在职党员主动融入社区治理，现就在职党员到社区报到有关事项通知如下。',
  '在职党员应当在接到通知后三十日内，持本人党员证明材料到居住地所在社区党组织报到，填写《在职党员社区报到登记表》。',
  '社区党组织要建立在职党员报到台账，根据党员特长设置服务岗位，每季度向党员所在单位反馈一次参与社区服务的情况。',
];

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const write = (name: string, data: string | Uint8Array) => writeFile(join(OUT, name), data);

  await write('front-matter.md', MARKDOWN);
  await write('plain-utf8.txt', TXT_UTF8);
  await write('utf8-bom.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TXT_BOM, 'utf8')]));
  await write('utf16le-bom.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TXT_UTF16, 'utf16le')]));
  await write('gbk.txt', iconv.encode(TXT_GBK, 'gbk'));
  await write('article.html', HTML_ARTICLE);
  await write('gbk.html', iconv.encode(HTML_GBK, 'gbk'));
  await write('notice.docx', await makeDocx());
  await write('notice.pdf', await makePdf());
  await write('scanned.pdf', await makeImageOnlyPdf());
  await write('predefined-cmap.pdf', makePredefinedCmapPdf('关于党员学习教育的安排：每月第一个星期五为主题党日。'));

  // Bad files.
  const random = seededRandom(20240501);
  await write('empty.txt', '');
  const binary = Buffer.from(Array.from({ length: 2048 }, () => Math.floor(random() * 256)));
  binary[100] = 0;
  await write('binary.txt', binary);
  // High bytes only (no NULs, no controls): passes the NUL test, must fail decoding.
  await write('undecodable.md', Buffer.from(Array.from({ length: 2048 }, () => 0x80 + Math.floor(random() * 128))));
  await write('corrupt.docx', Buffer.from(Array.from({ length: 1024 }, () => Math.floor(random() * 256))));
  const pdf = await readFile(join(OUT, 'notice.pdf'));
  await write('corrupt.pdf', pdf.subarray(0, 200));
  await write('unsupported.xyz', '这是一个不支持的文件格式。\n');
  console.error(`fixtures written to ${OUT}`);
}

const MARKDOWN = `---
title: "社区党员报到工作指引"
source: 某街道党工委
region: 示例市示例区
url: https://example.org/notice/1
date: 2024-05-01
tags: [党建, 报到]
---

# 报到流程

在职党员**应当**在 *三十日内* 到社区报到，详见[报到须知](https://example.org/guide)。

![报到流程图](flow.png)

## 所需材料

- 党员证明材料
- 本人身份证件
- 《在职党员社区报到登记表》

联系电话见下表：

| 社区 | 电话 |
|------|------|
| 和平社区 | 0000-1234567 |

服务岗位设置
------------

社区根据党员特长设置岗位，可以选择\`政策宣传\`、\`环境整治\`等岗位。

\`\`\`text
报到时间：工作日 9:00-17:00
\`\`\`

> 温馨提示：报到后请关注社区通知。
`;

const TXT_UTF8 = `关于开展党员志愿服务活动的通知\r
\r
各党支部：\r
　　为丰富党员活动形式，经研究，决定在全社区开展党员志愿服务活动。\r
　　请各党支部于本月二十日前报送参加人员名单。\r
\r
\r
\r
社区党委\r
`;

const TXT_BOM = `党员活动日安排
每月第一个星期五为主题党日，组织党员集中学习。
如遇节假日顺延。
`;

const TXT_UTF16 = `社区党群服务中心开放时间
周一至周五上午九时至下午五时。
`;

const TXT_GBK = `关于在职党员到社区报到的通知

${NOTICE_PARAGRAPHS.map((p) => '　　' + p).join('\n')}

　　特此通知。
`;

const HTML_ARTICLE = `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>社区党组织换届选举工作问答_示例区党建网</title>
<style>body { font-family: sans-serif; } .nav { color: red; }</style>
<script>window.tracker = function () { return "统计代码"; };</script>
</head>
<body>
<header class="site-header"><div class="logo">示例区党建网</div>
<nav><ul><li><a href="/">首页</a></li><li><a href="/news">党建要闻</a></li></ul></nav></header>
<aside class="sidebar"><h3>热点推荐</h3><p>推荐阅读的其他文章</p></aside>
<article>
<header><h1>社区党组织换届选举工作问答</h1><p class="meta">发布时间：2024-05-01</p></header>
<h2>一、换届选举多久进行一次？</h2>
<p>社区党组织每届任期五年，
任期届满应当按期进行换届选举。</p>
<h2>二、哪些党员有选举权？</h2>
<p>除被依法剥夺政治权利的以外，正式党员都有选举权、被选举权和表决权&nbsp;&mdash;&nbsp;预备党员<strong>没有</strong>表决权。</p>
<ul><li>正式党员：有表决权</li><li>预备党员：无表决权</li></ul>
<p>详细规定见<a href="/rules">选举工作细则</a>。<br>咨询电话：0000-7654321</p>
<div style="display:none">隐藏的内容不应出现</div>
<footer>责任编辑：张三</footer>
</article>
<form action="/search"><input name="q"><button>搜索</button></form>
<footer class="site-footer"><p>版权所有 示例区委组织部</p></footer>
<noscript>请启用脚本</noscript>
<script>document.write("广告");</script>
</body>
</html>
`;

const HTML_GBK = `<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<meta charset="gbk">
<title>党费收缴使用管理问答</title>
</head>
<body>
<div id="nav"><a href="/">网站首页</a> | <a href="/dj">党建工作</a></div>
<div class="content">
<h1>党费收缴使用管理问答</h1>
<p>党员应当按月交纳党费，特殊情况下经党支部同意可以按季度交纳。</p>
<p>党费必须用于党的活动，主要用于党员教育培训。</p>
</div>
<div class="footer">主办单位：示例区委组织部</div>
</body>
</html>
`;

// --- docx: the minimal OOXML parts, written by hand ------------------------------------------

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

function para(text: string, style?: string): string {
  const pPr = style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : '';
  return `<w:p>${pPr}<w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p>`;
}

async function makeDocx(): Promise<Uint8Array> {
  const body = [
    para('在职党员社区报到工作实施办法', 'Title'),
    para('第一章 总则', 'Heading1'),
    para(NOTICE_PARAGRAPHS[0]!),
    para('第二章 报到程序', 'Heading1'),
    para('一、报到时间', 'Heading2'),
    para(NOTICE_PARAGRAPHS[1]!),
    `<w:p><w:r><w:t xml:space="preserve">社区党组织</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">应当</w:t></w:r><w:r><w:t xml:space="preserve">建立报到台账。</w:t></w:r></w:p>`,
    `<w:tbl><w:tr><w:tc><w:p><w:r><w:t>岗位</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>人数</w:t></w:r></w:p></w:tc></w:tr>` +
      `<w:tr><w:tc><w:p><w:r><w:t>政策宣传</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>5</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`,
  ].join('');
  const styles = (id: string, name: string) =>
    `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/><w:basedOn w:val="Normal"/></w:style>`;
  const zip: Zippable = {};
  const file = (name: string, xml: string) => {
    zip[name] = strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${xml}`);
  };
  file(
    '[Content_Types].xml',
    `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
      `<Default Extension="xml" ContentType="application/xml"/>` +
      `<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
      `<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
      `</Types>`,
  );
  file(
    '_rels/.rels',
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
      `</Relationships>`,
  );
  file(
    'word/_rels/document.xml.rels',
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
      `</Relationships>`,
  );
  file(
    'word/styles.xml',
    `<w:styles xmlns:w="${W}"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>` +
      styles('Title', 'Title') + styles('Heading1', 'heading 1') + styles('Heading2', 'heading 2') + `</w:styles>`,
  );
  file('word/document.xml', `<w:document xmlns:w="${W}"><w:body>${body}<w:sectPr/></w:body></w:document>`);
  // A fixed date keeps the committed fixture byte-identical when it is made again.
  return zipSync(zip, { level: 6, mtime: FIXED_DATE });
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// --- pdf: a two-page notice laid out like a Chinese official document -----------------------

const PAGE = { width: 595, height: 842, margin: 72 };

async function makePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const cjk = await doc.embedFont(await readFile(FONT), { subset: true });
  // Droid Sans Fallback has no Latin glyphs: Latin runs use Helvetica, as mixed-font PDFs do.
  const latin = await doc.embedFont(StandardFonts.Helvetica);
  const font = new MixedFont(cjk, latin);
  doc.setTitle('Microsoft Word - 通知.docx'); // tool junk the loader must ignore
  doc.setProducer('tongxin make-fixtures');
  doc.setCreator('tongxin make-fixtures');
  doc.setCreationDate(FIXED_DATE);
  doc.setModificationDate(FIXED_DATE);

  const body = 14;
  let page = doc.addPage([PAGE.width, PAGE.height]);
  let y = PAGE.height - PAGE.margin;
  let pageNo = 1;
  const footer = (p: PDFPage, n: number) => {
    const label = `- ${n} -`;
    font.draw(p, label, (PAGE.width - font.widthOfTextAtSize(label, 10.5)) / 2, 40, 10.5);
  };
  const newPage = () => {
    footer(page, pageNo++);
    page = doc.addPage([PAGE.width, PAGE.height]);
    y = PAGE.height - PAGE.margin;
  };
  const centered = (text: string, size: number) => {
    font.draw(page, text, (PAGE.width - font.widthOfTextAtSize(text, size)) / 2, y, size);
    y -= size * 2;
  };
  const paragraph = (text: string) => {
    for (const [i, line] of wrap(text, font, body, PAGE.width - 2 * PAGE.margin, 2).entries()) {
      if (y < PAGE.margin) newPage();
      font.draw(page, line, PAGE.margin + (i === 0 ? body * 2 : 0), y, body);
      y -= body * 1.5;
    }
  };

  centered('关于在职党员到社区报到的通知', 22);
  font.draw(page, '各党支部：', PAGE.margin, y, body);
  y -= body * 1.5;
  paragraph(NOTICE_PARAGRAPHS[0]!);
  y -= body * 0.5;
  font.draw(page, '一、报到要求', PAGE.margin, y, 16);
  y -= 16 * 1.8;
  paragraph(NOTICE_PARAGRAPHS[1]!);
  paragraph('报到时可登录 Party Service 平台（网址 www.example.org）在线填写 2024 年度登记表。');
  newPage();
  font.draw(page, '二、工作要求', PAGE.margin, y, 16);
  y -= 16 * 1.8;
  paragraph(NOTICE_PARAGRAPHS[2]!);
  footer(page, pageNo);
  return doc.save({ useObjectStreams: false });
}

/** Draws each run of text in the font that has its glyphs: CJK or Latin. */
class MixedFont {
  constructor(
    private readonly cjk: PDFFont,
    private readonly latin: PDFFont,
  ) {}

  private runs(text: string): Array<[string, PDFFont]> {
    return (text.match(/[\x20-\x7E]+|[^\x20-\x7E]+/g) ?? []).map((r) => [r, /^[\x20-\x7E]/.test(r) ? this.latin : this.cjk]);
  }

  widthOfTextAtSize(text: string, size: number): number {
    return this.runs(text).reduce((w, [r, f]) => w + f.widthOfTextAtSize(r, size), 0);
  }

  draw(page: PDFPage, text: string, x: number, y: number, size: number): void {
    for (const [r, f] of this.runs(text)) {
      page.drawText(r, { x, y, size, font: f, color: rgb(0, 0, 0) });
      x += f.widthOfTextAtSize(r, size);
    }
  }
}

/** Greedy line breaking by measured width; the first line is shorter by `indent` characters. */
function wrap(text: string, font: MixedFont, size: number, width: number, indent: number): string[] {
  const lines: string[] = [];
  let line = '';
  let limit = width - indent * size;
  for (const ch of text) {
    if (font.widthOfTextAtSize(line + ch, size) > limit) {
      lines.push(line);
      line = '';
      limit = width;
    }
    line += ch;
  }
  if (line) lines.push(line);
  return lines;
}

async function makeImageOnlyPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setCreationDate(FIXED_DATE);
  doc.setModificationDate(FIXED_DATE);
  doc.setProducer('tongxin make-fixtures');
  const page = doc.addPage([PAGE.width, PAGE.height]);
  page.drawRectangle({ x: 100, y: 400, width: 300, height: 200, color: rgb(0.6, 0.6, 0.6) });
  return doc.save({ useObjectStreams: false });
}

/**
 * A PDF whose Chinese text uses Adobe's non-embedded STSong-Light with the predefined
 * UniGB-UCS2-H CMap, as many Chinese PDF tools write it: readable only when pdf.js gets its
 * CMap files. Written by hand because pdf-lib cannot produce it.
 */
function makePredefinedCmapPdf(text: string): Buffer {
  const hex = Buffer.from(text, 'utf16le').swap16().toString('hex').toUpperCase();
  const stream = `BT /F1 14 Tf 72 760 Td <${hex}> Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R /DW 1000 >>',
    '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

await main();
