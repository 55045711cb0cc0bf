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

/** A format loader: raw bytes in; throws LoadError(path, reason) when the file is unusable. */
export type Loader = (bytes: Buffer, path: string) => Promise<Extracted>;
