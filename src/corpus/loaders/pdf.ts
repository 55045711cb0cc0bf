import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { LoadError } from '../../errors.ts';
import { isCjk, joiner, lastChar, firstChar } from '../cjk.ts';
import { normalizeLine } from '../normalize-text.ts';
import { writeOcrLines } from '../ocr/ocr-layout.ts';
import { isScannedPage, type OcrLine, type OcrReader } from '../ocr/ocr-reader.ts';
import { isPageNumber } from '../page-number.ts';
import { TextBuilder } from '../text-builder.ts';
import type { Extracted, Loader } from './extracted.ts';

type PDFPageProxy = import('pdfjs-dist/legacy/build/pdf.mjs').PDFPageProxy;

/** A page's lines from its text layer, or, for a scan, what OCR read from its picture. */
type PageLines = { lines: Line[]; ocr?: undefined } | { lines: Line[]; ocr: OcrLine[] };

/** One run of text as pdf.js reports it, in page units (y grows upwards). */
interface Run {
  str: string;
  x: number;
  y: number;
  width: number;
  size: number;
  eol: boolean;
}

interface Line {
  text: string;
  x: number;
  right: number;
  y: number;
  size: number;
}

/**
 * `.pdf`: the text layer through pdf.js (legacy build, the one meant for Node). Runs are joined
 * into lines without spaces between Chinese characters; lines are joined into paragraphs when
 * a line runs to the right margin and the next is neither indented nor set apart; lines in a
 * clearly larger font become headings; bare page numbers are dropped. A page with fewer than
 * SCANNED_PAGE_CHARS characters of text is a scan: rendered at 200 dpi onto @napi-rs/canvas and
 * read by OCR, one page at a time, marked `{ page, ocr: true }`. pdf.js loads lazily, on the
 * first PDF.
 */
export const loadPdf: Loader = (bytes, path, context) => absorbingPdfjsStrays(() => parsePdf(bytes, path, context?.ocr ?? null, context?.onOcrPage));

// The measurement: 150 dpi kept the errors of 200 dpi on clean scans but not on faxes.
const OCR_DPI = 200;

async function parsePdf(bytes: Buffer, path: string, ocr: OcrReader | null, onOcrPage?: (page: number, pages: number) => void): Promise<Extracted> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({
    // pdf.js transfers (detaches) the buffer it is given, so hand it a copy.
    data: new Uint8Array(bytes),
    // Chinese PDFs often use Adobe's predefined CMaps (UniGB-UCS2-H …) and non-embedded fonts;
    // without these folders their text cannot be decoded.
    cMapUrl: PDFJS_DIR + '/cmaps/',
    cMapPacked: true,
    standardFontDataUrl: PDFJS_DIR + '/standard_fonts/',
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    verbosity: 0,
  });
  let pages: PageLines[] = [];
  let metaTitle: string | undefined;
  try {
    const doc = await task.promise;
    try {
      const info = (await doc.getMetadata()).info as { Title?: unknown } | undefined;
      if (typeof info?.Title === 'string') metaTitle = usableTitle(info.Title);
      for (let n = 1; n <= doc.numPages; n++) {
        const page = await doc.getPage(n);
        const content = await page.getTextContent();
        const runs: Run[] = [];
        for (const item of content.items) {
          if (!('str' in item)) continue;
          const [a = 0, b = 0, , , e = 0, f = 0] = item.transform as number[];
          runs.push({ str: item.str, x: e, y: f, width: item.width, size: Math.hypot(a, b) || item.height, eol: item.hasEOL });
        }
        const lines = toLines(runs);
        if (ocr && isScannedPage(lines)) {
          pages.push({ lines, ocr: await ocr.readImage(await renderPage(page)) });
          onOcrPage?.(n, doc.numPages);
        } else pages.push({ lines });
        page.cleanup();
      }
    } finally {
      await doc.destroy();
    }
  } catch (err) {
    const reason = pdfReason(err);
    // Anything else (a bug in pdf.js or in the code above, an out-of-memory) is not known to be
    // the file's fault: thrown as it is, so ingest reports it as unexpected, with its stack.
    if (reason === undefined) throw err;
    throw new LoadError(path, reason, { cause: err });
  }
  pages = pages.map((p) => ({ ...p, lines: p.lines.filter((l) => !isPageNumber(l.text)) }));
  return { ...layout(pages), ...(metaTitle ? { title: metaTitle } : {}) };
}

