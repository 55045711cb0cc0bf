/**
 * The Embedder port over transformers.js (ONNX Runtime in-process). The library is heavy, so it
 * is loaded by one lazy `import()` on first use (STYLE habit 5): tests and lexical-only runs
 * never load it.
 *
 * Where the model comes from, in order:
 *  1. `model` is a folder path (absolute or `./`/`../`): that folder, never the network.
 *  2. `model` is a hub id and `<cacheDir>/<id>` holds config.json and the dtype's ONNX file
 *     (what `npm run model:download` leaves, or a `models/` folder copied to an intranet host):
 *     that folder, never the network.
 *  3. Otherwise the hub (or the HF_ENDPOINT mirror) when remote loading is allowed, caching into
 *     `cacheDir` in the same `<id>/…` layout.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FeatureExtractionPipeline } from '@huggingface/transformers';
import type { Config } from '../config.ts';
import { describeError, EmbeddingError, TongxinError } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import type { Embedder } from './embedder.ts';
import { l2Normalize } from './l2-normalize.ts';

export type EmbeddingDtype = Config['embedding']['dtype'];

export interface TransformersEmbedderOptions {
  /** Hub id (`Xenova/bge-small-zh-v1.5`) or a model folder (absolute, `./` or `../`). */
  model: string;
  /** ONNX weight precision. Default `q8` (onnx/model_quantized.onnx). */
  dtype?: EmbeddingDtype;
  /** `cls` for bge (its model card), `mean` for most sentence-transformers. Default `cls`. */
  pooling?: 'cls' | 'mean';
  /** Prepended to queries only. Default none. */
  queryPrefix?: string;
  /** Texts per forward pass. Default 16. */
  batchSize?: number;
  /** Download cache and copy target (`models/`). Default: transformers.js's own `.cache`. */
  cacheDir?: string;
  /** False never touches the network (intranet hosts). Default true. */
  allowRemote?: boolean;
  /** A Hugging Face mirror such as https://hf-mirror.com (same `{model}/resolve/{rev}/` paths). */
  hfEndpoint?: string;
  /**
   * Longest wait for a download's response headers. Default 10000: where a firewall drops
   * packets instead of refusing them, the runtime's own limits would wait minutes.
   */
  connectTimeoutMs?: number;
  /** File download progress while loading, for `model:download`. */
  onLoadProgress?: (p: { file: string; loaded: number; total: number }) => void;
  logger?: Logger;
}

/** File suffix of each dtype, as transformers.js names them (src/utils/dtypes.js). */
const DTYPE_SUFFIX: Record<EmbeddingDtype, string> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  bnb4: '_bnb4',
  q4f16: '_q4f16',
};

/** The ONNX file a model folder needs for `dtype`. */
export function onnxFileFor(dtype: EmbeddingDtype): string {
  return `onnx/model${DTYPE_SUFFIX[dtype]}.onnx`;
}

function isFolderPath(model: string): boolean {
  return path.isAbsolute(model) || /^\.\.?([/\\]|$)/.test(model);
}

/** True when `dir` holds what loading `dtype` needs without the network. */
export function isCompleteModelFolder(dir: string, dtype: EmbeddingDtype): boolean {
  return ['config.json', 'tokenizer.json', onnxFileFor(dtype)].every((f) => existsSync(path.join(dir, f)));
}

type Transformers = typeof import('@huggingface/transformers');

export class TransformersEmbedder implements Embedder {
  readonly id: string;
  private readonly opts: Required<Omit<TransformersEmbedderOptions, 'cacheDir' | 'hfEndpoint' | 'onLoadProgress'>> &
    Pick<TransformersEmbedderOptions, 'cacheDir' | 'hfEndpoint' | 'onLoadProgress'>;
  private loading: Promise<FeatureExtractionPipeline> | undefined;
  private dim: number | undefined;

  constructor(options: TransformersEmbedderOptions) {
    this.opts = {
      dtype: 'q8',
      pooling: 'cls',
      queryPrefix: '',
      batchSize: 16,
      allowRemote: true,
      connectTimeoutMs: 10_000,
      logger: silentLogger,
      ...options,
    };
    if (!Number.isInteger(this.opts.batchSize) || this.opts.batchSize < 1) {
      throw new TongxinError('BAD_INPUT', `TransformersEmbedder: batchSize ${this.opts.batchSize} must be a positive integer`);
    }
    this.id = `${this.opts.model}@${this.opts.dtype}/${this.opts.pooling}`;
  }

  async dimension(): Promise<number> {
    if (this.dim === undefined) {
      const extractor = await this.load();
      const hidden = (extractor.model.config as { hidden_size?: unknown }).hidden_size;
      this.dim = typeof hidden === 'number' ? hidden : (await this.run(['维度']))[0]!.length;
    }
    return this.dim;
  }

