import nodePath from 'node:path/posix';
import { LoadError } from '../../errors.ts';
import { isCjk, firstChar, lastChar } from '../cjk.ts';
import { normalizeLine } from '../normalize-text.ts';
import { ocrParagraphs } from '../ocr/ocr-layout.ts';
import { isScannedPage, UnreadableImageError, type OcrReader } from '../ocr/ocr-reader.ts';
import { isPageNumber } from '../page-number.ts';
import { TextBuilder } from '../text-builder.ts';
import { childElement, childElements, childPath, findElements, textOf, type XmlElement } from '../xml-tree.ts';
import type { Extracted, Loader } from './extracted.ts';
import { openPackageParts } from './package-parts.ts';

/**
 * `.ofd` (GB/T 33190-2016, the Chinese fixed-layout format of electronic 公文): a zip of XML.
 * OFD.xml → DocBody → DocRoot (Document.xml) → Pages (BaseLoc) → each page's Content.xml, whose
 * layers hold TextObjects; each TextCode is a run of text at X/Y inside its object's Boundary
 * (through the object's CTM). Producers cut text into runs freely (`202` `3` `年` in three
 * objects), so runs are put back in reading order by their coordinates, never by file order:
 *
 * - The page's ruling lines (thin PathObjects) split it into cells, so a form's label and the
 *   value beside it stay together and a value wrapped inside its cell is joined
 *   (`府办专督〔2020〕24` + `号`). Cells are read row by row, left to right; a grid row whose
 *   cells each hold one line becomes one line, cells joined by ` | `.
 * - In a cell, runs on one baseline are one line: joined without a space when either side is
 *   Chinese (a gap wider than 1.5 em is a column gap and gets one), Latin words spaced by gap.
 * - Lines are joined into paragraphs when the previous one runs to the cell's right edge (or
 *   the text's right margin) and the next is not indented and does not start a numbered item.
 * - Lines in a clearly larger font are headings; `— 1 —` page numbers are dropped
 *   (`page-number`); each page is marked (`mark({ page })`, 1-based, in Pages order).
 *
 * Not read: signatures and seals (Signatures.xml, .esl, SignedValue.dat: binary, not text),
 * embedded fonts, custom tags. Annotations (Annots) are notes laid over the page, not the
 * document: their visible text is counted under `annotation` and not indexed. A page with
 * fewer than 20 characters of text is a scan: its images are handed to `readScannedPage` when
 * one is given (the OCR seam), else the page stays empty. Title: DocInfo/Title when present and not just the issuing office's name.
 */
export interface OfdLoaderOptions {
  /**
   * Reads the text of a page without a text layer from its images (OCR), or resolves to []
   * when it finds none. Without it such pages contribute no text, and a document made only of
   * them is refused as scanned.
   */
  readScannedPage?: (page: ScannedOfdPage) => Promise<string[]>;
  /** Called after readScannedPage with the page number and the document's page count. */
  onOcrPage?: (page: number, pages: number) => void;
}

