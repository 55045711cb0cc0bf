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

const OUT = join(import.meta.dirname, '..', 'test', 'fixtures', 'docs');
const SOFFICE = process.env.SOFFICE ?? 'soffice';

async function main(): Promise<void> {
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

await main();