/** The page as a PNG at OCR_DPI, white behind it (a scan's JPEG may not cover the page). */
async function renderPage(page: PDFPageProxy): Promise<Uint8Array> {
  // The canvas must be the copy pdf.js itself loads for its scratch canvases: npm nests
  // @napi-rs/canvas 0.1.x under pdfjs-dist beside the project's 1.x, and drawing one copy's
  // canvas onto the other's context crashes the process (SIGSEGV, seen here).
  const { createCanvas } = createRequire(PDFJS_DIR + '/package.json')('@napi-rs/canvas') as typeof import('@napi-rs/canvas');
  const viewport = page.getViewport({ scale: OCR_DPI / 72 });
  const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  // pdf.js draws on any 2D context with the DOM's shape; @napi-rs/canvas is the one it supports in Node.
  await page.render({ canvasContext: ctx as unknown as Parameters<PDFPageProxy['render']>[0]['canvasContext'], viewport }).promise;
  return canvas.toBuffer('image/png');
}

// pdf.js's own exception classes (src/shared/util.js), as they reach us.
const PDFJS_ERRORS = new Set(['FormatError', 'UnknownErrorException', 'InvalidPDFException', 'MissingPDFException', 'PasswordException', 'ResponseException', 'UnexpectedResponseException', 'AbortException']);

/**
 * pdf.js runs in this thread (Node has no pdf.js worker), and on a file damaged mid-stream it
 * rejects the document we await and also leaves an internal promise rejected and unhandled
 * ("FormatError: Command token too long: 128"). Node ends the process on an unhandled rejection:
 * one bad PDF stopped `npm run ingest`. While a PDF is parsed, pdf.js's own errors are absorbed
 * (the awaited failure already reports the file); any other unhandled rejection is raised again,
 * as Node would have.
 */
async function absorbingPdfjsStrays<T>(work: () => Promise<T>): Promise<T> {
  const onStray = (reason: unknown) => {
    if (PDFJS_ERRORS.has(String((reason as { name?: unknown } | null)?.name))) return;
    setImmediate(() => {
      throw reason;
    });
  };
  process.on('unhandledRejection', onStray);
  try {
    return await work();
  } finally {
    // Unhandled rejections are reported after the microtask queue drains: let pdf.js's surface.
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', onStray);
  }
}

const PDFJS_DIR = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')).split('\\').join('/');

/**
 * The reason for a failure that pdf.js reports as the file's, else undefined. Parse errors inside
 * pdf.js's worker cross to us as UnknownErrorException, with the original `FormatError: …` in
 * `details`; other errors cross the same way, so only that name counts as a corrupt file.
 */
function pdfReason(err: unknown): string | undefined {
  const { name, details } = (err ?? {}) as { name?: unknown; details?: unknown };
  if (name === 'PasswordException') return 'pdf is password-protected';
  if (name === 'InvalidPDFException') return 'corrupt pdf (invalid structure)';
  if (name === 'FormatError' || (name === 'UnknownErrorException' && typeof details === 'string' && details.startsWith('FormatError:'))) {
    return 'corrupt pdf (cannot be parsed)';
  }
  return undefined;
}

