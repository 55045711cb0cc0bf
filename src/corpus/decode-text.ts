/**
 * Bytes -> string for text formats (.txt, .md, .html). Chinese files in the wild are UTF-8,
 * UTF-8 with BOM, GBK/GB2312 (saved by older Windows tools, as GB18030's subsets) or UTF-16 with
 * BOM (Notepad's "Unicode"). Order: BOM, then valid UTF-8, then a declared charset (HTML meta),
 * then GB18030 when the bytes look like GB text, then Big5 when jschardet is sure of it.
 */
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import jschardet from 'jschardet';

export interface DecodedText {
  text: string;
  /** The encoding used, in iconv-lite's spelling: `utf-8`, `utf-16le`, `gb18030`, `big5` … */
  encoding: string;
}

export interface DecodeOptions {
  /** A charset the container declares (HTML `<meta charset>`); used when bytes are not UTF-8. */
  declared?: string;
}

/** Why the bytes cannot be decoded as text: binary content or an unknown encoding. */
export class UndecodableError extends Error {
  override readonly name = 'UndecodableError';
}

// Share of U+FFFD / control characters above which a decoding is judged wrong; real text has
// none, so 2% leaves room for a few damaged bytes without accepting binary data.
const MAX_BAD_SHARE = 0.02;
// jschardet confidence needed to accept its Big5 guess. Measured: 0.36-0.48 on a few sentences
// of real Big5 text; on random high bytes it names an unrelated code page at ~0.03.
const MIN_DETECT_CONFIDENCE = 0.25;

/**
 * Decodes `buf`, stripping any BOM. Throws `UndecodableError` for binary data (NUL bytes outside
 * UTF-16, or mostly invalid sequences) and for encodings it cannot identify.
 */
export function decodeText(buf: Buffer, options: DecodeOptions = {}): DecodedText {
  const bom = bomEncoding(buf);
  if (bom) return checked(buf.subarray(bom.length), bom.encoding);
  if (buf.includes(0)) throw new UndecodableError('binary content (NUL bytes)');
  if (isUtf8(buf)) return checked(buf, 'utf-8');

  const declared = options.declared && canonicalCharset(options.declared);
  if (declared && declared !== 'utf-8') return checked(buf, declared);
  if (looksLikeGb(buf)) return checked(buf, 'gb18030');

  const guess = jschardet.detect(buf);
  const guessed = guess.encoding ? canonicalCharset(guess.encoding) : undefined;
  if (guessed === 'big5' && guess.confidence >= MIN_DETECT_CONFIDENCE) return checked(buf, 'big5');
  throw new UndecodableError('binary content or unknown text encoding (save as UTF-8)');
}

function bomEncoding(buf: Buffer): { encoding: string; length: number } | undefined {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (buf[0] === 0xff && buf[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

/** iconv-lite's name for a declared charset, GB2312/GBK widened to GB18030; undefined if unknown. */
export function canonicalCharset(name: string): string | undefined {
  const n = name.trim().toLowerCase().replace(/^["']|["']$/g, '');
  if (/^(gb2312|gbk|gb18030|x-gbk|cp936|windows-936|euc-cn|hz-gb-2312)$/.test(n)) return 'gb18030';
  if (/^(utf-?8|unicode-1-1-utf-8)$/.test(n)) return 'utf-8';
  if (/^(big5|big5-hkscs|cp950|x-x-big5)$/.test(n)) return 'big5';
  return iconv.encodingExists(n) ? n : undefined;
}

function checked(bytes: Buffer, encoding: string): DecodedText {
  const text = iconv.decode(bytes, encoding, { stripBOM: true });
  if (text.length > 0 && badShare(text) > MAX_BAD_SHARE) {
    throw new UndecodableError(`binary content (mostly invalid ${encoding})`);
  }
  return { text, encoding };
}

function badShare(text: string): number {
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd || c === 0 || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c)) bad++;
  }
  return bad / text.length;
}

/**
 * True when the non-ASCII bytes parse as GB18030 and mostly fall in GB2312's hanzi and
 * punctuation rows (A1-F7 x A1-FE). Real GBK prose scores ~99% there; random bytes ~50%, and
 * Latin-1 accents are rejected because they rarely form valid pairs at all.
 */
function looksLikeGb(buf: Buffer): boolean {
  let pairs = 0;
  let common = 0;
  let invalid = 0;
  for (let i = 0; i < buf.length; ) {
    const b = buf[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    const b2 = buf[i + 1];
    if (b >= 0x81 && b <= 0xfe && b2 !== undefined) {
      if (b2 >= 0x40 && b2 <= 0xfe && b2 !== 0x7f) {
        pairs++;
        if (b >= 0xa1 && b <= 0xf7 && b2 >= 0xa1) common++;
        i += 2;
        continue;
      }
      // GB18030 four-byte sequence: lead, digit, lead, digit.
      const b3 = buf[i + 2];
      const b4 = buf[i + 3];
      if (b2 >= 0x30 && b2 <= 0x39 && b3 !== undefined && b3 >= 0x81 && b3 <= 0xfe && b4 !== undefined && b4 >= 0x30 && b4 <= 0x39) {
        pairs++;
        i += 4;
        continue;
      }
    }
    invalid++;
    i += 1;
  }
  if (pairs === 0) return false;
  return invalid <= pairs * 0.02 && common >= pairs * 0.8;
}
