import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import iconv from 'iconv-lite';
import type { SourceDocument } from '../../../src/corpus/document.ts';
import { loadDocument } from '../../../src/corpus/load-document.ts';
import { LoadError } from '../../../src/errors.ts';

// Workbooks are made here with SheetJS itself, so each quirk the real files show in passing
// (a merged title row, a blank template row, a whitespace cell, a hidden sheet) is pinned alone.

function ledgerSheet(): XLSX.WorkSheet {
  const ws = XLSX.utils.aoa_to_sheet([
    ['支部委员会名册'],
    ['姓名', '职务', '任期', '编号'],
    ['李明', '支部书记', '5年', '000001'],
    [],
    ['王芳', '组织委员', '   ', 512],
    ['张三', '是/否', '×年×月×日', '43xxxx'],
    ['赵强', '宣传委员', '3年', 20201125],
  ]);
  ws['!merges'] = [XLSX.utils.decode_range('A1:D1')];
  return ws;
}

function batchSheet(): XLSX.WorkSheet {
  const ws = XLSX.utils.aoa_to_sheet([
    ['类别', '预备党员', null, '转正'],
    [null, '预审', '请示', null],
    ['国贸', 20201125, 20201126, '\\'],
    ['经济', 1.5, '--', 7],
  ]);
  ws['!merges'] = ['A1:A2', 'B1:C1', 'D1:D2'].map((r) => XLSX.utils.decode_range(r));
  return ws;
}

/** Two visible sheets, one hidden, a workbook title in docProps. */
function fullBook(): XLSX.WorkBook {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ledgerSheet(), '台账');
  XLSX.utils.book_append_sheet(wb, batchSheet(), '批次');
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['性别'], ['男'], ['女']]), '字典');
  wb.Workbook = { Sheets: [{ name: '台账', Hidden: 0 }, { name: '批次', Hidden: 0 }, { name: '字典', Hidden: 1 }] };
  wb.Props = { Title: '支部工作台账' };
  return wb;
}

async function withFiles(files: Record<string, Buffer>, run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tongxin-sheets-'));
  try {
    for (const [name, bytes] of Object.entries(files)) await writeFile(path.join(dir, name), bytes);
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const book = (wb: XLSX.WorkBook, bookType: 'xlsx' | 'biff8') => Buffer.from(XLSX.write(wb, { type: 'buffer', bookType }));

function rows(doc: SourceDocument): Array<[string | undefined, number | undefined, string]> {
  return doc.marks.map((m, k) => [m.sheet, m.row, doc.text.slice(m.start, doc.marks[k + 1]?.start ?? doc.text.length).trim()]);
}

const FULL_ROWS: Array<[string | undefined, number | undefined, string]> = [
  ['台账', undefined, '工作表：台账'],
  ['台账', 1, '支部委员会名册'],
  ['台账', 3, '姓名：李明；职务：支部书记；任期：5年；编号：000001'],
  ['台账', 5, '姓名：王芳；职务：组织委员；编号：512'],
  ['台账', 7, '姓名：赵强；职务：宣传委员；任期：3年；编号：20201125'],
  ['批次', undefined, '工作表：批次'],
  ['批次', 3, '类别：国贸；预备党员·预审：20201125；预备党员·请示：20201126'],
  ['批次', 4, '类别：经济；预备党员·预审：1.5；转正：7'],
];
const FULL_DROPPED = { 'blank-form-cell': 3, 'placeholder-row': 17, 'not-applicable': 3, 'hidden-sheet': 4 };

test('xlsx: merged title row, two-row merged header, blank and sample rows skipped by rule, hidden sheet left out', async () => {
  await withFiles({ 'book.xlsx': book(fullBook(), 'xlsx') }, async (dir) => {
    const doc = await loadDocument(path.join(dir, 'book.xlsx'), dir);
    assert.equal(doc.format, 'xlsx');
    assert.equal(doc.title, '支部工作台账');
    assert.deepEqual(rows(doc), FULL_ROWS);
    assert.deepEqual(doc.headings.map((h) => [h.level, h.text]), [[2, '工作表：台账'], [3, '支部委员会名册'], [2, '工作表：批次']]);
    assert.deepEqual(doc.dropped, FULL_DROPPED);
  });
});

test('xls (BIFF8): the same workbook reads to the same text, marks and counts', async () => {
  await withFiles({ 'book.xls': book(fullBook(), 'biff8') }, async (dir) => {
    const doc = await loadDocument(path.join(dir, 'book.xls'), dir);
    assert.equal(doc.format, 'xls');
    assert.deepEqual(rows(doc), FULL_ROWS);
    assert.deepEqual(doc.dropped, FULL_DROPPED);
  });
});

test('xlsx: without docProps Title, the only sheet\'s merged title row titles the document', async () => {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ledgerSheet(), '吸毒人员登记表');
  await withFiles({ 'roster.xlsx': book(wb, 'xlsx') }, async (dir) => {
    const doc = await loadDocument(path.join(dir, 'roster.xlsx'), dir);
    assert.equal(doc.title, '支部委员会名册');
    assert.equal(doc.headings[0]!.text, '工作表：吸毒人员登记表');
  });
});

test('csv: GBK decoded before parsing, codes keep their leading zeros, blank lines skipped but counted in row numbers', async () => {
  const csv = iconv.encode('姓名,编号,职务\r\n李明,000001,支部书记\r\n,,\r\n王芳,000002,组织委员\r\n', 'gbk');
  await withFiles({ 'list.csv': csv }, async (dir) => {
    const doc = await loadDocument(path.join(dir, 'list.csv'), dir);
    assert.equal(doc.format, 'csv');
    assert.equal(doc.title, 'list');
    assert.deepEqual(rows(doc), [
      [undefined, 2, '姓名：李明；编号：000001；职务：支部书记'],
      [undefined, 4, '姓名：王芳；编号：000002；职务：组织委员'],
    ]);
  });
});

test('xlsx: a title merged to the last column and a value merged to the last row stay within the cells in use', async () => {
  const ws = XLSX.utils.aoa_to_sheet([['名册'], ['姓名', '职务'], ['李明', '书记']]);
  ws['!merges'] = ['A1:XFD1', 'B3:B1048576'].map((r) => XLSX.utils.decode_range(r));
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, '表');
  await withFiles({ 'wide.xlsx': book(wb, 'xlsx') }, async (dir) => {
    const doc = await loadDocument(path.join(dir, 'wide.xlsx'), dir);
    assert.deepEqual(rows(doc), [['表', undefined, '工作表：表'], ['表', 1, '名册'], ['表', 3, '姓名：李明；职务：书记']]);
  });
});

