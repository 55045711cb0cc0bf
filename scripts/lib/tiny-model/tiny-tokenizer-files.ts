/**
 * tokenizer.json and tokenizer_config.json for the tiny model, in the layout Hugging Face
 * `tokenizers` writes for bert-base-chinese (BertNormalizer, BertPreTokenizer, WordPiece,
 * TemplateProcessing `[CLS] $A [SEP]`), so transformers.js reads them as it reads bge-small-zh.
 */
import { SPECIAL_TOKENS } from './tiny-vocab.ts';

export const MODEL_MAX_LENGTH = 512;

export function buildTokenizerJson(vocab: readonly string[]): object {
  const ids: Record<string, number> = {};
  vocab.forEach((t, i) => (ids[t] = i));
  const id = (t: string) => {
    const v = ids[t];
    if (v === undefined) throw new Error(`tiny model: vocabulary lacks ${t}`);
    return v;
  };
  const special = (content: string) => ({
    id: id(content),
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const specialToken = (t: string, typeId: number) => ({ SpecialToken: { id: t, type_id: typeId } });
  const sequence = (s: 'A' | 'B', typeId: number) => ({ Sequence: { id: s, type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map(special),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [specialToken('[CLS]', 0), sequence('A', 0), specialToken('[SEP]', 0)],
      pair: [specialToken('[CLS]', 0), sequence('A', 0), specialToken('[SEP]', 0), sequence('B', 1), specialToken('[SEP]', 1)],
      special_tokens: Object.fromEntries(
        ['[CLS]', '[SEP]'].map((t) => [t, { id: t, ids: [id(t)], tokens: [t] }]),
      ),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: ids,
    },
  };
}

export function buildTokenizerConfig(): object {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    tokenize_chinese_chars: true,
    strip_accents: null,
    model_max_length: MODEL_MAX_LENGTH,
    clean_up_tokenization_spaces: true,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  };
}
