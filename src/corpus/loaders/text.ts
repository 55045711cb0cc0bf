import { LoadError } from '../../errors.ts';
import { decodeText, UndecodableError, type DecodeOptions } from '../decode-text.ts';
import { normalizeText } from '../normalize-text.ts';
import { TextBuilder } from '../text-builder.ts';
import type { Extracted, Loader } from './extracted.ts';

/** Decodes a text-format file, turning undecodable bytes into LoadError(path, reason). */
export function decodeFile(bytes: Buffer, path: string, options?: DecodeOptions): string {
  try {
    return decodeText(bytes, options).text;
  } catch (err) {
    if (err instanceof UndecodableError) throw new LoadError(path, err.message, { cause: err });
    throw err;
  }
}

// A first line this short, not ending in sentence punctuation, is the title of a plain-text
// notice (`关于……的通知`); 40 characters covers the long titles of government notices.
const MAX_TITLE_CHARS = 40;
const SENTENCE_END = /[。！？；，、：:;,.!?…）)]$/u;

/** `.txt`: decoded, normalized; a title-like first line is recorded as a level-1 heading. */
export const loadText: Loader = async (bytes, path): Promise<Extracted> => {
  const lines = normalizeText(decodeFile(bytes, path)).split('\n');
  const first = lines[0] ?? '';
  const b = new TextBuilder();
  if (lines.length > 1 && [...first].length <= MAX_TITLE_CHARS && !SENTENCE_END.test(first)) {
    b.heading(1, first);
    lines.shift();
  }
  return b.addLines(lines.join('\n')).build();
};
