import { createRequire } from 'node:module';
import nodePath from 'node:path';
import { LoadError } from '../../errors.ts';
import { normalizeLine, splitLines } from '../normalize-text.ts';
import { sniffFormat } from '../sniff-format.ts';
import { TextBuilder } from '../text-builder.ts';
import type { Extracted, Loader } from './extracted.ts';
import { loadHtml } from './html.ts';

/** The parts of word-extractor's Document this loader reads (its bundled types lack the options). */
interface WordDocument {
  getBody(options: { filterUnicode: false }): string;
  getFootnotes(options: { filterUnicode: false }): string;
  getEndnotes(options: { filterUnicode: false }): string;
  getHeaders(options: { filterUnicode: false; includeFooters: false }): string;
  getFooters(options: { filterUnicode: false }): string;
  getAnnotations(options: { filterUnicode: false }): string;
  getTextboxes(options: { filterUnicode: false; includeBody: boolean; includeHeadersAndFooters: boolean }): string;
}

// filterUnicode: false keeps “ ” ‘ ’ and — as they are; word-extractor's default turns them into
// ASCII quotes and hyphens, which changes Chinese text.
const RAW = { filterUnicode: false } as const;

/**
 * `.doc` and `.wps` (Word 97-2003 binary, which WPS Office also writes under a `.wps` name),
 * through word-extractor, which reads the OLE file and removes field codes (HYPERLINK,
 * PAGEREF …), keeping the field results.
 *
 * - Body text line by line; a table row (cells ending in a tab) becomes one line, cells joined
 *   by ` | `.
 * - Table-of-contents lines (entry, tab, page number) are dropped under `toc-leader`, with the
 *   目录 line above them. Their entries are kept as a map: a body line that is a TOC entry's
 *   text is a heading, and gets back the number Word's automatic numbering shows before it
 *   (`第一章`), which the body text does not hold.
 * - Footnotes, endnotes and text boxes are the author's text: kept, after the body.
 * - Headers, footers and their text boxes repeat on every page: dropped under `running-header`.
 * - Comments (review bubbles) are not the document's text: dropped under `comment`.
 * - No title: word-extractor does not read the OLE summary information.
 *
 * A web page saved with a `.doc` name (office systems export those; Word opens them) is read as
 * HTML. Anything else that is not OLE (a `.wps` in the old Kingsoft format, RTF, a web archive)
 * is refused with what it is; a zip named `.doc`/`.wps` never reaches here (load-document routes it
 * to the docx loader by its content).
 */
export const loadDoc: Loader = async (bytes, path): Promise<Extracted> => {
  const sniffed = sniffFormat(bytes);
  // Office systems export "Word" files that are web pages with a .doc name; Word opens them.
  if (!sniffed && isHtml(bytes)) return loadHtml(bytes, path);
  if (sniffed?.container !== 'ole') throw new LoadError(path, notWord97(bytes, path));
  if (sniffed.kind === 'encrypted-ooxml') throw new LoadError(path, 'password-protected Office file (remove the password and save again)');
  const other = OTHER_OLE[sniffed.kind];
  if (other) throw new LoadError(path, `not a Word document (${other} with a ${ext(path)} name)`);
  const doc = await extract(bytes, path);

  const b = new TextBuilder();
  const body = splitLines(doc.getBody(RAW));
  const toc = tableOfContents(body);
  for (let i = 0; i < body.length; i++) {
    if (toc.lines.has(i)) {
      b.drop('toc-leader', chars(body[i]!));
      continue;
    }
    addLine(b, body[i]!, toc.entries);
  }
  for (const part of [doc.getFootnotes(RAW), doc.getEndnotes(RAW), doc.getTextboxes({ ...RAW, includeBody: true, includeHeadersAndFooters: false })]) {
    b.endLine(true);
    for (const line of splitLines(part)) addLine(b, line, new Map());
  }
  const running = [doc.getHeaders({ ...RAW, includeFooters: false }), doc.getFooters(RAW), doc.getTextboxes({ ...RAW, includeBody: false, includeHeadersAndFooters: true })];
  for (const part of running) b.drop('running-header', chars(part));
  b.drop('comment', chars(doc.getAnnotations(RAW)));
  return b.build();
};

const OTHER_OLE: Partial<Record<string, string>> = {
  xls: 'an Excel 97-2003 workbook',
  ppt: 'a PowerPoint 97-2003 presentation',
};

async function extract(bytes: Buffer, path: string): Promise<WordDocument> {
  const { WordOleExtractor, BufferReader } = wordExtractorParts();
  // word-extractor reads the FIB's flags but not fEncrypted ([MS-DOC] 2.5.2 FibBase, bit 0x0100):
  // an encrypted file fails deep inside it with a RangeError, or reads as garbage. Its OLE
  // extractor is extended to look at that bit first.
  class CheckedExtractor extends WordOleExtractor {
    override extractWordDocument(ole: unknown, fib: Buffer): Promise<WordDocument> {
      if (fib.length >= 0x0c && fib.readUInt16LE(0) === 0xa5ec && (fib.readUInt16LE(0x0a) & 0x0100) !== 0) {
        return Promise.reject(new LoadError(path, 'password-protected Word document (remove the password and save again)'));
      }
      return super.extractWordDocument(ole, fib);
    }
  }
  try {
    return await new CheckedExtractor().extract(new BufferReader(bytes));
  } catch (err) {
    if (err instanceof LoadError) throw err;
    // Whatever word-extractor trips on (a bad sector chain, an out-of-range piece table) comes
    // from the file's bytes: a damaged file, not a bug here.
    throw new LoadError(path, "corrupt Word 97-2003 file (cannot be read)", { cause: err });
  }
}