test('damaged, encrypted and mislabelled workbooks are refused with a one-line reason', async () => {
  const xlsx = book(fullBook(), 'xlsx');
  const xls = book(fullBook(), 'biff8');
  // An encrypted OOXML file is an OLE container holding EncryptionInfo and EncryptedPackage.
  const cfb = XLSX.CFB.utils.cfb_new();
  XLSX.CFB.utils.cfb_add(cfb, '/EncryptionInfo', Buffer.concat([Buffer.from([4, 0, 4, 0, 0x40, 0, 0, 0]), Buffer.alloc(100)]));
  XLSX.CFB.utils.cfb_add(cfb, '/EncryptedPackage', Buffer.alloc(600, 7));
  const files = {
    'half.xlsx': xlsx.subarray(0, xlsx.length >> 1),
    'locked.xlsx': Buffer.from(XLSX.CFB.write(cfb, { type: 'buffer' }) as Uint8Array),
    'text.xlsx': Buffer.from('姓名,职务\n李明,书记\n'),
    'half.xls': xls.subarray(0, 1000),
    'text.xls': Buffer.from('not a workbook'),
  };
  await withFiles(files, async (dir) => {
    const reasons: Record<string, string> = {};
    for (const name of Object.keys(files)) {
      const err = await loadDocument(path.join(dir, name), dir).then(
        () => assert.fail(`${name} loaded`),
        (e: unknown) => e,
      );
      assert.ok(err instanceof LoadError, String(err));
      assert.ok(!err.reason.includes('\n'));
      reasons[name] = err.reason;
    }
    assert.deepEqual(reasons, {
      'half.xlsx': 'corrupt xlsx workbook (Unsupported ZIP file)',
      'locked.xlsx': 'password-protected Office file (remove the password and save again)',
      'text.xlsx': 'not an xlsx workbook (not a zip file)',
      'half.xls': 'corrupt xls workbook (cannot be parsed)',
      'text.xls': 'not an xls workbook (unrecognised content)',
    });
  });
});
