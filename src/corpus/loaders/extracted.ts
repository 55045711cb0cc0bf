import type { OcrReader } from '../ocr/ocr-reader.ts';
import type { DroppedCounts, SourceMark } from '../source-mark.ts';
import type { Heading } from '../text-builder.ts';

/** What a format loader returns; `loadDocument` adds ids, path and title fallbacks. */
export interface Extracted {
  /** Normalized text (see normalizeText). */
  text: string;
  headings: Heading[];
  /** A title the format itself states (front matter, <title>, PDF metadata), if any. */
  title?: string;
  /** Extra metadata (Markdown front matter fields other than the title). */
  meta?: Record<string, string>;
  /** Where parts of `text` come from (pages, sheet rows, slides, OCR), in offset order. */
  marks?: SourceMark[];
  /** Characters dropped on purpose, by rule (see DroppedCounts). */
  dropped?: DroppedCounts;
}

/** What a loader may use beyond the file's bytes. */
export interface LoaderContext {
  /** Reads text from images (scans, photos, PDF pages without a text layer); null when OCR=off. */
  ocr: OcrReader | null;
  /**
   * Called after each page read by OCR, with its page number and the document's page count, so
   * ingest can show a progress bar: OCR takes seconds a page, a scanned PDF minutes.
   */
  onOcrPage?: (page: number, pages: number) => void;
}

/**
 * A format loader: raw bytes in; throws LoadError(path, reason) when the file is unusable.
 * Without a context there is no OCR.
 */
export type Loader = (bytes: Buffer, path: string, context?: LoaderContext) => Promise<Extracted>;
