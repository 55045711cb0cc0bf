import { joiner } from '../cjk.ts';
import type { TextBuilder } from '../text-builder.ts';
import { cellText } from './cell-text.ts';
import { isPlaceholder, isSamplePerson } from './placeholder.ts';
import type { SheetGrid } from './sheet-grid.ts';

export interface SheetLayoutOptions {
  /** The sheet's tab name for marks and its heading; undefined for a CSV file (no tabs). */
  sheet?: string;
  /** A CSV file written by pandas: the suffix `.1` it adds to a repeated header is undone. */
  csv?: boolean;
}

export interface SheetLayout {
  /** The text of the sheet's merged title row, if it has one. */
  titleRow?: string;
  /** False for a sheet with no cells at all, which writes nothing (not even its heading). */
  emitted: boolean;
}

// Statistical forms carry a 填报单位 / 截止时间 line between the title and the header.
const METADATA = /^(填报单位|填表单位|报送单位|报告单位|截止时间|起止时间|统计时间|填报时间|填表时间|统计截止)/;
// A row that starts with one of these opens the sheet's notes: from there on cells are prose
// (补充资料：…共有 | 555 | 个，其中…) and are read across, not under column headers.
const NOTE = /^(补充资料|注[：:]|注\s*\d|说明[：:]|备注[：:]|填写说明|填表说明|注意事项|填写注意事项)/;
// `\`, `--` and `/` mark a cell as not applicable: dropped (rule `not-applicable`), because a
// pair such as `转正：\` tells a resident nothing the missing pair does not.
const NOT_APPLICABLE = /^(\\|--|－－|—|——|\/|／)$/;
// The column-code row of a statistical form (甲 | A | B | C …, or 甲 | 1 | 2 | 3 …).
const COLUMN_CODE = /^(甲|乙|丙|丁|[A-Za-z]{1,2}|\d{1,3})$/;
const VERSION = /^\d+(\.\d+)+$/;
// A merged title row is short; a longer merged first row is a note (填写注意事项 …).
const MAX_TITLE_CHARS = 60;
// A lone cell this long in a data row is a note under the table, not a value of its column.
const MIN_NOTE_CHARS = 10;
const ROW_CODE_LABEL = '栏次';

interface Cell {
  col: number;
  text: string;
}

/**
 * Writes one worksheet into `b`: a level-2 heading naming the sheet, its merged title row as a
 * level-3 heading, then one line per row with its column headers (`职务：支部书记；任期：5年`),
 * each line marked with the row number the spreadsheet program shows. The header is the first
 * row with several cells after the title and 填报单位 rows, widened to the rows its merged cells
 * span (or, in a file without merges, to a second row that only names sub-columns); a header
 * label is its cells top to bottom joined by `·`, merged cells forward-filled. A merged cell's
 * value is given once, on the first row of its block. What is left out is counted in `b` by rule:
 * `blank-form-cell` (whitespace-only cells, counted where the grid is built), `placeholder-row`
 * (a sample row: a stock name such as 张三, or a row of a 姓名 table with no 姓名), `placeholder-value`,
 * `not-applicable`, `blank-template-row` (a row holding only its row label), `column-code-row`,
 * `required-mark` (the `*` of a required field) and `template-version` (the `1.0` in a title row).
 * A table with no data rows left is written as its header line, `栏目：姓名；性别；……`.
 */
