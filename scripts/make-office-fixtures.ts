/**
 * Regenerates the office-format fixtures in test/fixtures/docs/ (`npx tsx scripts/make-office-fixtures.ts`):
 * Word 97 `.doc` and `.wps`, a password-protected `.doc`, renamed and damaged files, and (with
 * fflate, no other tool) `.pptx` and `.ofd` packages. Tests read the committed files, so this
 * only runs when a fixture changes.
 *
 * The Word 97 files need LibreOffice (`apt-get install -y libreoffice-writer-nogui`): it converts
 * a flat ODF text (written here) to the binary format, as WPS Office and Word write it. The
 * password-protected one goes through LibreOffice's Python bridge (/usr/bin/python3 with the
 * python3-uno module the package brings). LibreOffice stamps save times into the files, so those
 * bytes change on every run; their text does not. All texts are invented for tests.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { strToU8, zipSync, type Zippable } from 'fflate';

const OUT = join(import.meta.dirname, '..', 'test', 'fixtures', 'docs');
const SOFFICE = process.env.SOFFICE ?? 'soffice';

async function main(): Promise<void> {
  await writePackages();
  if (process.argv.includes('--packages-only')) return;
  const work = await mkdtemp(join(tmpdir(), 'tongxin-office-fixtures-'));
  try {
    await writeFile(join(work, 'office.fodt'), fodt(OFFICE_DOC));
    await writeFile(join(work, 'wps-notice.fodt'), fodt(WPS_NOTICE));
    execFileSync(SOFFICE, ['--headless', '--norestore', '--convert-to', 'doc', '--outdir', work, join(work, 'office.fodt'), join(work, 'wps-notice.fodt')], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, HOME: work },
    });
    await writeFile(join(OUT, 'office.doc'), await readFile(join(work, 'office.doc')));
    // WPS Office's 'WPS 文字 97-2003' files are Word 97 binaries with a .wps name.
    await writeFile(join(OUT, 'notice.wps'), await readFile(join(work, 'wps-notice.doc')));
    await writeFile(join(work, 'encrypt.py'), ENCRYPT_PY);
    execFileSync('/usr/bin/python3', [join(work, 'encrypt.py'), join(work, 'office.fodt'), join(OUT, 'encrypted.doc')], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, HOME: work, PYTHONPATH: '/usr/lib/libreoffice/program' },
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  // Renamed files: a .docx saved with a .doc name, and a .wps that is not Word 97 (the old
  // Kingsoft WPS 2000 format starts with its own header, not the OLE signature).
  await writeFile(join(OUT, 'docx-named.doc'), await readFile(join(OUT, 'notice.docx')));
  // A web page with a .doc name, as office systems export "Word" files (Word opens them).
  await writeFile(
    join(OUT, 'html-named.doc'),
    '<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word"><head><meta charset="utf-8"><title>党员发展工作流程</title></head>' +
      '<body><h1>党员发展工作流程</h1><p>入党申请人向党组织提出书面申请。</p><p>党支部在一个月内派人谈话。</p></body></html>\n',
  );
  await writeFile(join(OUT, 'kingsoft-old.wps'), Buffer.concat([Buffer.from('WPS Document\0\0\0\0', 'latin1'), Buffer.alloc(496, 0x20)]));
  const doc = await readFile(join(OUT, 'office.doc'));
  // Cut short, as an interrupted copy leaves it: the OLE header intact, sectors missing.
  await writeFile(join(OUT, 'damaged.doc'), doc.subarray(0, Math.floor(doc.length / 2)));
  console.error(`office fixtures written to ${OUT}`);
}

interface FlatText {
  title: string;
  header: string;
  body: string;
}

/** A flat ODF text document: its title in the metadata, a header, a `— N —` footer, a body. */
function fodt({ title, header, body }: FlatText): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:meta><dc:title>${title}</dc:title></office:meta>
 <office:styles>
  <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:default-outline-level="1"/>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"/><style:header-style/><style:footer-style/></style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p>${header}</text:p></style:header>
   <style:footer><text:p>— <text:page-number text:select-page="current">1</text:page-number> —</text:p></style:footer>
  </style:master-page>
 </office:master-styles>
 <office:body><office:text>
