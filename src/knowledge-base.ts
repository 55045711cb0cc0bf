/**
 * The composition root of the answering side: loads an index directory, wires the embedder
 * (for dense queries) and the chat model (when configured) into the channel-free Answerer, and
 * swaps in a new index generation when an ingest has replaced the manifest.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './config.ts';
import { Answerer, type ExplainedAnswer } from './answer/answerer.ts';
import { createLlmComposer } from './answer/llm-composer.ts';
import type { SearchBackend } from './answer/search-backend.ts';
import type { AskOptions, Asker, KnowledgeBaseStats, ReloadOptions } from './answer/types.ts';
import type { ChatModel } from './answer/chat-model.ts';
import { embedderFromConfig } from './embed/create-embedder.ts';
import type { Embedder } from './embed/embedder.ts';
import { EmbeddingError, IndexError } from './errors.ts';
import { silentLogger, type Logger } from './log.ts';
import { loadIndex, type LoadedIndex } from './index/load-index.ts';
import { MANIFEST_FILE, readManifest } from './index/manifest.ts';

export interface OpenKnowledgeBaseOptions {
  indexDir?: string;
  config: Config;
  logger?: Logger;
  /** `undefined`: from config, when the index has vectors; `null`: lexical only. */
  embedder?: Embedder | null;
  /** `undefined`: from config (OPENAI_*); `null`: extractive only. */
  chatModel?: ChatModel | null;
  /** After a question could not be embedded, dense search pauses this long. Default 30000. */
  densePauseMs?: number;
}

/**
 * While an embeddings endpoint is down, every question would otherwise wait out its query timeout
 * (EMBEDDING_QUERY_TIMEOUT_MS, 5 s) before the lexical answer, one after another in each room's
 * queue. After one failure, questions go lexical at once for this long, then try again.
 */
const DENSE_PAUSE_MS = 30_000;

export class KnowledgeBase implements Asker {
  private current: { index: LoadedIndex; backend: SearchBackend };
  private readonly answerer: Answerer;
  private reloading: Promise<boolean> | null = null;
  /** Until when (ms since the epoch) questions skip dense search after a failed embedding. */
  private denseResumeAt = 0;
  /** The manifest file as the last reload saw it, and that reload's failure if it failed. */
  private lastLook: { stamp: string | undefined; failure?: unknown } | null = null;

  private constructor(
    private readonly indexDir: string,
    index: LoadedIndex,
    private readonly embedder: Embedder | null,
    chatModel: ChatModel | null,
    config: Config,
    private readonly logger: Logger,
    private readonly densePauseMs: number = DENSE_PAUSE_MS,
  ) {
    this.current = { index, backend: this.backendFor(index) };
    this.answerer = new Answerer(() => this.current.backend, {
      topK: config.retrieval.topK,
      maxQuestionChars: config.retrieval.maxQuestionChars,
      denseMinSimilarity: config.retrieval.denseMinSimilarity,
      llm: chatModel ? createLlmComposer(chatModel, { logger }) : null,
      logger,
    });
    this.answerer.warmUp();
  }

  static async open(options: OpenKnowledgeBaseOptions): Promise<KnowledgeBase> {
    const config = options.config;
    const logger = options.logger ?? silentLogger;
    const indexDir = options.indexDir ?? config.indexDir;
    const manifest = await readManifest(indexDir);
    if (!manifest) throw new IndexError('INDEX_MISSING', `no knowledge base in ${indexDir}; build it with: npm run ingest`);

    let embedder: Embedder | null = null;
    if (manifest.embedding) {
      embedder = options.embedder === undefined ? await embedderFromConfig(config, logger) : options.embedder;
      if (embedder && embedder.id !== manifest.embedding.id) {
        throw new IndexError(
          'INDEX_INCOMPATIBLE',
          `${indexDir} was built with the embedding model ${manifest.embedding.id}, but ${embedder.id} is configured; ` +
            `rebuild with: npm run ingest -- --rebuild (or set EMBEDDING_MODEL back)`,
        );
      }
      if (embedder) embedder = await usable(embedder, logger);
    }
    const chatModel = options.chatModel === undefined ? await chatModelFromConfig(config, logger) : options.chatModel;
    // The manifest checked above, not a fresh read: an ingest may have replaced it meanwhile.
    const index = await loadIndex(indexDir, { withVectors: Boolean(embedder), manifest });
    logger.info('knowledge base loaded', {
      documents: index.manifest.documents.length,
      passages: index.passages.length,
      dense: Boolean(index.vectors),
      llm: chatModel?.id ?? null,
    });
    return new KnowledgeBase(indexDir, index, embedder, chatModel, config, logger, options.densePauseMs);
  }

  ask(question: string, options?: AskOptions): Promise<ExplainedAnswer> {
    return this.answerer.ask(question, options);
  }

  stats(): KnowledgeBaseStats {
    const m = this.current.index.manifest;
    return {
      documents: m.documents.length,
      passages: m.passages,
      dense: Boolean(this.current.index.vectors),
      embeddingModel: this.current.index.vectors ? (m.embedding?.id ?? null) : null,
      builtAt: m.builtAt,
      generation: m.generation,
    };
  }

