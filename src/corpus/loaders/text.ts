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

// A text saved from a web page ends with the site's furniture: correction links, related
// headlines, navigation, copyright and ICP numbers (十九大报告_全文.txt ends with 100 such lines).
const FURNITURE_START = /^(【我要纠错】|责任编辑[:：]|扫一扫在手机打开|相关(稿件|新闻|阅读|链接)$|版权所有|网站地图|关于我们|回到\s*顶部)/u;
/** Furniture is short lines; a line this long, or one ending a sentence, is body text. */
const FURNITURE_LINE_MAX = 60;

/**
 * `.txt`: decoded, normalized; a title-like first line is recorded as a level-1 heading; a web
 * page's trailing furniture is dropped (rule `site-furniture`) when everything from its first
 * marker on is short lines in the last half of the file.
 */
export const loadText: Loader = async (bytes, path): Promise<Extracted> => {
  const all = normalizeText(decodeFile(bytes, path)).split('\n');
  const cut = furnitureStart(all);
  const lines = all.slice(0, cut);
  const first = lines[0] ?? '';
  const b = new TextBuilder();
  b.drop('site-furniture', all.slice(cut).join('').replace(/\s/gu, '').length);
  if (lines.length > 1 && [...first].length <= MAX_TITLE_CHARS && !SENTENCE_END.test(first)) {
    b.heading(1, first);
    lines.shift();
  }
  return b.addLines(lines.join('\n')).build();
};

/** Index of the first line of trailing site furniture, or lines.length when there is none. */
function furnitureStart(lines: readonly string[]): number {
  const half = Math.floor(lines.length / 2);
  for (let i = half; i < lines.length; i++) {
    if (!FURNITURE_START.test(lines[i]!)) continue;
    const rest = lines.slice(i);
    if (rest.every((l) => [...l].length <= FURNITURE_LINE_MAX && !/[。！？]$/u.test(l))) return i;
  }
  return lines.length;
}
