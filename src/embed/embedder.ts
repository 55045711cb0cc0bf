/**
 * The embedding port. answer/ and index/ see only this interface; the transformers.js and
 * OpenAI-compatible adapters live beside it and are loaded lazily (STYLE habit 5).
 */
export interface Embedder {
  /** Identifies the model in the manifest, e.g. `Xenova/bge-small-zh-v1.5@q8/cls`. */
  readonly id: string;
  /** Vector width; known after the first call or from the model config. */
  dimension(): Promise<number>;
  /** Embeds passages (no prefix). Vectors are L2-normalized. `onProgress(done,total)`. */
  embedPassages(texts: string[], onProgress?: (done: number, total: number) => void): Promise<Float32Array[]>;
  /** Embeds one query, with the model's query prefix. L2-normalized. */
  embedQuery(text: string): Promise<Float32Array>;
  close?(): Promise<void>;
}
