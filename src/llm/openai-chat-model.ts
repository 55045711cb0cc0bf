/**
 * The ChatModel adapter for any OpenAI-compatible endpoint (DeepSeek, Qwen, Ollama, vLLM…),
 * through the `openai` SDK. The only file that imports `openai` for chat. Every failure becomes
 * an LlmError (with the HTTP status when there is one) whose message never contains the key.
 */
import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  type ClientOptions,
} from 'openai';
import { LlmError } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { redactor } from '../redact.ts';
import type { ChatMessage, ChatModel } from '../answer/chat-model.ts';

export interface OpenAIChatModelOptions {
  /** OPENAI_BASE_URL; default the OpenAI API. */
  baseURL?: string | undefined;
  /** OPENAI_API_KEY; empty for keyless servers such as Ollama. Never logged. */
  apiKey?: string | undefined;
  /** OPENAI_MODEL, e.g. `deepseek-chat`. */
  model: string;
  /** LLM_TIMEOUT_MS: the whole request, after which the caller falls back. */
  timeoutMs: number;
  logger?: Logger;
  /** Injected fetch (tests, proxies); default the global fetch. */
  fetch?: ClientOptions['fetch'];
  /** Sampling temperature; default 0.2, low so answers stay close to the passages. */
  temperature?: number;
  /** Reply length cap in tokens; default 800 (about 200 Chinese characters plus slack). */
  maxTokens?: number;
}

// The SDK refuses to start without credentials; keyless servers ignore the header.
const PLACEHOLDER_KEY = 'no-key';

export function createOpenAIChatModel(options: OpenAIChatModelOptions): ChatModel {
  const logger = options.logger ?? silentLogger;
  const apiKey = options.apiKey || PLACEHOLDER_KEY;
  const redact = redactor([options.apiKey]);
  const client = new OpenAI({
    apiKey,
    // Explicit, so the SDK never falls back to reading OPENAI_BASE_URL itself (config.ts does).
    baseURL: options.baseURL ?? 'https://api.openai.com/v1',
    timeout: options.timeoutMs,
    // No retries: the extractive answer is always there as a fallback, and the SDK would retry
    // a timeout too (its docs warn the wait can then be a multiple of `timeout`).
    maxRetries: 0,
    // We log every failure ourselves; OPENAI_LOG must not turn on request dumps.
    logLevel: 'off',
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  return {
    id: options.model,
    async complete(messages: ChatMessage[], callOptions = {}) {
      const started = Date.now();
      try {
        const res = await client.chat.completions.create(
          {
            model: options.model,
            messages,
            temperature: options.temperature ?? 0.2,
            max_tokens: options.maxTokens ?? 800,
          },
          callOptions.signal ? { signal: callOptions.signal } : undefined,
        );
        // Proxies answer with HTML or odd JSON; the SDK passes non-JSON bodies through as text.
        const choice = (res as { choices?: unknown }).choices;
        const first = Array.isArray(choice) ? (choice[0] as OpenAI.ChatCompletion.Choice | undefined) : undefined;
        const content = first?.message?.content;
        if (typeof content !== 'string') {
          throw new LlmError(Array.isArray(choice) ? 'malformed reply: no message content' : 'malformed reply: no choices');
        }
        if (first?.finish_reason === 'length') logger.warn('llm reply cut at max_tokens', { model: options.model });
        logger.debug('llm reply', { model: options.model, ms: Date.now() - started, chars: content.length });
        return content;
      } catch (err) {
        const mapped = toLlmError(err, options.timeoutMs, redact);
        logger.warn('llm request failed', {
          model: options.model,
          ms: Date.now() - started,
          ...(mapped.status !== undefined ? { status: mapped.status } : {}),
          reason: mapped.message,
        });
        throw mapped;
      }
    },
  };
}

function toLlmError(err: unknown, timeoutMs: number, redact: (s: string) => string): LlmError {
  if (err instanceof LlmError) return err;
  const cause = safeCause(err, redact);
  if (err instanceof APIConnectionTimeoutError) {
    return new LlmError(`timed out after ${timeoutMs} ms (LLM_TIMEOUT_MS)`, { cause });
  }
  if (err instanceof APIUserAbortError) return new LlmError('request aborted', { cause });
  if (err instanceof APIConnectionError) {
    return new LlmError(`connection failed: ${redact(networkReason(err))}`, { cause });
  }
  if (err instanceof APIError && err.status !== undefined) {
    const status = err.status;
    if (status === 429) {
      // A header is server text like a body: show it only when it is the number it should be.
      const after = err.headers?.get('retry-after')?.trim();
      const hint = after && /^\d{1,6}$/.test(after) ? `, retry after ${after}s` : '';
      return new LlmError(`rate limited (HTTP 429${hint})`, { cause, status });
    }
    // The SDK's message already starts with the status; say it once.
    const detail = redact(err.message.replace(/^\d{3}\s+/, '')).slice(0, 200);
    return new LlmError(`HTTP ${status}: ${detail}`, { cause, status });
  }
  if (err instanceof SyntaxError) return new LlmError('malformed reply: body is not JSON', { cause });
  const msg = err instanceof Error ? err.message : String(err);
  return new LlmError(`request failed: ${redact(msg).slice(0, 200)}`, { cause });
}

/** The innermost useful reason of a connection error, e.g. `ECONNREFUSED 127.0.0.1:9`. */
function networkReason(err: Error): string {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e instanceof Error; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return e.message || code;
    e = e.cause;
  }
  return err.message;
}

/**
 * The SDK error as cause, unless its text carries the key (some servers echo it in a 401 body):
 * then a plain copy with the key redacted, so no log of the cause chain can leak it.
 */
function safeCause(err: unknown, redact: (s: string) => string): unknown {
  if (!(err instanceof Error)) return err;
  const body = err instanceof APIError ? JSON.stringify(err.error ?? null) : '';
  const text = `${err.message}\n${body}\n${String(err.cause ?? '')}`;
  if (redact(text) === text) return err;
  const copy = new Error(redact(err.message));
  copy.name = err.name;
  return copy;
}
