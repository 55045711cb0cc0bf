/**
 * The Embedder port over an OpenAI-compatible `/embeddings` endpoint (OpenAI, Qwen/DashScope,
 * SiliconFlow, Ollama, vLLM …) through the `openai` SDK. Vectors are L2-normalized here, since
 * not every server does. The API key goes to the SDK only and is never logged.
 */
import OpenAI from 'openai';
import { describeError, EmbeddingError, TongxinError } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { redactor } from '../redact.ts';
import type { Embedder } from './embedder.ts';
import { l2Normalize } from './l2-normalize.ts';

export interface OpenAIEmbedderOptions {
  /** Endpoint root, e.g. `https://api.openai.com/v1`; `/embeddings` is appended. */
  baseURL: string;
  /** Bearer key; local servers such as Ollama need none. */
  apiKey?: string;
  /** Model name the server knows, e.g. `text-embedding-v3`. */
  model: string;
  /** Per-request timeout in ms for passages (ingest). Default 30000. */
  timeoutMs?: number;
  /**
   * Timeout in ms for a question's embedding, with no retry: a resident is waiting, and the
   * lexical answer is there without it. Default 5000 (EMBEDDING_QUERY_TIMEOUT_MS).
   */
  queryTimeoutMs?: number;
  /** Texts per request. Default 16 (DashScope's text-embedding-v3 accepts at most 10: lower it there). */
  batchSize?: number;
  /** SDK retries on 408/429/5xx and connection errors, with backoff. Default 2. */
  maxRetries?: number;
  /** Prepended to queries only. Default none. */
  queryPrefix?: string;
  logger?: Logger;
}

/** The SDK refuses to start without a key; keyless local servers ignore this placeholder. */
const NO_KEY = 'no-key';

export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  private readonly client: OpenAI;
  private readonly model: string;
  private readonly batchSize: number;
  private readonly queryPrefix: string;
  private readonly queryTimeoutMs: number;
  private readonly logger: Logger;
  /** Servers may echo the key in error messages (OpenAI's 401 does); it is cut from ours. */
  private readonly redact: (text: string) => string;
  private dim: number | undefined;

  constructor(options: OpenAIEmbedderOptions) {
    this.model = options.model;
    this.batchSize = options.batchSize ?? 16;
    this.queryPrefix = options.queryPrefix ?? '';
    this.queryTimeoutMs = options.queryTimeoutMs ?? 5_000;
    this.logger = options.logger ?? silentLogger;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new TongxinError('BAD_INPUT', `OpenAIEmbedder: batchSize ${this.batchSize} must be a positive integer`);
    }
    this.id = `${options.model}@openai`;
    this.redact = redactor([options.apiKey]);
    this.client = new OpenAI({
      baseURL: options.baseURL,
      apiKey: options.apiKey ?? NO_KEY,
      timeout: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 2,
      // We log every failure ourselves; OPENAI_LOG must not turn on request dumps.
      logLevel: 'off',
    });
  }

  async dimension(): Promise<number> {
    this.dim ??= (await this.request(['维度']))[0]!.length;
    return this.dim;
  }

  async embedPassages(texts: string[], onProgress?: (done: number, total: number) => void): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      out.push(...(await this.request(texts.slice(i, i + this.batchSize))));
      onProgress?.(out.length, texts.length);
    }
    return out;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return (await this.request([this.queryPrefix + text], { timeout: this.queryTimeoutMs, maxRetries: 0 }))[0]!;
  }

  private async request(texts: string[], requestOptions?: { timeout: number; maxRetries: number }): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    let data: Array<{ index: number; embedding: unknown }>;
    try {
      // `float` explicitly: the SDK otherwise asks for base64, which several compatible servers ignore.
      const res = await this.client.embeddings.create({ model: this.model, input: texts, encoding_format: 'float' }, requestOptions);
      data = res.data;
    } catch (cause) {
      const status = cause instanceof OpenAI.APIError && cause.status ? ` (HTTP ${cause.status})` : '';
      const reason = this.redact(describeError(cause));
      this.logger.warn('embedding request failed', { model: this.model, texts: texts.length, error: reason });
      throw new EmbeddingError('EMBEDDING_FAILED', `${this.id} request failed${status}: ${reason}`, { cause });
    }
    if (!Array.isArray(data) || data.length !== texts.length) {
      throw new EmbeddingError(
        'EMBEDDING_FAILED',
        `${this.id} returned ${Array.isArray(data) ? data.length : 'no'} embeddings for ${texts.length} texts`,
      );
    }
    // The protocol allows any order; `index` says which input each vector belongs to.
    const vectors: Float32Array[] = new Array(texts.length);
    for (const item of data) {
      const v = item.embedding;
      if (!Number.isInteger(item.index) || item.index < 0 || item.index >= texts.length || vectors[item.index]) {
        throw new EmbeddingError('EMBEDDING_FAILED', `${this.id} returned a bad or repeated index ${item.index}`);
      }
      if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
        throw new EmbeddingError('EMBEDDING_FAILED', `${this.id} returned a malformed embedding at index ${item.index}`);
      }
      if ((this.dim ??= v.length) !== v.length) {
        throw new EmbeddingError('EMBEDDING_FAILED', `${this.id} returned ${v.length} dimensions, earlier ${this.dim}`);
      }
      vectors[item.index] = l2Normalize(Float32Array.from(v as number[]));
    }
    return vectors;
  }
}