  /**
   * Swaps in a newer generation if the manifest names one. Throws (keeping the old) on failure.
   * A manifest file unchanged since the last call is not read again: the call returns false, or
   * rethrows the same error when that call failed, so a damaged generation is tried once and
   * again only when an ingest (or anyone) replaces the manifest, or a caller passes `force`.
   */
  reload(options: ReloadOptions = {}): Promise<boolean> {
    const inFlight = this.reloading;
    // Concurrent callers share one reload, but a forced one must not take the answer of a poll
    // that only rethrew the remembered failure: it waits that one out and looks again.
    if (inFlight && !options.force) return inFlight;
    const force = Boolean(options.force);
    const run = inFlight
      ? inFlight.catch(() => false).then(() => this.reloadIfChanged(force)) // its own callers hear how it went
      : this.reloadIfChanged(force);
    const shared: Promise<boolean> = run.finally(() => {
      if (this.reloading === shared) this.reloading = null;
    });
    this.reloading = shared;
    return shared;
  }

  /**
   * A stat before anything else: bots poll every 2 s, and at 20,000 documents the manifest is
   * ~6 MB (~9 ms to parse) and a damaged generation ~350 ms to fail loading, every poll.
   */
  private async reloadIfChanged(force: boolean): Promise<boolean> {
    // Taken before the manifest is read, so a manifest replaced meanwhile is looked at next time.
    const stamp = await manifestStamp(this.indexDir);
    const last = this.lastLook;
    if (!force && stamp !== undefined && last?.stamp === stamp) {
      if ('failure' in last) throw last.failure;
      return false;
    }
    try {
      const swapped = await this.doReload();
      this.lastLook = { stamp };
      return swapped;
    } catch (err) {
      this.lastLook = { stamp, failure: err };
      throw err;
    }
  }

  private async doReload(): Promise<boolean> {
    const manifest = await readManifest(this.indexDir);
    if (!manifest || manifest.generation === this.current.index.manifest.generation) return false;
    if (manifest.embedding && this.embedder && manifest.embedding.id !== this.embedder.id) {
      throw new IndexError('INDEX_INCOMPATIBLE', `the new index was built with ${manifest.embedding.id}, this process uses ${this.embedder.id}; restart it`);
    }
    const index = await loadIndex(this.indexDir, { withVectors: Boolean(this.embedder), manifest });
    // One assignment: a question in flight keeps the backend it started with.
    this.current = { index, backend: this.backendFor(index) };
    this.logger.info('knowledge base reloaded', { generation: index.manifest.generation, passages: index.passages.length });
    return true;
  }

  async close(): Promise<void> {
    await this.embedder?.close?.();
  }

  private backendFor(index: LoadedIndex): SearchBackend {
    const { lexical, vectors, passages, parts } = index;
    const embedder = this.embedder ?? null;
    return {
      passages,
      partOf: (id) => parts[id] ?? { part: 1, parts: 1 },
      lexicalSearch: (tokens, k) => lexical.search(tokens, k),
      idf: (t) => lexical.idf(t),
      denseSearch:
        vectors && embedder
          ? async (question, k) => {
              if (Date.now() < this.denseResumeAt) return null;
              try {
                return vectors.search(await embedder.embedQuery(question), k);
              } catch (err) {
                this.denseResumeAt = Date.now() + this.densePauseMs;
                this.logger.warn('dense search paused after a failed query embedding', { pauseMs: this.densePauseMs });
                throw err;
              }
            }
          : undefined,
    };
  }
}

/**
 * Identifies one version of the manifest file: an ingest renames a new file into place (a new
 * inode), and an edit in place changes the size or the modification time. `undefined` when it
 * cannot be told (the stat failed), so the manifest is read and any error reported as usual.
 */
async function manifestStamp(indexDir: string): Promise<string | undefined> {
  try {
    const s = await stat(path.join(indexDir, MANIFEST_FILE), { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : undefined;
  }
}

export function openKnowledgeBase(options: OpenKnowledgeBaseOptions): Promise<KnowledgeBase> {
  return KnowledgeBase.open(options);
}

/** A model that cannot be loaded now (offline) means lexical answers, with one warning. */
async function usable(embedder: Embedder, logger: Logger): Promise<Embedder | null> {
  try {
    await embedder.dimension();
    return embedder;
  } catch (err) {
    if (err instanceof EmbeddingError) {
      logger.warn(`embedding model unavailable, answering from the lexical index only: ${err.message}`);
      return null;
    }
    throw err;
  }
}

async function chatModelFromConfig(config: Config, logger: Logger): Promise<ChatModel | null> {
  if (!config.llm.enabled) return null;
  const { createOpenAIChatModel } = await import('./llm/openai-chat-model.ts');
  return createOpenAIChatModel({
    baseURL: config.llm.baseURL,
    apiKey: config.llm.apiKey,
    model: config.llm.model,
    timeoutMs: config.llm.timeoutMs,
    logger,
  });
}
