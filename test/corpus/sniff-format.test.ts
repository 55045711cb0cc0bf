import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sniffFormat } from '../../src/corpus/sniff-format.ts';
import { realDoc, realDocsSkip } from '../helpers/real-docs.ts';

const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', 'docs', name);
const kindOf = async (file: string) => sniffFormat(await readFile(file))?.kind;

test('content signatures of the generated files: OLE by stream name, zip by its parts, PDF', async () => {
  assert.equal(await kindOf(fixture('office.doc')), 'doc');
  assert.equal(await kindOf(fixture('notice.wps')), 'doc');
  assert.equal(await kindOf(fixture('encrypted.doc')), 'doc');
  assert.equal(await kindOf(fixture('docx-named.doc')), 'docx');
  assert.equal(await kindOf(fixture('slides.pptx')), 'pptx');
  assert.equal(await kindOf(fixture('notice.ofd')), 'ofd');
  assert.equal(await kindOf(fixture('notice.pdf')), 'pdf');
  // A zip without OFD.xml or OOXML parts, and one whose directory is cut off: still zips.
  assert.equal(await kindOf(fixture('no-entry.ofd')), 'zip');
  assert.equal(await kindOf(fixture('damaged.ofd')), 'zip');
  assert.equal(await kindOf(fixture('kingsoft-old.wps')), undefined);
  assert.equal(await kindOf(fixture('plain-utf8.txt')), undefined);
  assert.equal(sniffFormat(Buffer.from('# 说明\n文件头是 %PDF-1.7。\n'))?.kind, undefined);
  assert.equal(sniffFormat(Buffer.from('\x00\x00junk%PDF-1.4\n', 'latin1'))?.kind, 'pdf');
});

test('content signatures of the real office files', { skip: realDocsSkip }, async () => {
  assert.equal(await kindOf(realDoc('组工系统需求书_北师大_2015.doc')), 'doc');
  assert.equal(await kindOf(realDoc('党内统计报表_2014_北京师范大学.xls')), 'xls');
  assert.equal(await kindOf(realDoc('管理办法工作条例_章条自动编号模板.dotx')), 'docx');
  assert.equal(await kindOf(realDoc('组工平台阶段性汇报_2015-12.pptx')), 'pptx');
  assert.equal(await kindOf(realDoc('三会一课录入样表.xlsx')), 'xlsx');
  for (const name of ['批复_路桥区卫生局_同意辞职.ofd', '函_关于加快南货场铁路涵洞下穿建设.ofd', '收文处理单_市政府文件处理.ofd']) {
    assert.equal(await kindOf(realDoc(name)), 'ofd');
  }
  assert.equal(await kindOf(realDoc('党员发展审批流程图.pdf')), 'pdf');
});
