import { joiner } from '../cjk.ts';
import { isPageNumber } from '../page-number.ts';
import type { TextBuilder } from '../text-builder.ts';
import type { OcrLine } from './ocr-reader.ts';

/**
 * A page's OCR lines as paragraphs, as the PDF loader does with its text layer: a line that
 * reaches the text's right edge is wrapped, and the next one continues its paragraph unless it
 * is indented (a new paragraph, 第X条 set in two ems) or far below. Centred titles and short last
 * lines end their paragraph. A line that is only a page number (`— 2 —`) is left out and its
 * characters counted, for the `page-number` rule.
 */
export function ocrParagraphs(lines: readonly OcrLine[]): { paragraphs: string[]; pageNumberChars: number } {
  const body = lines.filter((l) => !isPageNumber(l.text));
  const pageNumberChars = lines.reduce((n, l) => n + (isPageNumber(l.text) ? [...l.text].length : 0), 0);
  if (body.length === 0) return { paragraphs: [], pageNumberChars };
  const height = median(body.map((l) => l.bottom - l.top));
  const left = Math.min(...body.map((l) => l.left));
  const right = Math.max(...body.map((l) => l.right));
  const paragraphs: string[] = [];
  let current = '';
  let prev: OcrLine | undefined;
  for (const line of body) {
    if (prev) {
      const full = right - prev.right < height * 1.5;
      const indented = line.left - left > height * 0.9;
      const near = line.top - prev.bottom < height * 1.5;
      if (full && near && !indented) current += joiner(prev.text, line.text);
      else {
        paragraphs.push(current);
        current = '';
      }
    }
    current += line.text;
    prev = line;
  }
  paragraphs.push(current);
  return { paragraphs, pageNumberChars };
}

/** Writes a page's OCR lines as paragraphs (ocrParagraphs), counting dropped page numbers. */
export function writeOcrLines(b: TextBuilder, lines: readonly OcrLine[]): void {
  const { paragraphs, pageNumberChars } = ocrParagraphs(lines);
  if (pageNumberChars > 0) b.drop('page-number', pageNumberChars);
  for (const p of paragraphs) b.add(p).endLine(true);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}