export function layoutSheet(grid: SheetGrid, b: TextBuilder, options: SheetLayoutOptions = {}): SheetLayout {
  const rows = grid.contentRows();
  if (rows.length === 0) return { emitted: false };
  const { sheet } = options;
  const mark = (r: number) => b.mark(sheet === undefined ? { row: r + 1 } : { sheet, row: r + 1 });
  if (sheet !== undefined) {
    b.mark({ sheet });
    b.heading(2, `工作表：${sheet}`);
  }

  const cellsOf = (r: number): Cell[] =>
    grid
      .columns(r)
      .map((col) => ({ col, text: cellText(grid.raw(r, col)) }))
      .filter((c) => c.text !== '');
  const charsOf = (cells: Cell[]) => cells.reduce((n, c) => n + c.text.length, 0);
  const widthOf = (r: number, c: number) => {
    const m = grid.merge(r, c);
    return m ? m.right - m.left + 1 : 1;
  };
  const tallAt = (r: number, c: number) => {
    const m = grid.merge(r, c);
    return m !== undefined && m.bottom > m.top;
  };

  let titleRow: string | undefined;
  let i = 0;
  let headerRow = -1;

  // Above the header: title rows, 填报单位 rows, lone notes.
  for (; i < rows.length; i++) {
    const r = rows[i]!;
    const cells = cellsOf(r);
    if (cells.length === 0) continue;
    const versions = cells.filter((c) => VERSION.test(c.text));
    const rest = cells.filter((c) => !VERSION.test(c.text));
    const only = rest.length === 1 ? rest[0]! : undefined;
    if (
      headerRow < 0 &&
      only &&
      !tallAt(r, only.col) &&
      [...only.text].length <= MAX_TITLE_CHARS &&
      !NOTE.test(only.text) &&
      !METADATA.test(only.text) &&
      (widthOf(r, only.col) >= 2 || (grid.merges.length === 0 && i === 0 && grid.right > grid.left))
    ) {
      b.drop('template-version', charsOf(versions));
      mark(r);
      b.heading(3, only.text);
      titleRow ??= only.text;
      continue;
    }
    if (cells.some((c) => METADATA.test(c.text))) {
      const kept = cells.filter((c) => !isPlaceholder(c.text));
      if (kept.every((c) => /[：:*＊]$/.test(c.text))) {
        b.drop('placeholder-row', charsOf(cells));
      } else {
        b.drop('placeholder-value', charsOf(cells) - charsOf(kept));
        mark(r);
        b.add(kept.map((c) => c.text).join('；')).endLine();
        }
      continue;
    }
    if (cells.length === 1 && !tallAt(r, cells[0]!.col)) {
      mark(r);
      b.addLines(noteText(grid.raw(r, cells[0]!.col)));
      continue;
    }
    headerRow = r;
    break;
  }
  if (headerRow < 0) return { ...(titleRow ? { titleRow } : {}), emitted: true };

  // The header band: the header row and the rows its merged cells reach down to.
  let bandEnd = headerRow;
  for (const m of grid.merges) if (m.top === headerRow) bandEnd = Math.max(bandEnd, m.bottom);
  const next = rows[i + 1];
  if (bandEnd === headerRow && grid.merges.length === 0 && next === headerRow + 1 && isSubHeader(cellsOf(next), cellsOf(headerRow), grid.left)) {
    bandEnd = next;
  }
  // pandas renames a repeated header `预备党员.1`; the suffix goes when the bare name is there too.
  const topNames = new Set(cellsOf(headerRow).map((c) => c.text));
  const unsuffixed = (part: string) => {
    const base = options.csv ? /^(.+)\.\d+$/.exec(part)?.[1] : undefined;
    return base !== undefined && topNames.has(base) ? base : part;
  };
  const labels = new Map<number, string>();
  for (let c = grid.left; c <= grid.right; c++) {
    const parts: string[] = [];
    for (let r = headerRow; r <= bandEnd; r++) {
      const anchor = grid.merge(r, c);
      let part = cellText(grid.shown(r, c), { header: true });
      const stars = /[*＊]+$/.exec(part)?.[0].length ?? 0;
      // Count the mark once, at the cell that holds it.
      if (stars > 0 && (!anchor || (anchor.top === r && anchor.left === c))) b.drop('required-mark', stars);
      part = unsuffixed(part.slice(0, part.length - stars).trim());
      // A column code merged into the header band (人员数量 | A) names no field.
      if (part !== '' && part !== parts.at(-1) && !(parts.length > 0 && COLUMN_CODE.test(part))) parts.push(part);
    }
    labels.set(c, parts.join('·'));
  }
  while (i < rows.length && rows[i]! <= bandEnd) i++;

  const dataRows = rows.slice(i);
  if (dataRows[0] === bandEnd + 1 && isColumnCodeRow(cellsOf(dataRows[0]))) {
    b.drop('column-code-row', charsOf(cellsOf(dataRows[0])));
    dataRows.shift();
  }
  const noteStart = dataRows.findIndex((r) => NOTE.test(cellsOf(r)[0]?.text ?? ''));
  const tableRows = noteStart < 0 ? dataRows : dataRows.slice(0, noteStart);
  markRowCodeColumns(labels, tableRows, (r, c) => cellText(grid.raw(r, c)), grid.left, grid.right);

  const labelled = [...labels.entries()].filter(([, l]) => l !== '').map(([c]) => c);
  const keyColumn = labelled[0];
  const nameColumn = [...labels.entries()].find(([, l]) => l === '姓名')?.[0];
  // A value merged across sub-columns (支部数量 over 请示落款时间 and 人数) is under their common part.
  const labelAt = (r: number, c: number): string => {
    const m = grid.merge(r, c);
    const own = labels.get(c) ?? '';
    if (!m || m.right === m.left) return own;
    let common = own.split('·');
    for (let k = m.left + 1; k <= m.right; k++) {
      const parts = (labels.get(k) ?? '').split('·');
      let n = 0;
      while (n < common.length && common[n] === parts[n]) n++;
      common = common.slice(0, n);
    }
    return common.length > 0 ? common.join('·') : own;
  };
  // Lines are collected first: a table none of whose rows is left shows its header, in its place.
  const lines: Array<{ row: number; text: string; note: boolean }> = [];
  const note = (row: number, raw: string) => lines.push({ row, text: noteText(raw), note: true });
  let notes = false;
  for (const r of dataRows) {
    const cells = cellsOf(r);
    if (cells.length === 0) continue;
    if (notes || NOTE.test(cells[0]!.text)) {
      notes = true;
      if (cells.length === 1) note(r, grid.raw(r, cells[0]!.col));
      else lines.push({ row: r, text: cells.reduce((line, c) => line + joiner(line, c.text) + c.text, ''), note: true });
      continue;
    }
    const lone = cells.length === 1 ? cells[0]! : undefined;
    if (lone && (widthOf(r, lone.col) >= 2 || [...lone.text].length >= MIN_NOTE_CHARS || /[：:]$/.test(lone.text))) {
      note(r, grid.raw(r, lone.col));
      continue;
    }
    if (cells.some((c) => isSamplePerson(c.text)) || (nameColumn !== undefined && !cells.some((c) => c.col === nameColumn))) {
      b.drop('placeholder-row', charsOf(cells));
      continue;
    }
    const pairs: Array<{ label: string; value: string; col: number }> = [];
    for (const c of cells) {
      const label = labelAt(r, c.col);
      const last = pairs.at(-1);
      if (NOT_APPLICABLE.test(c.text)) b.drop('not-applicable', c.text.length);
      else if (isPlaceholder(c.text, label)) b.drop('placeholder-value', c.text.length);
      // Row labels spread over merged label columns (项目 | 组织处理情况 | 合计) read as one.
      else if (last && label !== '' && last.label === label) last.value += `·${c.text}`;
      else pairs.push({ label, value: c.text, col: c.col });
    }
    if (pairs.length === 0) continue;
    if (pairs.length === 1 && pairs[0]!.col === keyColumn && labelled.length >= 2) {
      b.drop('blank-template-row', pairs[0]!.value.length);
      continue;
    }
    lines.push({ row: r, text: pairs.map((p) => (p.label ? `${p.label}：${p.value}` : p.value)).join('；'), note: false });
  }
  if (labelled.length > 0 && lines.every((l) => l.note)) {
    mark(headerRow);
    b.add(`栏目：${labelled.map((c) => labels.get(c)).join('；')}`).endLine();
  }
  for (const line of lines) {
    mark(line.row);
    b.addLines(line.text);
  }
  return { ...(titleRow ? { titleRow } : {}), emitted: true };
}