${body}
 </office:text></office:body>
</office:document>
`;
}

const OFFICE_DOC: FlatText = {
  title: '社区党员志愿服务管理办法',
  header: '某某街道党工委文件',
  body: `  <text:table-of-content text:name="目录1">
   <text:table-of-content-source text:outline-level="1"><text:index-title-template>目录</text:index-title-template></text:table-of-content-source>
   <text:index-body>
    <text:index-title text:name="目录1_Head"><text:p>目录</text:p></text:index-title>
    <text:p>第一章 总则<text:tab/>1</text:p>
    <text:p>第二章 服务内容<text:tab/>1</text:p>
   </text:index-body>
  </text:table-of-content>
  <text:h text:style-name="Heading_20_1" text:outline-level="1">第一章 总则</text:h>
  <text:p>第一条 为规范社区党员志愿服务，发挥“党员先锋岗”作用，制定本办法。<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>本办法所称党员，包括在职党员和离退休党员。</text:p></text:note-body></text:note></text:p>
  <text:h text:style-name="Heading_20_1" text:outline-level="1">第二章 服务内容</text:h>
  <text:p>第二条 党员每季度参加志愿服务不少于两次，服务情况记入《党员志愿服务登记表》。</text:p>
  <table:table table:name="表1"><table:table-column table:number-columns-repeated="2"/>
   <table:table-row><table:table-cell><text:p>岗位</text:p></table:table-cell><table:table-cell><text:p>时间</text:p></table:table-cell></table:table-row>
   <table:table-row><table:table-cell><text:p>政策宣传</text:p></table:table-cell><table:table-cell><text:p>每周六上午</text:p></table:table-cell></table:table-row>
  </table:table>
  <text:p>第三条 本办法自印发之日起施行。</text:p>`,
};

const WPS_NOTICE: FlatText = {
  title: '关于开展“主题党日”活动的通知',
  header: '某某社区党委',
  body: `  <text:p>关于开展“主题党日”活动的通知</text:p>
  <text:p>各党支部：</text:p>
  <text:p>经研究，定于每月第一个星期五开展“主题党日”活动，请各党支部做好组织工作。</text:p>
  <text:p>某某社区党委</text:p>`,
};

// storeToURL with a Password property: LibreOffice encrypts the Word 97 file as Word does (RC4).
const ENCRYPT_PY = `import subprocess, sys, time, uno
from com.sun.star.beans import PropertyValue
def pv(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value; return p
src, dst = sys.argv[1], sys.argv[2]
office = subprocess.Popen(['${SOFFICE}', '--headless', '--invisible', '--norestore', '--accept=socket,host=127.0.0.1,port=2002;urp;'])
ctx = uno.getComponentContext()
resolver = ctx.ServiceManager.createInstanceWithContext('com.sun.star.bridge.UnoUrlResolver', ctx)
for _ in range(120):
    try:
        remote = resolver.resolve('uno:socket,host=127.0.0.1,port=2002;urp;StarOffice.ComponentContext'); break
    except Exception:
        time.sleep(0.5)
desktop = remote.ServiceManager.createInstanceWithContext('com.sun.star.frame.Desktop', remote)
doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), '_blank', 0, (pv('Hidden', True),))
doc.storeToURL(uno.systemPathToFileUrl(dst), (pv('FilterName', 'MS Word 97'), pv('Password', 'tongxin')))
doc.close(True)
try:
    desktop.terminate()
except Exception:
    pass