interface WordOleExtractorClass {
  new (): { extract(reader: unknown): Promise<WordDocument>; extractWordDocument(ole: unknown, fib: Buffer): Promise<WordDocument> };
}

let parts: { WordOleExtractor: WordOleExtractorClass; BufferReader: new (bytes: Buffer) => unknown } | undefined;

/** word-extractor's OLE extractor and buffer reader (its main class only picks between them). */
function wordExtractorParts(): NonNullable<typeof parts> {
  if (!parts) {
    const require = createRequire(import.meta.url);
    parts = {
      WordOleExtractor: require('word-extractor/lib/word-ole-extractor.js') as WordOleExtractorClass,
      BufferReader: require('word-extractor/lib/buffer-reader.js') as new (bytes: Buffer) => unknown,
    };
  }
  return parts;
}

// A TOC line: entry text, a tab (Word's tab leader), the page number, nothing after. A table
// row ends in a tab instead, so `第一条\t2\t` is not one.
const TOC_LINE = /^(.*\S)\t[\t .·…-]*(\d{1,4}|[ivxlcdm]{1,6})\s*$/i;
const TOC_TITLE = /^目\s*录$|^contents$/i;

interface Toc {
  /** Indexes of the body lines that are the TOC (entries and its 目录 line). */
  lines: Set<number>;
  /** Entry text without its number -> the number (`项目实施总体要求` -> `第一章`); also full text -> ''. */
  entries: Map<string, string>;
}

/**
 * The table of contents: a run of at least two TOC lines, or one under a 目录 line. Entries
 * are split into their number and text (`第一章\t项目实施总体要求\t2`, `1.1 项目开发指导思想\t2`).
 */
function tableOfContents(lines: string[]): Toc {
  const toc: Toc = { lines: new Set(), entries: new Map() };
  for (let i = 0; i < lines.length; ) {
    let j = i;
    while (j < lines.length && TOC_LINE.test(lines[j]!)) j++;
    let title = i - 1;
    while (title >= 0 && normalizeLine(lines[title]!) === '') title--;
    const titled = title >= 0 && TOC_TITLE.test(normalizeLine(lines[title]!));
    if (j - i >= 2 || (j - i === 1 && titled)) {
      if (titled) toc.lines.add(title);
      for (let k = i; k < j; k++) {
        toc.lines.add(k);
        const entry = TOC_LINE.exec(lines[k]!)![1]!;
        const written = normalizeLine(entry.replace(/\t/g, ' '));
        const [number, text] = splitNumber(written);
        toc.entries.set(text, number);
        // The entry as written (`3.1概要`) and with its number spaced (`3.1 概要`) are that heading too.
        for (const same of [written, `${number} ${text}`]) if (number && !toc.entries.has(same)) toc.entries.set(same, '');
      }
      i = j;
    } else i = Math.max(j, i + 1);
  }
  return toc;
}

// 第一章 / 第二节 / 第三条 (also 第1章), or 1. / 1.1 / 2.3.1 / 一、, as Word numbers headings.
const NUMBER = /^(第[一二三四五六七八九十百零〇两\d]+[编章节条]|\d+(?:\.\d+)*\.?|[一二三四五六七八九十]+、)\s*(.*)$/;

function splitNumber(entry: string): [string, string] {
  const m = NUMBER.exec(entry);
  return m && m[2] ? [m[1]!.replace(/\.$/, ''), m[2]] : ['', entry];
}

/** A heading's level from its number: 编/章 1, 节 2, `1.1` 2, `1.1.1` 3, none 1. */
function levelOf(number: string): number {
  if (/节$/.test(number)) return 2;
  if (/条$/.test(number)) return 3;
  const dots = /^\d+(\.\d+)*$/.test(number) ? number.split('.').length : 1;
  return Math.min(dots, 6);
}

function addLine(b: TextBuilder, raw: string, entries: Map<string, string>): void {
  // A table row: cells end in a tab (word-extractor's reading of Word's cell marks).
  const cells = /\t\s*$/.test(raw) ? raw.split('\t').map(normalizeLine).filter((c) => c !== '') : undefined;
  const text = cells ? cells.join(' | ') : normalizeLine(raw);
  if (text === '') {
    b.endLine(true);
    return;
  }
  const number = entries.get(text);
  if (number !== undefined) {
    const full = number ? `${number} ${text}` : text;
    b.heading(levelOf(splitNumber(full)[0]), full);
    return;
  }
  b.add(text).endLine();
}

/** Characters of `text` a reader would see: line ends and surrounding blanks not counted. */
function chars(text: string): number {
  return splitLines(text).reduce((n, line) => n + [...normalizeLine(line)].length, 0);
}

function isHtml(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 512).toString('latin1').replace(/^\xEF\xBB\xBF/, '');
  return /^\s*(<!DOCTYPE\s+html|<html[\s>]|<\?xml[^>]*>\s*<html[\s>])/i.test(head);
}

function notWord97(bytes: Buffer, path: string): string {
  const head = bytes.subarray(0, 64).toString('latin1');
  const what = head.startsWith('{\\rtf')
    ? 'an RTF file'
    : /^MIME-Version:/i.test(head)
      ? 'a web archive (.mht)'
      : ext(path) === '.wps'
        ? 'not Word 97-2003 (an old Kingsoft WPS format?)'
        : 'not a Word 97-2003 file';
  return `${what} with a ${ext(path)} name; open it in WPS or Word and save it as .docx`;
}

function ext(path: string): string {
  return nodePath.extname(path).toLowerCase();
}
