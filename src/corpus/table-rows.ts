import { isBlankField, visibleLength } from './blank-field.ts';
import { isCjk, joiner } from './cjk.ts';
import { normalizeLine, splitLines } from './normalize-text.ts';
import type { TextBuilder } from './text-builder.ts';

export interface TableCell {
  /** The cell's text; lines (a cell's paragraphs) are joined on the row's line. */
  text: string;
  /** Grid columns the cell covers (Word gridSpan, HTML colspan). */
  colSpan: number;
  /** A vertically merged cell's continuation: its value was given in the row above. */
  continued?: boolean;
  /** All of the cell's text is bold (a header row usually is; a key column of a form too). */
  emphasis?: boolean;
}

export interface TableRow {
  cells: TableCell[];
  /** Marked as a header by the format (Markdown's first row, Word's repeated header rows). */
  header?: boolean;
}

export interface TableOptions {
  /** Guess the header row when the format marks none (Word); Markdown always marks it. */
  detectHeader: boolean;
  /** Write the caption rows above the header (a full-width title row) as a level-1 heading. */
  captionAsHeading?: boolean;
}

// A column header is a label: short, no sentence punctuation.
const MAX_LABEL_CHARS = 20;
const SENTENCE = /[。；;！？!?]/u;

/**
 * Writes a table as one line per row, each value with its column header (`职务：支部书记；任期：5年`),
 * so a row stays meaningful in a passage on its own. A merged cell is given once (where it
 * starts); full-width rows above the header are captions; rows that are blank templates (every
 * field a placeholder, a date template or a signature mark) are dropped and counted under
 * `blank-form-row`, blank cells in kept rows under `blank-form-cell`, text repeated in a merged
 * cell's continuation under `repeated-merged-cell`.
 */
export function writeTable(rows: TableRow[], b: TextBuilder, options: TableOptions): void {
  const width = Math.max(0, ...rows.map((r) => r.cells.reduce((n, c) => n + Math.max(1, c.colSpan), 0)));
  const grid = rows.map((r) => placeCells(r, b));
  b.endLine(true);

  let i = 0;
  // Captions: rows before the header holding one value only, or a title set one character a cell.
  for (; i < grid.length; i++) {
    const caption = captionOf(grid[i]!, width);
    if (caption === undefined) break;
    if (options.captionAsHeading && i === 0) b.heading(1, caption);
    else b.add(caption).endLine();
  }

  let headers: string[] | undefined;
  const marked = grid.slice(i).filter((_r, k) => rows[i + k]!.header);
  if (marked.length > 0 && rows[i]!.header) {
    headers = columnHeaders(grid.slice(i, i + marked.length), width);
    i += marked.length;
  } else if (options.detectHeader && i < grid.length - 1 && looksLikeHeader(grid[i]!, grid[i + 1]!, width)) {
    headers = columnHeaders([grid[i]!], width);
    i++;
  }

  let wroteRow = false;
  for (const row of grid.slice(i)) {
    const values = row.filter((c) => c.text !== '');
    if (values.length === 0) continue;
    if (headers && values.every((c) => c.text === headerOf(headers!, c))) {
      b.drop('repeated-header-row', visibleLength(values.map((c) => c.text).join('')));
      continue;
    }
    if (isBlankRow(values, headers !== undefined)) {
      b.drop('blank-form-row', visibleLength(values.map((c) => c.text).join('')));
      continue;
    }
    const kept = values.filter((c) => {
      if (!c.blank) return true;
      b.drop('blank-form-cell', visibleLength(c.text));
      return false;
    });
    const parts = kept.map((c) => {
      const header = headers ? headerOf(headers, c) : '';
      return header && header !== c.text ? `${header}：${c.text}` : c.text;
    });
    b.add(parts.join(headers ? '；' : ' ')).endLine();
    wroteRow = true;
  }
  // A header over nothing but blank rows still names the table's fields.
  if (headers && !wroteRow) b.add(unique(headers).join(' ')).endLine();
  b.endLine(true);
}

interface PlacedCell {
  text: string;
  col: number;
  span: number;
  emphasis: boolean;
  /** Nothing but placeholders, date templates and signature marks. */
  blank: boolean;
}

/** Cells with their grid column; continuations dropped (their text, if any, counted). */
function placeCells(row: TableRow, b: TextBuilder): PlacedCell[] {
  const out: PlacedCell[] = [];
  let col = 0;
  for (const cell of row.cells) {
    const span = Math.max(1, cell.colSpan);
    const lines = splitLines(cell.text).map(normalizeLine).filter((l) => l !== '');
    if (cell.continued) b.drop('repeated-merged-cell', visibleLength(cell.text));
    // A cell of placeholders only (骥 / （盖章） / 年 月 日) is blank line by line, so it is judged
    // before its lines are joined.
    else if (lines.length > 0 && isBlankField(lines.join('\n'))) out.push({ text: lines.join(''), col, span, emphasis: false, blank: true });
    else out.push({ text: lines.reduce((acc, l) => acc + joiner(acc, l) + l, ''), col, span, emphasis: cell.emphasis === true, blank: false });
    col += span;
  }
  return out;
}

function captionOf(row: PlacedCell[], width: number): string | undefined {
  const values = row.filter((c) => c.text !== '');
  if (values.length === 1 && width > 1 && values[0]!.span >= width && !values[0]!.blank) return values[0]!.text;
  // 干|部|任|免|审|批|表: a form's title spread over cells, one character each.
  if (values.length >= 3 && values.every((c) => [...c.text].length === 1 && isCjk(c.text))) return values.map((c) => c.text).join('');
  return undefined;
}

function isLabel(c: PlacedCell): boolean {
  return c.text !== '' && !c.blank && [...c.text].length <= MAX_LABEL_CHARS && !SENTENCE.test(c.text);
}

/**
 * A first row is the header when it labels every column. With two columns it may as well be the
 * first key/value pair of a form (`姓名 | 张三`), so there it must be set apart in bold.
 */
function looksLikeHeader(row: PlacedCell[], next: PlacedCell[], width: number): boolean {
  const covered = row.reduce((n, c) => n + (c.text !== '' ? c.span : 0), 0);
  if (row.length < 2 || covered < width || !row.every(isLabel)) return false;
  if (width >= 3) return true;
  return row.every((c) => c.emphasis) && !next.every((c) => c.emphasis);
}

function columnHeaders(headerRows: PlacedCell[][], width: number): string[] {
  const headers: string[][] = Array.from({ length: width }, () => []);
  for (const row of headerRows) {
    for (const c of row) {
      for (let k = c.col; k < c.col + c.span && k < width; k++) {
        if (c.text !== '' && !headers[k]!.includes(c.text)) headers[k]!.push(c.text);
      }
    }
  }
  return headers.map((h) => h.join(' '));
}

/** The header over a cell: the distinct headers of the columns it covers. */
function headerOf(headers: string[], c: PlacedCell): string {
  return unique(headers.slice(c.col, c.col + c.span).filter((h) => h !== '')).join('/');
}

/**
 * A blank template row: under a header, every value blank; without one (a form laid out as
 * label | blank | label | blank), at least one blank and the rest short labels.
 */
function isBlankRow(values: PlacedCell[], underHeader: boolean): boolean {
  const blank = values.filter((c) => c.blank);
  if (blank.length === values.length) return true;
  if (underHeader || blank.length === 0) return false;
  return values.every((c) => c.blank || isLabel(c));
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((v) => v !== ''))];
}