/** A page whose text layer is (nearly) empty, with the images drawn on it. */
export interface ScannedOfdPage {
  /** The OFD file, for messages. */
  path: string;
  /** 1-based page number. */
  page: number;
  /** The page size in millimetres (PhysicalBox). */
  box: Box;
  /** Images in drawing order: where in the zip, the bytes, and where on the page (mm). */
  images: Array<{ file: string; bytes: Uint8Array; boundary: Box }>;
  /** Counts characters the reader leaves out on purpose (a page number) in the document's report. */
  drop: (rule: string, chars: number) => void;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The OFD loader; scanned pages are read by the context's OCR, when it has one. */
export const loadOfd: Loader = (bytes, path, context) => {
  const ocr = context?.ocr;
  const onOcrPage = context?.onOcrPage;
  return ofdLoader(ocr ? { readScannedPage: ocrPageReader(ocr), ...(onOcrPage ? { onOcrPage } : {}) } : {})(bytes, path);
};

/** Reads a scanned page's images one after another, each laid out into paragraphs. */
export function ocrPageReader(ocr: OcrReader): NonNullable<OfdLoaderOptions['readScannedPage']> {
  return async (page) => {
    const out: string[] = [];
    for (const image of page.images) {
      let lines;
      try {
        lines = await ocr.readImage(image.bytes);
      } catch (err) {
        if (!(err instanceof UnreadableImageError)) throw err;
        throw new LoadError(page.path, `corrupt ofd (image ${image.file} on page ${page.page} cannot be decoded)`, { cause: err });
      }
      const { paragraphs, pageNumberChars } = ocrParagraphs(lines);
      if (pageNumberChars > 0) page.drop('page-number', pageNumberChars);
      out.push(...paragraphs.filter((p) => p !== ''));
    }
    return out;
  };
}

export function ofdLoader(options: OfdLoaderOptions = {}): Loader {
  return async (bytes, path) => {
    const pkg = readPackage(bytes, path);
    const b = new TextBuilder();
    let scanned = 0;
    for (const page of pkg.pages) {
      b.mark({ page: page.number });
      const cells = layoutCells(page.fragments, page.rules);
      // What text the page has is kept either way (a stamp's caption, a page number to drop).
      writeCells(b, cells, pkg.headingSizes);
      if (page.images.length > 0 && isScannedPage(cells.flat())) {
        scanned++;
        if (options.readScannedPage) {
          const images = page.images.map((im) => ({ ...im, bytes: pkg.read(im.file) }));
          const lines = await options.readScannedPage({ path, page: page.number, box: page.box, images, drop: (rule, chars) => b.drop(rule, chars) });
          options.onOcrPage?.(page.number, pkg.pages.length);
          b.mark({ page: page.number, ocr: true });
          for (const line of lines) b.add(line).endLine();
          b.endLine(true);
        }
      }
    }
    for (const n of pkg.annotationChars) b.drop('annotation', n);
    const built = b.build();
    if (built.text === '' && scanned > 0) {
      const pages = `${scanned} page${scanned > 1 ? 's' : ''} of images`;
      throw new LoadError(path, options.readScannedPage ? `no text found (scanned ofd: OCR read nothing on ${pages})` : `no text layer (scanned ofd: ${pages}, and no OCR to read them)`);
    }
    return { ...built, ...(pkg.title ? { title: pkg.title } : {}) } satisfies Extracted;
  };
}

/** One run of text placed on the page, in millimetres, y growing downwards (OFD's space). */
interface Fragment {
  text: string;
  x: number;
  /** Baseline. */
  y: number;
  size: number;
  /** Where the run's last glyph ends. */
  end: number;
}

/** A thin PathObject: a table or form rule. */
interface Rule {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

interface Line {
  text: string;
  x: number;
  y: number;
  size: number;
  end: number;
}

interface Cell {
  top: number;
  bottom: number;
  left: number;
  right: number;
  lines: Line[];
}

interface Page {
  number: number;
  box: Box;
  fragments: Fragment[];
  rules: Rule[];
  images: Array<{ file: string; boundary: Box }>;
}

interface Package {
  title?: string;
  pages: Page[];
  /** Font sizes (rounded) that are headings, largest first: level = index + 1. */
  headingSizes: number[];
  /** Characters of each annotation's visible text. */
  annotationChars: number[];
  /** A member's bytes; throws LoadError when it is missing or damaged. */
  read(file: string): Uint8Array;
}

function readPackage(bytes: Buffer, path: string): Package {
  const parts = openPackageParts(bytes, path, 'ofd');
  const zip = parts.zip;
  if (!zip.find('OFD.xml')) throw new LoadError(path, 'not an OFD file (a zip without OFD.xml)');
  const part = (file: string): XmlElement => {
    const xml = parts.xml(file);
    if (!xml) throw new LoadError(path, `corrupt ofd (${file} is missing)`);
    return xml;
  };
  const ofd = part('OFD.xml');
  const bodies = childElements(ofd, 'DocBody');
  if (bodies.length === 0) throw new LoadError(path, 'corrupt ofd (OFD.xml has no DocBody)');
  // GB/T 33190 has no encryption; GM/T 0099 (OFD 2.0) adds Encryptions to the package.
  if (childElement(ofd, 'Encryptions') || bodies.some((d) => childElement(d, 'Encryptions')) || zip.find('Encryptions.xml')) {
    throw new LoadError(path, 'encrypted ofd (remove the protection and save again)');
  }
  const title = bodies.map((d) => usableTitle(textOf(childPath(d, 'DocInfo', 'Title')))).find((t) => t !== undefined);
  const pages: Page[] = [];
  const annotationChars: number[] = [];
  // A package may hold several documents; their pages follow one another.
  for (const body of bodies) {
    const rootLoc = textOf(childElement(body, 'DocRoot')).trim();
    if (!rootLoc) throw new LoadError(path, 'corrupt ofd (DocBody has no DocRoot)');
    const docFile = resolve('', rootLoc);
    const document = part(docFile);
    const docDir = nodePath.dirname(docFile);
    const common = childElement(document, 'CommonData');
    const defaultBox = parseBox(textOf(childPath(common, 'PageArea', 'PhysicalBox'))) ?? { x: 0, y: 0, width: 210, height: 297 };
    const media = new Map<string, string>();
    for (const resLoc of [...childElements(common, 'PublicRes'), ...childElements(common, 'DocumentRes')]) {
      readMedia(part, resolve(docDir, textOf(resLoc).trim()), media);
    }
    const templates = new Map(childElements(common, 'TemplatePage').map((t) => [t.attrs.ID ?? '', resolve(docDir, t.attrs.BaseLoc ?? '')]));
    const pageIds = new Map<string, number>();
    for (const p of childElements(childElement(document, 'Pages'), 'Page')) {
      const file = resolve(docDir, p.attrs.BaseLoc ?? '');
      const pageXml = part(file);
      const pageMedia = new Map(media);
      for (const resLoc of childElements(pageXml, 'PageRes')) readMedia(part, resolve(nodePath.dirname(file), textOf(resLoc).trim()), pageMedia);
      const box = parseBox(textOf(childPath(pageXml, 'Area', 'PhysicalBox'))) ?? defaultBox;
      const page: Page = { number: pages.length + 1, box, fragments: [], rules: [], images: [] };
      // A template page (like a master slide) draws under the page: its text is page text.
      for (const t of childElements(pageXml, 'Template')) {
        const tfile = templates.get(t.attrs.TemplateID ?? '');
        if (tfile) readContent(part(tfile), page, pageMedia);
      }
      readContent(pageXml, page, pageMedia);
      pageIds.set(p.attrs.ID ?? '', page.number);
      pages.push(page);
    }
    const annotsLoc = textOf(childElement(document, 'Annotations')).trim();
    if (annotsLoc) {
      const annotsFile = resolve(docDir, annotsLoc);
      for (const ap of childElements(part(annotsFile), 'Page')) {
        const loc = textOf(childElement(ap, 'FileLoc')).trim();
        if (!loc) continue;
        for (const annot of findElements(part(resolve(nodePath.dirname(annotsFile), loc)), 'Annot')) {
          const visible = findElements(annot, 'TextCode').map((c) => normalizeLine(textOf(c))).join('');
          annotationChars.push([...visible].length);
        }
      }
    }
  }
  const read = (file: string): Uint8Array => {
    let bytes: Uint8Array | undefined;
    try {
      bytes = zip.read(file);
    } catch (err) {
      throw new LoadError(path, `corrupt ofd (${file} cannot be unpacked)`, { cause: err });
    }
    if (!bytes) throw new LoadError(path, `corrupt ofd (image ${file} is missing)`);
    return bytes;
  };
  return { title, pages, headingSizes: headingSizes(pages), annotationChars, read };
}

/** MultiMedia ID -> file in the zip, from one resource file (its BaseLoc is its media folder). */
function readMedia(part: (file: string) => XmlElement, resFile: string, into: Map<string, string>): void {
  const res = part(resFile);
  const base = resolve(nodePath.dirname(resFile), res.attrs.BaseLoc ?? '');
  for (const m of findElements(res, 'MultiMedia')) {
    const file = textOf(childElement(m, 'MediaFile')).trim();
    if (m.attrs.ID && file) into.set(m.attrs.ID, resolve(base, file));
  }
}

/** Text runs, rules and images of a page's (or template's) Content, in page millimetres. */
function readContent(pageXml: XmlElement, page: Page, media: Map<string, string>): void {
  const content = childElement(pageXml, 'Content');
  for (const obj of findElements(content, 'TextObject')) {
    if (obj.attrs.Visible === 'false') continue;
    page.fragments.push(...textFragments(obj));
  }
  for (const obj of findElements(content, 'PathObject')) {
    const r = parseBox(obj.attrs.Boundary ?? '');
    if (!r) continue;
    // Ruling lines are drawn as hairline rectangles or strokes, a millimetre thick at most.
    if (r.width <= 1.2 && r.height >= 3) page.rules.push({ x0: r.x + r.width / 2, y0: r.y, x1: r.x + r.width / 2, y1: r.y + r.height });
    else if (r.height <= 1.2 && r.width >= 3) page.rules.push({ x0: r.x, y0: r.y + r.height / 2, x1: r.x + r.width, y1: r.y + r.height / 2 });
  }
  for (const obj of findElements(content, 'ImageObject')) {
    const file = media.get(obj.attrs.ResourceID ?? '');
    const boundary = parseBox(obj.attrs.Boundary ?? '');
    if (file && boundary) page.images.push({ file, boundary });
  }
}

/**
 * The runs of one TextObject. Each TextCode starts at X/Y (inherited from the previous TextCode
 * when absent, GB/T 33190 §11.3) and advances by DeltaX (`g N d` repeats d N times); a gap of
 * more than 2.5 em inside a TextCode starts a new run (spaced-out form labels). Coordinates go
 * through the object's CTM, then its Boundary origin.
 */
function textFragments(obj: XmlElement): Fragment[] {
  const bound = parseBox(obj.attrs.Boundary ?? '') ?? { x: 0, y: 0, width: 0, height: 0 };
  const [a, b, c, d, e, f] = parseNumbers(obj.attrs.CTM ?? '1 0 0 1 0 0');
  const m = [a ?? 1, b ?? 0, c ?? 0, d ?? 1, e ?? 0, f ?? 0] as const;
  const at = (px: number, py: number) => ({ x: bound.x + m[0] * px + m[2] * py + m[4], y: bound.y + m[1] * px + m[3] * py + m[5] });
  const xScale = Math.hypot(m[0], m[1]) || 1;
  const fontSize = Number(obj.attrs.Size ?? '') || 3.5;
  const size = fontSize * (Math.hypot(m[2], m[3]) || 1);
  const out: Fragment[] = [];
  let x = 0;
  let y = 0;
  for (const code of childElements(obj, 'TextCode')) {
    if (code.attrs.X !== undefined) x = Number(code.attrs.X) || 0;
    if (code.attrs.Y !== undefined) y = Number(code.attrs.Y) || 0;
    const chars = [...textOf(code)];
    if (chars.length === 0) continue;
    const dx = expandDeltas(code.attrs.DeltaX);
    if (code.attrs.DeltaY !== undefined && code.attrs.DeltaX === undefined) {
      // Vertical text: one run, placed at its first glyph.
      const p = at(x, y);
      out.push({ text: chars.join(''), x: p.x, y: p.y, size, end: p.x + size });
      continue;
    }
    let run = '';
    let runX = x;
    let pen = x;
    const flush = (endPen: number) => {
      if (run.trim() === '') return;
      const p = at(runX, y);
      out.push({ text: run, x: p.x, y: p.y, size, end: p.x + (endPen - runX) * xScale });
    };
    chars.forEach((ch, i) => {
      run += ch;
      const advance = dx[i] ?? glyphWidth(ch, fontSize);
      if (i < chars.length - 1 && advance > fontSize * 2.5) {
        flush(pen + glyphWidth(ch, fontSize));
        run = '';
        runX = pen + advance;
      }
      pen += advance;
    });
    flush(pen);
    x = pen;
  }
  return out;
}

function glyphWidth(ch: string, size: number): number {
  return isCjk(ch) ? size : size * 0.55;
}

function expandDeltas(raw: string | undefined): number[] {
  if (!raw) return [];
  const tokens = raw.trim().split(/\s+/);
  const out: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === 'g') {
      const n = Number(tokens[i + 1]);
      const v = Number(tokens[i + 2]);
      for (let k = 0; k < n; k++) out.push(v);
      i += 2;
    } else out.push(Number(tokens[i]));
  }
  return out.map((v) => (Number.isFinite(v) ? v : 0));
}

