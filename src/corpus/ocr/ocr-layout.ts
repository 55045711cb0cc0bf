import { joiner } from '../cjk.ts';
import { isPageNumber } from '../page-number.ts';
import type { TextBuilder } from '../text-builder.ts';
import type { OcrLine } from './ocr-reader.ts';

/**
 * Writes a page's OCR lines as paragraphs, as the PDF loader does with its text layer: a line
 * that reaches the text's right edge is wrapped, and the next one continues its paragraph unless
 * it is indented (a new paragraph, 第X条 set in two ems) or far below. Centred titles and short
 * last lines end their paragraph. A line that is only a page number (`— 2 —`) is dropped under
 * `page-number`. Returns the number of characters written.
 */
export function writeOcrLines(b: TextBuilder, lines: readonly OcrLine[]): number {
  const body = lines.filter((l) => !isPageNumber(l.text));
  for (const l of lines) if (isPageNumber(l.text)) b.drop('page-number', [...l.text].length);
  if (body.length === 0) return 0;
  const height = median(body.map((l) => l.bottom - l.top));
  const left = Math.min(...body.map((l) => l.left));
  const right = Math.max(...body.map((l) => l.right));
  let written = 0;
  let prev: OcrLine | undefined;
  for (const line of body) {
    if (prev) {
      const full = right - prev.right < height * 1.5;
      const indented = line.left - left > height * 0.9;
      const near = line.top - prev.bottom < height * 1.5;
      if (full && near && !indented) b.add(joiner(prev.text, line.text));
      else b.endLine(true);
    }
    b.add(line.text);
    written += [...line.text].length;
    prev = line;
  }
  b.endLine(true);
  return written;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}
