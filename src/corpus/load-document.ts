import { readFile, stat } from 'node:fs/promises';
import nodePath from 'node:path';
import { LoadError } from '../errors.ts';
import { corpusPath, docIdOf } from './doc-id.ts';
import type { DocumentFormat, SourceDocument } from './document.ts';
import { loadDoc } from './loaders/doc.ts';
import { loadDocx } from './loaders/docx.ts';
import type { Loader } from './loaders/extracted.ts';
import { loadHtml } from './loaders/html.ts';
import { loadImage } from './loaders/image.ts';
import { loadMarkdown } from './loaders/markdown.ts';
import { loadOfd } from './loaders/ofd.ts';
import { loadPdf } from './loaders/pdf.ts';
import { loadPptx } from './loaders/pptx.ts';
import { loadCsv, loadXls, loadXlsx } from './loaders/spreadsheet.ts';
import { loadText } from './loaders/text.ts';
import { paddleOcrReader, type OcrReader } from './ocr/ocr-reader.ts';
import { sniffFormat } from './sniff-format.ts';
import { titleLine } from './title-line.ts';

const FORMATS = {
  '.md': ['md', loadMarkdown],
  '.markdown': ['md', loadMarkdown],
  '.txt': ['txt', loadText],
  '.html': ['html', loadHtml],
  '.htm': ['html', loadHtml],
  '.docx': ['docx', loadDocx],
  '.dotx': ['docx', loadDocx],
  '.pdf': ['pdf', loadPdf],
  '.doc': ['doc', loadDoc],
  '.wps': ['doc', loadDoc],
  '.xlsx': ['xlsx', loadXlsx],
  '.xls': ['xls', loadXls],
  '.csv': ['csv', loadCsv],
  '.ofd': ['ofd', loadOfd],
  '.pptx': ['pptx', loadPptx],
  '.jpg': ['image', loadImage],
  '.jpeg': ['image', loadImage],
  '.png': ['image', loadImage],
} as const satisfies Record<string, readonly [DocumentFormat, Loader]>;

type Extension = keyof typeof FORMATS;

/** File extensions `loadDocument` reads (lower case, with the dot). */
export const SUPPORTED_EXTENSIONS: readonly string[] = Object.keys(FORMATS);

/** 50 MB, as MAX_FILE_MB's default in config.ts. */
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

/** True when the file's extension (any case) is one `loadDocument` reads. */
export function isSupported(path: string): boolean {
  return extensionOf(path) !== undefined;
}

/** The document format a path would load as, or undefined. */
export function formatOf(path: string): DocumentFormat | undefined {
  const ext = extensionOf(path);
  return ext && FORMATS[ext][0];
}

export interface LoadDocumentOptions {
  /** Larger files are refused before they are read. Default 50 MB. */
  maxBytes?: number;
  /** The file's bytes when the caller has read them already (ingest hashes them first). */
  bytes?: Buffer;
  /**
   * Reads scans and photos (images, PDF/OFD pages without a text layer). Default: the process's
   * PaddleOCR reader, loaded on the first page that needs it; null for OCR=off.
   */
  ocr?: OcrReader | null;
  /** Called after each page read by OCR (page number, page count), for a progress bar. */
  onOcrPage?: (page: number, pages: number) => void;
}

/**
 * Reads a corpus file and turns it into a SourceDocument: text normalized, headings with
 * offsets into it, title from the format's own title (front matter, <title>, PDF metadata), else
 * its first title-like line (never a chapter heading), else the file name. Throws LoadError(absPath, reason) with a one-line
 * reason when the file is missing, unreadable, too large, empty, binary, corrupt or of an
 * unsupported type.
 */
export async function loadDocument(
  absPath: string,
  corpusRoot: string,
  options: LoadDocumentOptions = {},
): Promise<SourceDocument> {
  const ext = extensionOf(absPath);
  if (!ext) {
    const shown = nodePath.extname(absPath).toLowerCase();
    throw new LoadError(absPath, shown ? `unsupported extension ${shown}` : 'unsupported file (no extension)');
  }
  const rel = corpusPath(absPath, corpusRoot);
  if (!rel) throw new LoadError(absPath, 'file is outside the corpus folder');

  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let bytes = options.bytes;
  if (!bytes) {
    const info = await stat(absPath).catch((err: unknown) => {
      throw new LoadError(absPath, fsReason(err), { cause: err });
    });
    if (!info.isFile()) throw new LoadError(absPath, 'not a regular file');
    if (info.size > maxBytes) throw new LoadError(absPath, `too large (${mb(info.size)} > ${mb(maxBytes)})`);
    bytes = await readFile(absPath).catch((err: unknown) => {
      throw new LoadError(absPath, fsReason(err), { cause: err });
    });
  }
  if (bytes.length > maxBytes) throw new LoadError(absPath, `too large (${mb(bytes.length)} > ${mb(maxBytes)})`);
  if (bytes.length === 0) throw new LoadError(absPath, 'empty file');

  const [format, load] = byContent(ext, bytes, absPath);
  const ocr = options.ocr === undefined ? paddleOcrReader() : options.ocr;
  const extracted = await load(bytes, absPath, { ocr, ...(options.onOcrPage ? { onOcrPage: options.onOcrPage } : {}) });
  if (extracted.text === '') {
    const reason = format === 'pdf' ? (ocr ? 'no text found (scanned pdf: OCR read nothing)' : 'no text layer (scanned pdf, and OCR=off)') : 'no text after extraction';
    throw new LoadError(absPath, reason);
  }
  const fileName = nodePath.basename(rel, nodePath.extname(rel));
  return {
    docId: docIdOf(rel),
    path: rel,
    format,
    title: extracted.title || titleLine(extracted.text, extracted.headings) || fileName,
    meta: extracted.meta ?? {},
    text: extracted.text,
    headings: extracted.headings,
    marks: extracted.marks ?? [],
    dropped: extracted.dropped ?? {},
  };
}

/**
 * The loader for a file by its content when that disagrees with its name (a docx named `.doc`,
 * an OLE Word file named `.wps`, a pptx named `.ofd`…), else by its extension. A container with
 * no loader of its own is left to the extension's loader, which reports what is wrong with it.
 */
function byContent(ext: Extension, bytes: Buffer, absPath: string): (typeof FORMATS)[Extension] {
  const sniffed = sniffFormat(bytes);
  if (sniffed?.kind === 'encrypted-ooxml') throw new LoadError(absPath, 'password-protected Office file (remove the password and save again)');
  const byName = FORMATS[ext];
  if (!sniffed?.ext || !Object.hasOwn(FORMATS, sniffed.ext)) return byName;
  const found = FORMATS[sniffed.ext as Extension];
  return found[0] === byName[0] ? byName : found;
}

function extensionOf(path: string): Extension | undefined {
  const ext = nodePath.extname(path).toLowerCase();
  return Object.hasOwn(FORMATS, ext) ? (ext as Extension) : undefined;
}

/** A one-line reason for staff when a file cannot be read; the path is shown beside it. */
export function fsReason(err: unknown): string {
  switch ((err as NodeJS.ErrnoException)?.code) {
    case 'ENOENT':
      return 'file not found';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'not a regular file';
    default:
      return `cannot read file (${(err as NodeJS.ErrnoException)?.code ?? 'unknown error'})`;
  }
}

function mb(bytes: number): string {
  const v = bytes / (1024 * 1024);
  return v >= 10 ? `${Math.round(v)} MB` : v >= 0.1 ? `${v.toFixed(1)} MB` : `${bytes} bytes`;
}