/**
 * Fragments -> cells (bounded by the rules around each run) -> lines, in reading order: cells by
 * their top rule then left rule, lines in a cell by baseline, runs on a line by x.
 */
function layoutCells(fragments: Fragment[], rules: Rule[]): Line[][] {
  const cells = new Map<string, Cell>();
  for (const fr of fragments) {
    const midY = fr.y - fr.size * 0.35;
    const probeX = fr.x + Math.min(fr.size * 0.5, (fr.end - fr.x) / 2);
    let left = -Infinity;
    let right = Infinity;
    let top = -Infinity;
    let bottom = Infinity;
    for (const r of rules) {
      if (r.x0 === r.x1) {
        if (midY < r.y0 || midY > r.y1) continue;
        if (r.x0 <= probeX) left = Math.max(left, r.x0);
        else right = Math.min(right, r.x0);
      } else {
        if (probeX < r.x0 || probeX > r.x1) continue;
        if (r.y0 <= midY) top = Math.max(top, r.y0);
        else bottom = Math.min(bottom, r.y0);
      }
    }
    const key = [top, bottom, left, right].map((v) => v.toFixed(1)).join(',');
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { top, bottom, left, right, lines: [] }));
    cell.lines.push({ text: fr.text, x: fr.x, y: fr.y, size: fr.size, end: fr.end });
  }
  const ordered = [...cells.values()].sort((p, q) => p.top - q.top || p.left - q.left || firstY(p) - firstY(q));
  return ordered.map((cell) => toParagraphs(cell, toLines(cell.lines)));
}

