/**
 * PaddleOCR (PP-OCRv4 Chinese detection and recognition, ONNX) through `@gutenye/ocr-node`. Only
 * `ocr-reader.ts` imports this file, lazily.
 */
import Ocr from '@gutenye/ocr-node';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { UnreadableImageError, type OcrLine, type OcrReader } from './ocr-reader.ts';

// The detector runs at the image's own size (ocr-common's Detection has no size cap), so a 12 MP
// phone photo would take several GB. A4 at 200 dpi is 1654 × 2339; 2400 px on the long side keeps
// that whole and brings larger photos down to it.
const MAX_SIDE = 2400;

// libvips' messages for an image it cannot decode (pngload_buffer: end of stream, jpegload_buffer:
// …, VipsJpeg: …, Input buffer contains unsupported image format).
const VIPS_DECODE_ERROR = /\b\w+load_buffer\b|^Vips\w*:|unsupported image format/u;

export async function createPaddleOcr(): Promise<OcrReader> {
  // ocr-node types create() as any; this is the part of its Ocr (ocr-common/build/Ocr.d.ts) used.
  const ocr: { detect(image: Buffer): Promise<Array<{ text: string; box?: number[][] }>> } = await Ocr.create();
  // One image at a time: parallel pages would multiply the peak memory for no gain on 2 cores.
  let queue: Promise<unknown> = Promise.resolve();
  const readImage = async (image: Uint8Array): Promise<OcrLine[]> => {
    const input = await fitted(image);
    const lines = await ocr.detect(input).catch((err: unknown) => {
      // @napi-rs/canvas reads only the header of an image it is not asked to scale, so a file
      // cut short reaches ocr-node, whose sharp (libvips) fails the decode: the file's fault.
      const message = String((err as Error)?.message ?? err);
      if (VIPS_DECODE_ERROR.test(message)) throw new UnreadableImageError(`OCR: cannot decode the image (${message})`, { cause: err });
      throw err;
    });
    const out: OcrLine[] = [];
    for (const l of lines) {
      const text = l.text.trim();
      if (text === '' || !l.box) continue;
      const xs = l.box.map((p) => p[0] ?? 0);
      const ys = l.box.map((p) => p[1] ?? 0);
      out.push({ text, left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys) });
    }
    // ocr-common already groups boxes into lines sorted by their first box's top; sort again by
    // the whole line's top so a tall first box cannot put its line out of order.
    return out.sort((a, b) => a.top - b.top || a.left - b.left);
  };
  return {
    readImage: (image) => {
      const run = queue.then(() => readImage(image));
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

/** The image itself, or a PNG scaled down to MAX_SIDE when it is larger. */
async function fitted(image: Uint8Array): Promise<Buffer> {
  const buf = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
  const img = await loadImage(buf).catch((err: unknown) => {
    throw new UnreadableImageError(`OCR: cannot decode the image (${String((err as Error)?.message ?? err)})`, { cause: err });
  });
  const scale = MAX_SIDE / Math.max(img.width, img.height);
  if (scale >= 1) return buf;
  const canvas = createCanvas(Math.round(img.width * scale), Math.round(img.height * scale));
  canvas.getContext('2d').drawImage(img, 0, 0, canvas.width, canvas.height);
  return canvas.toBuffer('image/png');
}
