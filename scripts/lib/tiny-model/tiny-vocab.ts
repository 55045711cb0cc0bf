/**
 * The WordPiece vocabulary of the tiny test model: BERT's special tokens, ASCII, common Chinese
 * punctuation and a whole CJK codepoint range. BertNormalizer (handle_chinese_chars) puts spaces
 * around every CJK character, so each one is a word of its own and needs no `##` form; ASCII
 * words are spelled letter by letter through the `##` continuations.
 */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

/** CJK Unified Ideographs, the block that holds every common simplified and traditional hanzi. */
export const DEFAULT_CJK_RANGE: readonly [number, number] = [0x4e00, 0x9fff];

function range(from: number, to: number): string[] {
  const out: string[] = [];
  for (let c = from; c <= to; c++) out.push(String.fromCodePoint(c));
  return out;
}

export function buildTinyVocab(cjkRange: readonly [number, number] = DEFAULT_CJK_RANGE): string[] {
  // Lowercase only: the normalizer lowercases before lookup.
  const ascii = range(0x21, 0x7e).filter((c) => !/[A-Z]/.test(c));
  const continuations = ascii.filter((c) => /[a-z0-9]/.test(c)).map((c) => `##${c}`);
  const punctuation = [
    ...range(0x2010, 0x2027), // dashes, quotes, ellipsis, middle dot
    ...range(0x3001, 0x303f), // 、。〈〉《》「」【】〔〕 …
    ...range(0xff01, 0xff5e), // fullwidth ！（），：；？ and letters
  ];
  const cjk = range(cjkRange[0], cjkRange[1]);
  return [...new Set([...SPECIAL_TOKENS, ...ascii, ...continuations, ...punctuation, ...cjk])];
}
