import nodePath from 'node:path';
import type { CellObject, WorkBook, WorkSheet } from '@e965/xlsx';
import { LoadError } from '../../errors.ts';
import { TextBuilder } from '../text-builder.ts';
import { cellText } from './cell-text.ts';
import type { Extracted, Loader } from './extracted.ts';
import { isPlaceholder } from './placeholder.ts';
import { SheetGrid } from './sheet-grid.ts';
import { layoutSheet } from './sheet-layout.ts';
import { decodeFile } from './text.ts';

/*
 * SheetJS 0.20.3, installed as `@e965/xlsx`: the npm `xlsx` package stops at 0.18.5, which has
 * CVE-2023-30533 (prototype pollution, fixed in 0.19.3) and CVE-2024-22363 (ReDoS, fixed in
 * 0.20.2). @e965/xlsx is republished by a script (github.com/e965/sheetjs-npm-publisher) that
 * clones git.sheetjs.com at the release tag and changes only README.md and package.json's name
 * and repository. Checked on the installed copy (2026-12-02): XLSX.version is '0.20.3', the
 * CHANGELOG's top entry is v0.20.3, the 0.20.2 regex rework (str_match_xml, str_remove_ng) is
 * present, and the tarball's integrity matches the registry's (sha512-703RN/3O…). The official
 * tarball (cdn.sheetjs.com) was not reachable from this machine to compare byte for byte.
 */
type SheetJs = typeof import('@e965/xlsx');

let sheetJs: Promise<SheetJs> | undefined;
/** SheetJS loads on the first spreadsheet; the code page tables too, for legacy `.xls` text. */
function loadSheetJs(): Promise<SheetJs> {
  sheetJs ??= (async () => {
    const [xlsx, cptable] = await Promise.all([import('@e965/xlsx'), import('@e965/xlsx/dist/cpexcel.full.mjs')]);
    xlsx.set_cptable(cptable);
    return xlsx;
  })();
  return sheetJs;
}

const ZIP = Buffer.from('504b0304', 'hex');
// OLE2 compound file: BIFF8 .xls, and also an encrypted .xlsx (the zip wrapped in EncryptedPackage).
const OLE = Buffer.from('d0cf11e0a1b11ae1', 'hex');

/** `.xlsx`: an OOXML workbook (a zip), or an encrypted one (OLE), which is refused. */
export const loadXlsx: Loader = async (bytes, path) => {
  if (!bytes.subarray(0, 4).equals(ZIP) && !bytes.subarray(0, 8).equals(OLE)) throw new LoadError(path, 'not an xlsx workbook (not a zip file)');
  return workbookText(await readWorkbook(bytes, path, 'xlsx'), path);
};

/**
 * `.xls`: BIFF8 (Excel 97-2003, also what WPS saves), else an `.xlsx` or the HTML/XML table that
 * web systems export under an `.xls` name; SheetJS reads all of them.
 */
export const loadXls: Loader = async (bytes, path) => {
  const markup = /^\s*</.test(bytes.subarray(0, 64).toString('latin1'));
  if (!bytes.subarray(0, 8).equals(OLE) && !bytes.subarray(0, 4).equals(ZIP) && !markup) throw new LoadError(path, 'not an xls workbook (unrecognised content)');
  return workbookText(await readWorkbook(bytes, path, 'xls'), path);
};

/**
 * `.csv`: decoded first (UTF-8, or GBK as Excel and pandas write it on Chinese Windows), then
 * split by SheetJS with every field kept as written (`raw`), so `000001` keeps its zeros.
 * pandas writes integer columns holding a gap as floats (`20201010.0`); that `.0` is undone.
 */
export const loadCsv: Loader = async (bytes, path) => {
  const text = decodeFile(bytes, path);
  const xlsx = await loadSheetJs();
  let wb: WorkBook;
  try {
    wb = xlsx.read(text, { type: 'string', raw: true, dense: false, cellHTML: false, cellText: false });
  } catch (err) {
    throw new LoadError(path, `unreadable csv (${oneLine(err)})`, { cause: err });
  }
  const b = new TextBuilder();
  const ws = wb.Sheets[wb.SheetNames[0] ?? ''];
  if (ws) layoutSheet(gridOf(xlsx, ws, '', b, (v) => v.replace(/^(-?\d+)\.0+$/, '$1')), b, { csv: true });
  return { ...b.build(), title: fileTitle(path) };
};

async function readWorkbook(bytes: Buffer, path: string, kind: 'xlsx' | 'xls'): Promise<{ xlsx: SheetJs; wb: WorkBook }> {
  const xlsx = await loadSheetJs();
  try {
    const wb = xlsx.read(bytes, { type: 'buffer', cellHTML: false, cellFormula: false, cellStyles: false, sheetStubs: false, bookVBA: false, WTF: false });
    return { xlsx, wb };
  } catch (err) {
    // SheetJS reports every failure as a plain Error: a password is named in its message.
    if (/password|encrypt/i.test(oneLine(err))) throw new LoadError(path, `${kind} workbook is password-protected`, { cause: err });
    // A TypeError from deep inside the parser says where SheetJS tripped, not what is wrong.
    const detail = err instanceof Error && err.name === 'Error' ? oneLine(err) : 'cannot be parsed';
    throw new LoadError(path, `corrupt ${kind} workbook (${detail})`, { cause: err });
  }
}