/** Runs in reading order -> lines: a new line at pdf.js's end-of-line marks or a baseline change. */
function toLines(runs: Run[]): Line[] {
  const lines: Line[] = [];
  let cur: Line | undefined;
  let prevEnd = 0;
  for (const r of runs) {
    if (r.str === '' && !r.eol) continue;
    const sameLine = cur !== undefined && Math.abs(r.y - cur.y) < Math.max(cur.size, r.size) * 0.5;
    if (r.str.trim() !== '') {
      if (!cur || !sameLine) {
        cur = { text: r.str, x: r.x, right: r.x + r.width, y: r.y, size: r.size };
        lines.push(cur);
      } else {
        // A visible gap on the line is a space, except between Chinese characters, where only a
        // wide gap (table columns, 1.5 em) separates words.
        const gap = r.x - prevEnd;
        const cjk = isCjk(lastChar(cur.text)) && isCjk(firstChar(r.str));
        const spaced = cjk ? gap > r.size * 1.5 : gap > r.size * 0.2 && joiner(cur.text, r.str) === ' ';
        cur.text += (spaced ? ' ' : '') + r.str;
        cur.right = Math.max(cur.right, r.x + r.width);
        cur.size = Math.max(cur.size, r.size);
      }
      prevEnd = r.x + r.width;
    } else if (cur && sameLine && r.str !== '') {
      cur.text += ' ';
    }
    if (r.eol) cur = undefined;
  }
  for (const l of lines) l.text = normalizeLine(l.text);
  return lines.filter((l) => l.text !== '');
}


// A short line at least this much larger than the body font is a heading: 三号/16pt headings
// over a 四号/14pt body are 1.14x. (GB/T 9704 documents set level-1 headings in the body size
// with a bolder face; those stay body text, since font weight is not reliable in pdf.js.)
const HEADING_RATIO = 1.1;
const MAX_HEADING_CHARS = 40;

function layout(pages: PageLines[]): { text: string; headings: Extracted['headings']; marks: Extracted['marks']; dropped: Extracted['dropped'] } {
  const all = pages.flatMap((p) => (p.ocr ? [] : p.lines));
  const body = mode(all.map((l) => round(l.size)));
  const left = mode(all.filter((l) => round(l.size) === body).map((l) => round(l.x)));
  const right = Math.max(0, ...all.filter((l) => round(l.size) === body).map((l) => l.right));
  // Larger sizes rank as heading levels: the largest is level 1.
  const sizes = [...new Set(all.map((l) => round(l.size)).filter((s) => s >= body * HEADING_RATIO))].sort((a, b) => b - a);

  const b = new TextBuilder();
  for (const [i, { lines, ocr }] of pages.entries()) {
    if (ocr) {
      // The page is read from its picture only: its few text-layer characters are in it too.
      b.mark({ page: i + 1, ocr: true });
      writeOcrLines(b, ocr);
      continue;
    }
    b.mark({ page: i + 1 });
    let prev: Line | undefined;
    for (const line of lines) {
      const level = sizes.indexOf(round(line.size)) + 1;
      if (level > 0 && [...line.text].length <= MAX_HEADING_CHARS) {
        b.heading(level, line.text);
        prev = undefined;
        continue;
      }
      if (prev) {
        const gap = prev.y - line.y;
        const spaced = gap > prev.size * 1.9 || gap < 0;
        const indented = line.x - left > line.size * 0.9;
        const full = right - prev.right < prev.size * 1.5;
        if (spaced || indented || !full || round(line.size) !== round(prev.size)) b.endLine(true);
        else b.add(joiner(prev.text, line.text)); // a wrapped line: no space inside Chinese text
      }
      b.add(line.text);
      prev = line;
    }
    b.endLine(true);
  }
  return b.build();
}

function round(n: number): number {
  return Math.round(n * 2) / 2;
}

function mode(values: number[]): number {
  const counts = new Map<number, number>();
  let best = 0;
  let bestCount = 0;
  for (const v of values) {
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > bestCount || (c === bestCount && v < best)) [best, bestCount] = [v, c];
  }
  return best;
}

/** PDF metadata titles are often tool junk (`Microsoft Word - 通知.docx`, `untitled`). */
function usableTitle(raw: string): string | undefined {
  const t = normalizeLine(raw);
  if (t === '' || /^(untitled|无标题|microsoft word\b)/i.test(t) || /\.(docx?|wps|pdf|txt|rtf)$/i.test(t)) return undefined;
  return t;
}