/** A note cell keeps its own line breaks (填写注意事项：\n1.…\n2.…). */
function noteText(raw: string): string {
  return raw
    .split(/\r\n?|\n/)
    .map((line) => cellText(line))
    .filter((line) => line !== '')
    .join('\n');
}

/** pandas writes a two-row header's second row as data: `,,预审,请示,` under the first. */
function isSubHeader(cells: Cell[], header: Cell[], left: number): boolean {
  return (
    cells.length > 0 &&
    cells.length < header.length &&
    !cells.some((c) => c.col === left) &&
    cells.every((c) => !/^[-+]?[\d.,%]+$/.test(c.text))
  );
}

function isColumnCodeRow(cells: Cell[]): boolean {
  return cells.length >= 3 && cells.every((c) => COLUMN_CODE.test(c.text)) && cells.some((c) => /^(甲|[A-Z]{1,2})$/.test(c.text));
}

/**
 * Statistical forms number their rows (栏次 1, 2, 3 …) in a column that shares a merged header
 * with the totals beside it (总数 over both): such a column is relabelled 栏次, so the pair reads
 * `栏次：1；总数：512` rather than `总数：1；总数：512`.
 */
function markRowCodeColumns(
  labels: Map<number, string>,
  rows: number[],
  text: (r: number, c: number) => string,
  left: number,
  right: number,
): void {
  for (let c = left; c < right; c++) {
    const label = labels.get(c);
    if (!label || label !== labels.get(c + 1)) continue;
    const values = rows.map((r) => text(r, c)).filter((t) => t !== '');
    if (values.length < 3 || !values.every((v) => /^\d+$/.test(v))) continue;
    if (values.every((v, k) => k === 0 || Number(v) === Number(values[k - 1]) + 1)) labels.set(c, ROW_CODE_LABEL);
  }
}