/**
 * The workbook's visible sheets in tab order (hidden ones counted as `hidden-sheet` and left out:
 * lookup lists and field maps behind a form). Title: the workbook's own (docProps Title), else
 * the merged title row of its only sheet, else the file name. A workbook of several sheets,
 * each titled by its own row, is not named by its first sheet's title.
 */
function workbookText({ xlsx, wb }: { xlsx: SheetJs; wb: WorkBook }, path: string): Extracted {
  const b = new TextBuilder();
  const hidden = new Set((wb.Workbook?.Sheets ?? []).filter((s) => s.Hidden).map((s) => s.name));
  const visible: SheetGrid[] = [];
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name];
    if (!ws) continue;
    if (hidden.has(name)) {
      b.drop('hidden-sheet', sheetChars(ws));
      continue;
    }
    visible.push(gridOf(xlsx, ws, name, b));
  }
  const titles: string[] = [];
  let sheets = 0;
  for (const grid of visible) {
    if (isUnfilledCopy(grid, visible)) {
      b.drop('blank-template-row', cellsText(grid).join('').length);
      continue;
    }
    const { titleRow, emitted } = layoutSheet(grid, b, { sheet: grid.name });
    if (emitted) sheets++;
    if (titleRow) titles.push(titleRow);
  }
  const own = typeof wb.Props?.Title === 'string' ? cellText(wb.Props.Title) : '';
  const first = sheets === 1 && titles.length === 1 && !isPlaceholder(titles[0]!) ? titles[0] : undefined;
  return { ...b.build(), title: own || first || fileTitle(path) };
}

/**
 * A sheet whose only column repeats another sheet's row labels, with no data of its own, is a
 * copy kept for a period not yet filled in (请示批复一览表's 2023上 … 2024下: 类别 | 第一 | 第二 …).
 */
function isUnfilledCopy(grid: SheetGrid, sheets: SheetGrid[]): boolean {
  if (grid.empty || grid.left !== grid.right) return false;
  const labels = cellsText(grid);
  return sheets.some((other) => {
    if (other === grid || other.right <= other.left) return false;
    const theirs = new Set(other.contentRows().map((r) => cellText(other.raw(r, other.left))));
    return labels.every((l) => theirs.has(l));
  });
}

function cellsText(grid: SheetGrid): string[] {
  return grid.contentRows().flatMap((r) => grid.columns(r).map((c) => cellText(grid.raw(r, c)))).filter((t) => t !== '');
}

/** The sheet's cells as shown, into a grid; whitespace-only cells are counted as `blank-form-cell`. */
function gridOf(xlsx: SheetJs, ws: WorkSheet, name: string, b: TextBuilder, fix: (v: string) => string = (v) => v): SheetGrid {
  const grid = new SheetGrid(name);
  for (const key of Object.keys(ws)) {
    if (key.startsWith('!')) continue;
    const text = fix(shownText(ws[key] as CellObject));
    if (text.trim() === '') {
      b.drop('blank-form-cell', text.length);
      continue;
    }
    const { r, c } = xlsx.utils.decode_cell(key);
    grid.set(r, c, text);
  }
  for (const m of ws['!merges'] ?? []) grid.addMerge({ top: m.s.r, left: m.s.c, bottom: m.e.r, right: m.e.c });
  return grid;
}

function sheetChars(ws: WorkSheet): number {
  let n = 0;
  for (const key of Object.keys(ws)) if (!key.startsWith('!')) n += cellText(shownText(ws[key] as CellObject)).length;
  return n;
}

/**
 * A cell's text as the spreadsheet program shows it: a number in the General format without
 * exponent or trailing `.0` (BIFF stores 512 as 512.0; an 18-digit integer is not 4.3E+17), a
 * number with its own format (date, percentage, 0.00) as formatted, text as written.
 */
function shownText(cell: CellObject): string {
  if (cell.t === 'n' && typeof cell.v === 'number') {
    const general = cell.z === undefined || cell.z === 'General';
    if (general && Number.isInteger(cell.v)) return String(cell.v);
    return cell.w ?? String(cell.v);
  }
  if (cell.t === 'e') return cell.w ?? '';
  if (cell.t === 's' && typeof cell.v === 'string') return cell.v;
  return cell.w ?? (cell.v === undefined || cell.v === null ? '' : String(cell.v));
}

function fileTitle(path: string): string {
  return nodePath.basename(path, nodePath.extname(path));
}

function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split(/\r?\n/)[0]!.slice(0, 120);
}