function firstY(cell: Cell): number {
  return Math.min(...cell.lines.map((l) => l.y));
}

/** Runs on one baseline (within half an em) -> one line, runs joined by the gap between them. */
function toLines(runs: Line[]): Line[] {
  const sorted = [...runs].sort((p, q) => p.y - q.y || p.x - q.x);
  const groups: Line[][] = [];
  for (const r of sorted) {
    const g = groups.at(-1);
    if (g && Math.abs(r.y - g[0]!.y) < Math.max(r.size, g[0]!.size) * 0.5) g.push(r);
    else groups.push([r]);
  }
  return groups.map((g) => {
    g.sort((p, q) => p.x - q.x);
    let text = '';
    let end = -Infinity;
    for (const r of g) {
      const gap = r.x - end;
      const cjk = isCjk(lastChar(text)) || isCjk(firstChar(r.text));
      const spaced = text !== '' && (cjk ? gap > r.size * 1.5 : gap > r.size * 0.25);
      text += (spaced ? ' ' : '') + r.text;
      end = Math.max(end, r.end);
    }
    return { text: normalizeLine(text), x: g[0]!.x, y: g[0]!.y, size: Math.max(...g.map((r) => r.size)), end };
  }).filter((l) => l.text !== '');
}

// 一、 （一） 1. 1、 (1) ①: a numbered item starts its own paragraph.
const ITEM_START = /^([一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）|\(\d+\)|\d+[、.．]|[①-⑳])/;

/** Lines of one cell -> paragraphs: a line wrapped at the cell's edge is joined to the next. */
function toParagraphs(cell: Cell, lines: Line[]): Line[] {
  if (lines.length === 0) return [];
  const ruled = Number.isFinite(cell.right);
  const right = ruled ? cell.right : Math.max(...lines.map((l) => l.end));
  const left = Math.min(...lines.map((l) => l.x));
  const out: Line[] = [];
  let prev: Line | undefined;
  for (const line of lines) {
    if (prev) {
      const full = right - prev.end < prev.size * 1.5;
      const indented = line.x - left > line.size * 0.9;
      const near = line.y - prev.y < Math.max(line.size, prev.size) * 2;
      const sameSize = Math.abs(line.size - prev.size) < 0.1 * prev.size;
      if (full && near && sameSize && (ruled || !indented) && !ITEM_START.test(line.text) && !isPageNumber(line.text)) {
        prev.text += (isCjk(lastChar(prev.text)) || isCjk(firstChar(line.text)) ? '' : ' ') + line.text;
        prev.end = line.end;
        prev.y = line.y;
        continue;
      }
    }
    prev = { ...line };
    out.push(prev);
  }
  return out;
}

/** Writes a page's cells: headings by size, page numbers dropped, single-line grid rows joined. */
function writeCells(b: TextBuilder, cells: Line[][], headingSizes: number[]): void {
  const rows: Line[][][] = [];
  // Cells come in row order; consecutive single-line cells sharing a baseline band are a row.
  for (const cell of cells) {
    const row = rows.at(-1);
    const single = cell.length === 1 && !isPageNumber(cell[0]!.text);
    if (row && single && row.every((c) => c.length === 1) && Math.abs(row[0]![0]!.y - cell[0]!.y) < cell[0]!.size * 1.5) row.push(cell);
    else rows.push([cell]);
  }
  for (const row of rows) {
    if (row.length > 1) {
      b.add(row.map((c) => c[0]!.text).join(' | ')).endLine(true);
      continue;
    }
    for (const line of row[0]!) {
      if (isPageNumber(line.text)) {
        b.drop('page-number', [...line.text].length);
        continue;
      }
      const level = headingSizes.indexOf(round(line.size)) + 1;
      if (level > 0 && [...line.text].length <= MAX_HEADING_CHARS) b.heading(level, line.text);
      else b.add(line.text).endLine(true);
    }
  }
}

// As in the PDF loader: 1.1x the body size makes a heading (三号 over 四号 is 1.14x).
const HEADING_RATIO = 1.1;
const MAX_HEADING_CHARS = 40;

function headingSizes(pages: Page[]): number[] {
  const weight = new Map<number, number>();
  for (const fr of pages.flatMap((p) => p.fragments)) weight.set(round(fr.size), (weight.get(round(fr.size)) ?? 0) + [...fr.text].length);
  let body = 0;
  let best = -1;
  for (const [size, n] of weight) if (n > best || (n === best && size < body)) [body, best] = [size, n];
  return [...weight.keys()].filter((s) => s >= body * HEADING_RATIO).sort((p, q) => q - p);
}

// Converters fill DocInfo/Title with the issuing office when the 公文 has no title field: the
// real 函 of ../shared/real-docs (Suwell OFD convertor) says 蚌埠市国土资源局, its red head.
// A title that is only an organisation's name is not the document's; the generic title rules
// then find its 关于……的函 line.
const ORGANISATION = /^[\u4e00-\u9fff（）()·]{2,30}(人民政府|政府|委员会|党委|党工委|党组|党支部|办公室|办公厅|办事处|局|厅|委|部|院|中心|公司|集团|大学|学校)$/;

function usableTitle(raw: string): string | undefined {
  const t = normalizeLine(raw);
  return t === '' || ORGANISATION.test(t) ? undefined : t;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function parseNumbers(s: string): number[] {
  return s.trim() === '' ? [] : s.trim().split(/\s+/).map(Number);
}

function parseBox(s: string): Box | undefined {
  const [x, y, width, height] = parseNumbers(s);
  if ([x, y, width, height].some((v) => v === undefined || !Number.isFinite(v))) return undefined;
  return { x: x!, y: y!, width: width!, height: height! };
}

/** An OFD location: absolute from the package root when it starts with `/`, else relative to `dir`. */
function resolve(dir: string, loc: string): string {
  const joined = loc.startsWith('/') ? loc : nodePath.join(dir, loc);
  return nodePath.normalize(joined).replace(/^\/+/, '').replace(/^\.\//, '');
}