office.wait(timeout=60)
`;

// ---- .pptx and .ofd: zips of XML, written here with fflate (deterministic: fixed dates). ----

const ZIP_DATE = new Date('2024-05-01T08:00:00Z');

function zip(files: Record<string, string | Uint8Array>): Uint8Array {
  const data: Zippable = {};
  for (const [name, content] of Object.entries(files)) data[name] = [typeof content === 'string' ? strToU8(content) : content, { mtime: ZIP_DATE }];
  return zipSync(data, { level: 6 });
}

async function writePackages(): Promise<void> {
  const write = (name: string, data: Uint8Array) => writeFile(join(OUT, name), data);
  const deck = makePptx();
  await write('slides.pptx', deck);
  await write('damaged.pptx', deck.subarray(0, Math.floor(deck.length / 2)));
  const ofd = makeOfd();
  await write('scanned.ofd', makeOfd({ scannedOnly: true }));
  await write('notice.ofd', ofd);
  await write('damaged.ofd', ofd.subarray(0, Math.floor(ofd.length / 2)));
  // A zip with the right name but no OFD.xml entry file.
  await write('no-entry.ofd', zip({ 'Doc_0/Document.xml': '<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>' }));
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS_P = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

const rels = (items: Array<[id: string, type: string, target: string]>) =>
  `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${items
    .map(([id, type, target]) => `<Relationship Id="${id}" Type="${REL}/${type}" Target="${target}"/>`)
    .join('')}</Relationships>`;

/** A text shape; `ph` is its placeholder type, paragraphs are [level, text] (text may hold a:br as \n). */
function sp(id: number, ph: string | undefined, paras: Array<[number, string]>): string {
  const nv = `<p:nvSpPr><p:cNvPr id="${id}" name="Shape ${id}"/><p:cNvSpPr/><p:nvPr>${ph ? `<p:ph type="${ph}"/>` : ''}</p:nvPr></p:nvSpPr>`;
  const body = paras
    .map(([lvl, text]) => `<a:p>${lvl ? `<a:pPr lvl="${lvl}"/>` : ''}${text.split('\n').map((t) => `<a:r><a:rPr lang="zh-CN"/><a:t>${t}</a:t></a:r>`).join('<a:br/>')}</a:p>`)
    .join('');
  return `<p:sp>${nv}<p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>${body}</p:txBody></p:sp>`;
}

const slideNumber = (id: number, n: number) =>
  `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="Slide Number"/><p:cNvSpPr/><p:nvPr><p:ph type="sldNum"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:p><a:fld id="{0}" type="slidenum"><a:t>${n}</a:t></a:fld></a:p></p:txBody></p:sp>`;

const picture = (id: number) =>
  `<p:pic><p:nvPicPr><p:cNvPr id="${id}" name="Picture ${id}" descr="截图"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="rIdImg"/></p:blipFill><p:spPr/></p:pic>`;

const slide = (shapes: string) => `${XML}<p:sld ${NS_P}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>${shapes}</p:spTree></p:cSld></p:sld>`;

/**
 * Three slides whose files are named out of presentation order (slide3.xml is shown first), with
 * a title, nested bullets, a grouped shape, a table, a SmartArt, a picture, slide numbers and
 * speaker notes.
 */
function makePptx(): Uint8Array {
  const table =
    `<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="5" name="Table"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm/>` +
    `<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl>` +
    `<a:tr><a:tc><a:txBody><a:bodyPr/><a:p><a:r><a:t>支部</a:t></a:r></a:p></a:txBody></a:tc><a:tc><a:txBody><a:bodyPr/><a:p><a:r><a:t>党员人数</a:t></a:r></a:p></a:txBody></a:tc></a:tr>` +
    `<a:tr><a:tc><a:txBody><a:bodyPr/><a:p><a:r><a:t>第一党支部</a:t></a:r></a:p></a:txBody></a:tc><a:tc><a:txBody><a:bodyPr/><a:p><a:r><a:t>32</a:t></a:r></a:p></a:txBody></a:tc></a:tr>` +
    `</a:tbl></a:graphicData></a:graphic></p:graphicFrame>`;
  const smartArt =
    `<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="6" name="SmartArt"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm/>` +
    `<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/diagram"><dgm:relIds xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" r:dm="rIdDm" r:lo="rIdLo" r:qs="rIdQs" r:cs="rIdCs"/></a:graphicData></a:graphic></p:graphicFrame>`;
  const notes = `${XML}<p:notes ${NS_P}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>` +
    `<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image"/><p:cNvSpPr/><p:nvPr><p:ph type="sldImg"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>` +
    sp(3, 'body', [[0, '讲解时强调：报到后一个月内完成登记。'], [0, '可举和平社区的例子。']]) +
    slideNumber(4, 2) +
    `</p:spTree></p:cSld></p:notes>`;
  return zip({
    '[Content_Types].xml': `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>`,
    '_rels/.rels': rels([['rId1', 'officeDocument', 'ppt/presentation.xml']]),
    'docProps/core.xml': `${XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>在职党员到社区报到工作培训</dc:title></cp:coreProperties>`,
    'ppt/presentation.xml': `${XML}<p:presentation ${NS_P}><p:sldIdLst><p:sldId id="256" r:id="rId7"/><p:sldId id="257" r:id="rId5"/><p:sldId id="258" r:id="rId6"/></p:sldIdLst></p:presentation>`,
    'ppt/_rels/presentation.xml.rels': rels([
      ['rId5', 'slide', 'slides/slide1.xml'],
      ['rId6', 'slide', 'slides/slide2.xml'],
      ['rId7', 'slide', 'slides/slide3.xml'],
    ]),
    'ppt/slides/slide3.xml': slide(sp(2, 'ctrTitle', [[0, '在职党员到社区报到']]) + sp(3, 'subTitle', [[0, '某某街道党工委\n2024年5月']])),
    'ppt/slides/slide1.xml': slide(
      sp(2, 'title', [[0, '报到流程']]) +
        sp(3, undefined, [[0, '持党员证明材料到社区报到'], [1, '在职党员证明'], [2, '由所在单位党组织开具'], [0, '填写登记表']]) +
        `<p:grpSp><p:nvGrpSpPr><p:cNvPr id="6" name="Group"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>${sp(7, undefined, [[0, '三十日内完成']])}</p:grpSp>` +
        picture(8) +
        slideNumber(9, 2),
    ),
    'ppt/slides/_rels/slide1.xml.rels': rels([
      ['rIdImg', 'image', '../media/image1.png'],
      ['rIdN', 'notesSlide', '../notesSlides/notesSlide1.xml'],
    ]),
    'ppt/notesSlides/notesSlide1.xml': notes,
    'ppt/notesSlides/_rels/notesSlide1.xml.rels': rels([['rId1', 'slide', '../slides/slide1.xml']]),
    'ppt/slides/slide2.xml': slide(sp(2, 'title', [[0, '各支部报到人数']]) + table + smartArt),
    'ppt/slides/_rels/slide2.xml.rels': rels([['rIdDm', 'diagramData', '../diagrams/data1.xml']]),
    'ppt/diagrams/data1.xml':
      `${XML}<dgm:dataModel xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><dgm:ptLst>` +
      `<dgm:pt modelId="0" type="doc"><dgm:prSet/><dgm:spPr/><dgm:t><a:bodyPr/><a:p><a:endParaRPr/></a:p></dgm:t></dgm:pt>` +
      ['申请报到', '社区审核', '分配岗位'].map((t, i) => `<dgm:pt modelId="${i + 1}"><dgm:prSet/><dgm:spPr/><dgm:t><a:bodyPr/><a:p><a:r><a:t>${t}</a:t></a:r></a:p></dgm:t></dgm:pt>`).join('') +
      `<dgm:pt modelId="9" type="parTrans"><dgm:prSet/><dgm:spPr/><dgm:t><a:bodyPr/><a:p><a:endParaRPr/></a:p></dgm:t></dgm:pt>` +
      `</dgm:ptLst></dgm:dataModel>`,
    'ppt/media/image1.png': png(4, 4),
  });
}

