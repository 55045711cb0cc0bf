import { LoadError } from '../../errors.ts';
import { writeOcrLines } from '../ocr/ocr-layout.ts';
import { UnreadableImageError } from '../ocr/ocr-reader.ts';
import { TextBuilder } from '../text-builder.ts';
import type { Loader } from './extracted.ts';

/**
 * `.jpg`, `.jpeg`, `.png`: a scanned page or a phone photo, read by OCR as page 1 and marked so
 * its citations say 扫描件识别. With OCR=off, or when OCR finds no text, the file is refused with
 * its reason rather than indexed empty.
 */
export const loadImage: Loader = async (bytes, path, context) => {
  const ocr = context?.ocr;
  if (!ocr) throw new LoadError(path, 'image needs OCR, which is off (OCR=off)');
  let lines;
  try {
    lines = await ocr.readImage(bytes);
  } catch (err) {
    // A decoding failure is the file's (truncated, not really an image); anything else, such as
    // models that would not load, is not, and ingest reports it as unexpected.
    if (err instanceof UnreadableImageError) throw new LoadError(path, 'corrupt image (cannot be decoded)', { cause: err });
    throw err;
  }
  context?.onOcrPage?.(1, 1);
  const b = new TextBuilder();
  b.mark({ page: 1, ocr: true });
  writeOcrLines(b, lines);
  const built = b.build();
  if (built.text === '') throw new LoadError(path, 'no text found (OCR read nothing in the image)');
  return built;
};
