/**
 * Where a stretch of a document's text sits in the original file. A loader records a mark where
 * the stretch begins; it holds until the next mark. The chunker turns the marks a passage spans
 * into its location (page 3–4, sheet 台账 rows 5–9, slide 2), so no later stage re-derives them.
 */
export interface SourceMark {
  /** Offset into the document text where this mark begins. */
  start: number;
  /** 1-based page as a viewer shows it (PDF, OFD, an OCR'd image). */
  page?: number;
  /** Sheet name as the spreadsheet program shows it on its tab. */
  sheet?: string;
  /** 1-based row number as the spreadsheet program shows it (a merged title row counts). */
  row?: number;
  /** 1-based slide number, in presentation order. */
  slide?: number;
  /** True when this text was recognised by OCR from pixels rather than read from the file. */
  ocr?: boolean;
}

/** A mark before its offset is known (TextBuilder fills in `start`). */
export type PendingMark = Omit<SourceMark, 'start'>;

/**
 * Characters a loader dropped on purpose, by named rule: `page-number`, `running-header`,
 * `toc-leader`, `blank-form-cell`, `repeated-merged-cell`, `site-furniture` … Reported per
 * document by `ingest --json`, so what never reached a passage is always accounted for.
 */
export type DroppedCounts = Record<string, number>;

/** Adds `chars` to `rule` in `counts` (no entry for zero). */
export function countDropped(counts: DroppedCounts, rule: string, chars: number): void {
  if (chars > 0) counts[rule] = (counts[rule] ?? 0) + chars;
}