/**
 * A two-page OFD as a converter writes it: page 1 cut into runs at odd places (the date's digits
 * in objects of their own, a CTM in points, a wrapped paragraph, a `— 1 —` page number), an
 * annotation, page 2 a scan (one image, no text). `scannedOnly`: the scan alone.
 */
function makeOfd({ scannedOnly = false } = {}): Uint8Array {
  const ns = 'xmlns:ofd="http://www.ofdspec.org/2016"';
  let id = 100;
  // A TextObject at (x, y) mm; size in mm; the text advances 1 em a character (digits 0.5 em).
  const text = (x: number, y: number, size: number, t: string, ctm?: number) => {
    const scale = ctm ?? 1;
    const em = size / scale;
    const deltas = [...t].slice(1).map((_, i) => (/[0-9]/.test([...t][i]!) ? em / 2 : em).toFixed(2)).join(' ');
    return `<ofd:TextObject ID="${id++}" Font="1" Size="${em.toFixed(2)}"${ctm ? ` CTM="${scale} 0 0 ${scale} 0 0"` : ''} Boundary="${x} ${y} 160 ${size * 1.3}"><ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="${(em * 0.88).toFixed(2)}"${deltas ? ` DeltaX="${deltas}"` : ''}>${t}</ofd:TextCode></ofd:TextObject>`;
  };
  const body = 5.6;
  const page1 = [
    text(40, 40, 7.7, '关于开展党员志愿服务月活动的通知'),
    text(28, 60, body, '各党支部：'),
    // One paragraph, wrapped: the first line runs to the right margin (28 + 28 em = 184.8 mm).
    text(39.2, 72, body, '为丰富党员活动形式，经研究，决定于'),
    text(39.2 + 17 * body, 72, body, '202'),
    text(39.2 + 18.5 * body, 72, body, '4'),
    text(39.2 + 19 * body, 72, body, '年'),
    text(39.2 + 20 * body, 72, body, '5'),
    text(39.2 + 20.5 * body, 72, body, '月开展党员志愿'),
    text(28, 82, body, '服务月活动。'),
    // The signature block in points (CTM 0.3528 mm/pt), as some converters write it.
    text(120, 110, body, '某某社区党委', 0.3528),
    text(120, 120, body, '2024年4月28日', 0.3528),
    text(96, 270, body, '— 1 —'),
  ].join('');
  const content = (objects: string) => `<?xml version="1.0" encoding="UTF-8"?><ofd:Page ${ns}><ofd:Area><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:Area><ofd:Content><ofd:Layer ID="${id++}">${objects}</ofd:Layer></ofd:Content></ofd:Page>`;
  return zip({
    'OFD.xml': `<?xml version="1.0" encoding="UTF-8"?><ofd:OFD ${ns} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>0</ofd:DocID><ofd:Title>关于开展党员志愿服务月活动的通知</ofd:Title></ofd:DocInfo><ofd:DocRoot>/Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`,
    'Doc_0/Document.xml': `<?xml version="1.0" encoding="UTF-8"?><ofd:Document ${ns}><ofd:CommonData><ofd:MaxUnitID>999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData><ofd:Pages>${scannedOnly ? '' : '<ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/>'}<ofd:Page ID="2" BaseLoc="Pages/Page_1/Content.xml"/></ofd:Pages><ofd:Annotations>Annots/Annotations.xml</ofd:Annotations></ofd:Document>`,
    'Doc_0/DocumentRes.xml': `<?xml version="1.0" encoding="UTF-8"?><ofd:Res ${ns} BaseLoc="Res"><ofd:MultiMedias><ofd:MultiMedia ID="50" Type="Image"><ofd:MediaFile>scan_1.png</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias></ofd:Res>`,
    'Doc_0/Res/scan_1.png': png(8, 8),
    'Doc_0/Pages/Page_0/Content.xml': content(page1),
    'Doc_0/Pages/Page_1/Content.xml': content(`<ofd:ImageObject ID="${id++}" CTM="210 0 0 297 0 0" Boundary="0 0 210 297" ResourceID="50"/>`),
    'Doc_0/Annots/Annotations.xml': `<?xml version="1.0" encoding="UTF-8"?><ofd:Annotations ${ns}><ofd:Page PageID="1"><ofd:FileLoc>Page_0/Annotation.xml</ofd:FileLoc></ofd:Page></ofd:Annotations>`,
    'Doc_0/Annots/Page_0/Annotation.xml': `<?xml version="1.0" encoding="UTF-8"?><ofd:PageAnnot ${ns}><ofd:Annot ID="900" Type="Stamp" Subtype="FreeText"><ofd:Appearance Boundary="150 10 40 8">${text(0, 0, 4, '请审阅')}</ofd:Appearance></ofd:Annot></ofd:PageAnnot>`,
  });
}

/** A grey RGB PNG of w×h pixels (real PNG bytes: signature, IHDR, IDAT, IEND with CRCs). */
function png(w: number, h: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])));
    return Buffer.concat([len, Buffer.from(type, 'latin1'), data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.concat(Array.from({ length: h }, () => Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3, 0x80)])));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

await main();
