/**
 * Where a passage stands in its original document, as a reader would look it up: chapter and
 * article for regulations, pages for PDF/OFD and scans, sheet and rows for spreadsheets, slides
 * for presentations. The chunker fills it from the structure lines and the loader's marks; the
 * citation prints it. Absent fields are unknown, never guessed.
 */
export interface PassageLocation {
  /** The 编/章/节 the passage lies in, by number: `第三章`, `第二编 第一章 第二节`. */
  chapter?: string;
  /** The article (条) the passage lies in: `第十二条`. */
  article?: string;
  /** True when the passage holds its article whole (heading line through the article's end). */
  wholeArticle?: boolean;
  /** First and last page (1-based, as a viewer shows them). */
  pages?: [number, number];
  /** Sheet name and first and last row number, as the spreadsheet program shows them. */
  sheet?: string;
  rows?: [number, number];
  /** First and last slide (1-based). */
  slides?: [number, number];
  /** Some of the passage was recognised by OCR from a scan or photo. */
  ocr?: boolean;
}

/** True when nothing is known of the passage's place beyond its heading. */
export function isEmptyLocation(loc: PassageLocation | undefined): boolean {
  return !loc || Object.keys(loc).length === 0;
}