  async embedPassages(texts: string[], onProgress?: (done: number, total: number) => void): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.opts.batchSize) {
      out.push(...(await this.run(texts.slice(i, i + this.opts.batchSize))));
      onProgress?.(out.length, texts.length);
    }
    return out;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return (await this.run([this.opts.queryPrefix + text]))[0]!;
  }

  async close(): Promise<void> {
    const loading = this.loading;
    this.loading = undefined;
    // A failed load was already thrown to whoever triggered it; there is nothing to dispose.
    const extractor = await loading?.catch(() => undefined);
    if (!extractor) return;
    await extractor.dispose();
    // Pairs with "embedding model loaded": a model loaded twice and never unloaded shows in the log.
    this.opts.logger.debug('embedding model unloaded', { model: this.opts.model });
  }

  private async run(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const extractor = await this.load();
    let data: ArrayLike<number>;
    let dims: number[];
    try {
      const output = await extractor(texts, { pooling: this.opts.pooling, normalize: true });
      data = output.data as ArrayLike<number>;
      dims = output.dims;
    } catch (cause) {
      throw new EmbeddingError('EMBEDDING_FAILED', `${this.id} failed on ${texts.length} texts: ${describeError(cause)}`, { cause });
    }
    const width = dims[dims.length - 1] ?? 0;
    if (dims.length !== 2 || dims[0] !== texts.length || width === 0) {
      throw new EmbeddingError('EMBEDDING_FAILED', `${this.id} returned shape [${dims.join(', ')}] for ${texts.length} texts`);
    }
    this.dim ??= width;
    return texts.map((_, i) => l2Normalize(Float32Array.from({ length: width }, (_v, j) => data[i * width + j]!)));
  }

  /** Loads once; a failure is kept, so later calls fail at once instead of retrying the network. */
  private load(): Promise<FeatureExtractionPipeline> {
    this.loading ??= this.loadPipeline();
    return this.loading;
  }

  private async loadPipeline(): Promise<FeatureExtractionPipeline> {
    const { model, dtype, cacheDir, allowRemote, logger } = this.opts;
    const started = performance.now();
    let source: string;
    let remote: boolean;
    if (isFolderPath(model)) {
      source = path.resolve(model);
      remote = false;
      if (!isCompleteModelFolder(source, dtype)) {
        throw this.unavailable(
          `model folder ${source} lacks config.json, tokenizer.json or ${onnxFileFor(dtype)}; check EMBEDDING_MODEL and EMBEDDING_DTYPE`,
        );
      }
    } else if (cacheDir && isCompleteModelFolder(path.join(cacheDir, model), dtype)) {
      source = path.join(cacheDir, model);
      remote = false;
    } else if (!allowRemote) {
      throw this.unavailable(
        `model ${model} (${onnxFileFor(dtype)}) is not in ${cacheDir ?? 'the cache'} and ALLOW_REMOTE_MODELS is off. ` +
          'Run `npm run model:download` on a machine with internet access and copy its models/ folder here, ' +
          'or set EMBEDDING_MODEL to a model folder',
      );
    } else {
      source = model;
      remote = true;
    }

    let transformers: Transformers;
    try {
      transformers = await import('@huggingface/transformers');
    } catch (cause) {
      throw this.unavailable(`cannot load @huggingface/transformers: ${describeError(cause)}`, cause);
    }
    this.configure(transformers, remote);
    logger.info('loading embedding model', { model, dtype, from: remote ? this.opts.hfEndpoint ?? 'huggingface.co' : source });
    try {
      const extractor = await transformers.pipeline('feature-extraction', source, {
        dtype,
        device: 'cpu',
        progress_callback: (p: { status: string; file?: string; loaded?: number; total?: number }) => {
          if (p.status === 'progress' && p.file) {
            this.opts.onLoadProgress?.({ file: p.file, loaded: p.loaded ?? 0, total: p.total ?? 0 });
          }
        },
      });
      logger.info('embedding model loaded', { model, ms: Math.round(performance.now() - started) });
      return extractor;
    } catch (cause) {
      const where = remote
        ? `could not be downloaded from ${this.opts.hfEndpoint ?? 'huggingface.co'} (${describeChain(cause)}). ` +
          'Without internet access: run `npm run model:download` elsewhere and copy models/ here, ' +
          'set HF_ENDPOINT to a reachable mirror (e.g. https://hf-mirror.com), or set EMBEDDING_PROVIDER=none for lexical search only'
        : `could not be loaded from ${source} (${describeError(cause)}); the folder may be incomplete: download it again`;
      throw this.unavailable(`model ${model} ${where}`, cause);
    }
  }

  /** transformers.js keeps its settings in one global `env`; set all of them before each load. */
  private configure(t: Transformers, remote: boolean): void {
    const { env } = t;
    env.allowLocalModels = true;
    env.allowRemoteModels = remote;
    if (this.opts.cacheDir) env.cacheDir = this.opts.cacheDir;
    env.remoteHost = (this.opts.hfEndpoint ?? 'https://huggingface.co').replace(/\/*$/, '/');
    env.fetch = timeoutFetch(this.opts.connectTimeoutMs);
  }

  private unavailable(message: string, cause?: unknown): EmbeddingError {
    return new EmbeddingError('EMBEDDING_UNAVAILABLE', `embedding model unavailable: ${message}`, { cause });
  }
}

/** fetch's own message is just "fetch failed"; the reason (ENOTFOUND, ECONNREFUSED …) is in its causes. */
function describeChain(err: unknown): string {
  const parts: string[] = [];
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    const text = describeError(e);
    if (!parts.includes(text)) parts.push(text);
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(': ');
}

/** fetch that gives up when no response headers arrive in `ms`; the body may then take its time. */
function timeoutFetch(ms: number): typeof fetch {
  return async (input, init) => {
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error(`no response from ${String(input)} within ${ms} ms`)),
      ms,
    );
    try {
      return await fetch(input, { ...init, signal: controller.signal });
    } finally {
      clearTimeout(timer);
    }
  };
}
