import type { DroppedCounts, SourceMark } from './source-mark.ts';

/** A source file turned into text, ready for chunking. */
export type DocumentFormat =
  | 'md' | 'txt' | 'html' | 'docx' | 'pdf' | 'doc' | 'xlsx' | 'xls' | 'csv' | 'pptx' | 'ofd' | 'image';

export interface SourceDocument {
  /** Corpus-relative path without extension, `/`-separated: `policies/2019/notice`. */
  docId: string;
  /** Corpus-relative path with extension, `/`-separated. */
  path: string;
  format: DocumentFormat;
  /** Front matter `title`, else the first heading, else the file name. */
  title: string;
  /** Front matter fields other than the title (`source`, `region`, `url` …). */
  meta: Record<string, string>;
  /**
   * The document body as plain text with `\n` line ends. Headings stay on lines of their own
   * (Markdown `#` markers removed) so the chunker can split on structure; passage offsets index
   * into this string.
   */
  text: string;
  /** Headings found by the loader, with offsets into `text` (for section labels). */
  headings: Array<{ start: number; level: number; text: string }>;
  /** Where parts of `text` come from (pages, sheet rows, slides, OCR), in offset order; may be empty. */
  marks: SourceMark[];
  /** Characters dropped on purpose, by rule. */
  dropped: DroppedCounts;
}
