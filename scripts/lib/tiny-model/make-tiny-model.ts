/**
 * Writes a tiny BERT-compatible model folder that transformers.js loads offline like any hub
 * model: config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx and
 * onnx/model_quantized.onnx. Used by tests (a real ONNX model through the real adapter) and by
 * `scripts/make-tiny-model.ts`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildTinyBertOnnx } from './tiny-bert-graph.ts';
import { buildTokenizerConfig, buildTokenizerJson, MODEL_MAX_LENGTH } from './tiny-tokenizer-files.ts';
import { buildTinyVocab, DEFAULT_CJK_RANGE } from './tiny-vocab.ts';

export interface TinyModelOptions {
  /** Vector width. Default 32: small, yet wide enough that random texts rarely collide. */
  hiddenSize?: number;
  /** PRNG seed of the weights. Default 20240701. */
  seed?: number;
  /** Inclusive codepoint range of CJK characters in the vocabulary. Default U+4E00..U+9FFF. */
  cjkRange?: readonly [number, number];
}

/** Bumped whenever the generated files change, so cached copies are regenerated. */
export const TINY_MODEL_VERSION = 1;

export interface TinyModelInfo {
  dir: string;
  version: number;
  seed: number;
  hiddenSize: number;
  vocabSize: number;
}

export async function makeTinyModel(dir: string, options: TinyModelOptions = {}): Promise<TinyModelInfo> {
  const hiddenSize = options.hiddenSize ?? 32;
  const seed = options.seed ?? 20240701;
  const vocab = buildTinyVocab(options.cjkRange ?? DEFAULT_CJK_RANGE);
  const onnx = buildTinyBertOnnx({ vocabSize: vocab.length, hiddenSize, seed });

  const config = {
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: hiddenSize,
    num_hidden_layers: 1,
    num_attention_heads: 1,
    intermediate_size: hiddenSize * 2,
    hidden_act: 'gelu',
    max_position_embeddings: MODEL_MAX_LENGTH,
    type_vocab_size: 2,
    vocab_size: vocab.length,
    pad_token_id: 0,
    layer_norm_eps: 1e-12,
  };

  await mkdir(path.join(dir, 'onnx'), { recursive: true });
  const json = (v: object) => JSON.stringify(v, null, 2) + '\n';
  await writeFile(path.join(dir, 'config.json'), json(config));
  await writeFile(path.join(dir, 'tokenizer.json'), JSON.stringify(buildTokenizerJson(vocab)));
  await writeFile(path.join(dir, 'tokenizer_config.json'), json(buildTokenizerConfig()));
  await writeFile(path.join(dir, 'onnx', 'model.onnx'), onnx);
  // dtype q8 (the project default) loads model_quantized.onnx; the tiny model has nothing worth
  // quantizing, so it is the same fp32 graph under the q8 name.
  await writeFile(path.join(dir, 'onnx', 'model_quantized.onnx'), onnx);
  const info: TinyModelInfo = { dir, version: TINY_MODEL_VERSION, seed, hiddenSize, vocabSize: vocab.length };
  // Written last: its presence means the folder is complete.
  await writeFile(path.join(dir, 'tiny-model.json'), json({ ...info, dir: undefined }));
  return info;
}
