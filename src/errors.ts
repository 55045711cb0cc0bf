/**
 * One error family for the whole project (after openai-node's OpenAIError tree): every error
 * carries a stable `code` that programs and tests can match on, and the `cause` it wraps.
 * Messages are English and aimed at staff/developers; residents never see them (the channel
 * edges map any error to a fixed Chinese reply).
 */
export type TongxinErrorCode =
  | 'CONFIG_INVALID'
  | 'LOAD_FAILED'
  | 'INDEX_MISSING'
  | 'INDEX_INCOMPATIBLE'
  | 'INDEX_CORRUPT'
  | 'INDEX_LOCKED'
  | 'INDEX_WRITE_FAILED'
  | 'EMBEDDING_UNAVAILABLE'
  | 'EMBEDDING_FAILED'
  | 'LLM_FAILED'
  | 'CHANNEL_FAILED'
  | 'BAD_INPUT';

export class TongxinError extends Error {
  readonly code: TongxinErrorCode;
  constructor(code: TongxinErrorCode, message: string, options?: { cause?: unknown }) {
    super(`Tongxin: ${message}`, options);
    this.name = 'TongxinError';
    this.code = code;
  }
}

/** A configuration value failed validation; the message names the variable. */
export class ConfigError extends TongxinError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG_INVALID', message, options);
    this.name = 'ConfigError';
  }
}

/** A file of the corpus could not be turned into a document. `reason` is one short line. */
export class LoadError extends TongxinError {
  readonly path: string;
  readonly reason: string;
  constructor(path: string, reason: string, options?: { cause?: unknown }) {
    super('LOAD_FAILED', `cannot load ${path}: ${reason}`, options);
    this.name = 'LoadError';
    this.path = path;
    this.reason = reason;
  }
}

/** The index on disk is missing, damaged, locked or built for another model/version. */
export class IndexError extends TongxinError {
  constructor(
    code: 'INDEX_MISSING' | 'INDEX_INCOMPATIBLE' | 'INDEX_CORRUPT' | 'INDEX_LOCKED' | 'INDEX_WRITE_FAILED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'IndexError';
  }
}

export class EmbeddingError extends TongxinError {
  constructor(
    code: 'EMBEDDING_UNAVAILABLE' | 'EMBEDDING_FAILED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'EmbeddingError';
  }
}

/** The language model failed (HTTP error, rate limit, timeout, malformed or ungrounded reply). */
export class LlmError extends TongxinError {
  readonly status: number | undefined;
  constructor(message: string, options?: { cause?: unknown; status?: number }) {
    super('LLM_FAILED', message, options);
    this.name = 'LlmError';
    this.status = options?.status;
  }
}

/** Short, single-line description of any thrown value, for logs and skip reasons. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}
