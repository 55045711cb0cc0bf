/**
 * The only reader of process.env (habit 2 of STYLE.md, after wechaty's src/config.ts).
 * `.env` in the working directory is read once with dotenv, never from the index folder.
 * Every value is validated here; a bad one stops start-up with a message naming the variable.
 * `.env.example` documents each variable with its default; keep the two in step.
 */
import path from 'node:path';
import { config as dotenvConfig } from 'dotenv';
import { ConfigError } from './errors.ts';
import type { LogLevel } from './log.ts';

export interface Config {
  /** CHANNELS: the ways in `npm start` runs, comma-separated `wechaty`, `wecom`, `mp`. Default `wechaty`. */
  channels: ChannelChoice[];
  /** Folder of source documents. CORPUS_DIR, default `corpus`. */
  corpusDir: string;
  /** Folder of the built knowledge base. INDEX_DIR, default `data/index`. */
  indexDir: string;
  /** Cache and copy target for embedding models. MODELS_DIR, default `models`. */
  modelsDir: string;
  /** Files larger than this are skipped at ingest. MAX_FILE_MB, default 50. */
  maxFileBytes: number;
  /**
   * OCR: `auto` (default) reads `.jpg`/`.png` and PDF/OFD pages without a text layer with the
   * offline PaddleOCR models in node_modules (~1 GB of memory while it runs, seconds a page);
   * `off` skips such files with their reason.
   */
  ocr: 'auto' | 'off';

  embedding: {
    /** EMBEDDING_PROVIDER: `local` (transformers.js), `openai` (an embeddings endpoint) or `none`. */
    provider: 'local' | 'openai' | 'none';
    /** EMBEDDING_MODEL: hub id or local folder. Default `Xenova/bge-small-zh-v1.5`. */
    model: string;
    /** EMBEDDING_POOLING: `cls` for bge (its model card), `mean` for most sentence-transformers; `auto` (default) picks by model name. */
    pooling: 'cls' | 'mean';
    /** EMBEDDING_DTYPE: ONNX weight precision; `q8` is 24 MB for bge-small-zh. */
    dtype: 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'bnb4' | 'q4f16';
    /** EMBEDDING_QUERY_PREFIX: prepended to queries only; `auto` (default): the bge-zh instruction for bge zh models, none for others. */
    queryPrefix: string;
    /** EMBEDDING_BATCH_SIZE: passages embedded per call. Default 16. */
    batchSize: number;
    /** EMBEDDING_QUERY_TIMEOUT_MS: a question's embedding from an endpoint; past it, lexical only. Default 5000. */
    queryTimeoutMs: number;
    /** EMBEDDING_BASE_URL / EMBEDDING_API_KEY: default to OPENAI_BASE_URL / OPENAI_API_KEY. */
    baseURL: string | undefined;
    apiKey: string | undefined;
    /** HF_ENDPOINT: a Hugging Face mirror, e.g. https://hf-mirror.com. */
    hfEndpoint: string | undefined;
    /** ALLOW_REMOTE_MODELS: `off` never downloads (intranet machines). Default on. */
    allowRemote: boolean;
  };

  llm: {
    /** OPENAI_BASE_URL: any OpenAI-compatible endpoint (DeepSeek, Qwen, Ollama…). */
    baseURL: string | undefined;
    /** OPENAI_API_KEY: never logged. */
    apiKey: string | undefined;
    /** OPENAI_MODEL: default `deepseek-chat`. */
    model: string;
    /** LLM_TIMEOUT_MS: default 20000. */
    timeoutMs: number;
    /** True when a base URL or key is set: answers are composed by the model. */
    enabled: boolean;
  };

  retrieval: {
    /** RETRIEVAL_TOP_K: passages handed to the composer. Default 5. */
    topK: number;
    /** MAX_QUESTION_CHARS: longer questions are cut (and the user told). Default 500. */
    maxQuestionChars: number;
    /**
     * DENSE_MIN_SIMILARITY: the cosine at which dense similarity lets a partly covered question
     * through the refusal gate (src/answer/relevance.ts), when the index has vectors. `auto`
     * (default): 0.7 for bge-small-zh-v1.5, off for other models (a cosine means something only
     * for the model it was measured on); `off`: the gate is lexical only; or a number 0..1.
     */
    denseMinSimilarity: number | null;
  };

  wechaty: {
    /** WECHATY_PUPPET: default `wechaty-puppet-wechat4u`. */
    puppet: string;
    /** WECHATY_PUPPET_SERVICE_TOKEN: for pad protocols through wechaty-puppet-service. */
    puppetToken: string | undefined;
    /** WECHATY_NAME: session file name, so restarts need no new scan. Default `tongxin`. */
    name: string;
  };

  wecom: {
    /** WECOM_BOT_ID: the WeCom AI bot's Bot ID (管理后台 → 智能机器人 → API 模式 → 长连接). Required when the wecom channel runs. */
    botId: string | undefined;
    /** WECOM_BOT_SECRET: the long-connection Secret shown beside the Bot ID; never logged. Required with botId. */
    botSecret: string | undefined;
    /** WECOM_WS_URL: the long-connection address; private deployments show theirs in the admin console. Default the SDK's `wss://openws.work.weixin.qq.com`. */
    wsUrl: string;
  };

  bot: {
    /** BOT_ROOMS: comma-separated room topics, or `*` for every room. Default none. */
    rooms: string[];
    /** BOT_PRIVATE: answer private chats (`on`/`off`). Default on. */
    privateChat: boolean;
    /** BOT_KEYWORDS: a room message starting with one of these triggers the bot. */
    keywords: string[];
    /** BOT_ADMINS: contact ids or names allowed staff commands in private chat. */
    admins: string[];
    /** BOT_BLOCKLIST_FILE: one word per line; questions/answers containing one are declined. */
    blocklistFile: string | undefined;
    /** BOT_QUEUE_SIZE: questions and commands waiting per room before 稍后再问. Default 5. */
    queueSize: number;
    /** BOT_COOLDOWN_MS: per-person pause: one answer, one staff command reply and one decline in it (原文 N and 帮助 are free). Default 10000. */
    cooldownMs: number;
    /** BOT_ROOM_INTERVAL_MS: least time between two messages to one room. Default 1000. */
    roomIntervalMs: number;
    /** BOT_MAX_PER_MINUTE: messages sent per minute across all rooms. Default 30. */
    maxPerMinute: number;
    /** BOT_JITTER_MS: random extra delay before each message. Default 800. */
    jitterMs: number;
    /** BOT_FOLLOWUP_MS: a question within this time of the last is read as a follow-up. */
    followupMs: number;
    /** BOT_MAX_AGE_MS: older messages are ignored (no backlog replay). Default 120000. */
    maxMessageAgeMs: number;
    /** BOT_LOG_DIR: daily question/answer JSONL logs. Default `data/logs`. */
    logDir: string;
    /** BOT_RELOAD_POLL_MS: how often the bot checks the manifest for a new index. */
    reloadPollMs: number;
  };

  mp: {
    /** MP_TOKEN: the Token of 公众平台 → 设置与开发 → 基本配置 → 服务器配置. Required when mp runs. */
    token: string | undefined;
    /** MP_APP_ID: the account's AppID; required with MP_ENCODING_AES_KEY (checked after decryption). */
    appId: string | undefined;
    /** MP_ENCODING_AES_KEY: the 43-character EncodingAESKey; unset means 明文模式 (plaintext). */
    encodingAESKey: string | undefined;
    /** MP_HOST: the address the callback server listens on. Default `127.0.0.1` (behind the HTTPS proxy). */
    host: string;
    /** MP_PORT: its port. Default 8080. */
    port: number;
    /** MP_PATH: the callback path the proxy forwards to. Default `/wechat/mp`. */
    path: string;
    /** MP_MAX_PER_MINUTE: messages for the bot one follower may send in any 60 s. Default 20. */
    maxPerMinute: number;
  };

  log: {
    /** LOG_LEVEL: debug|info|warn|error. Default info. */
    level: LogLevel;
    /** LOG_FORMAT: json|pretty|auto. Default auto (pretty on a terminal). */
    format: 'json' | 'pretty' | 'auto';
  };
}

export const CHANNEL_CHOICES = ['wechaty', 'wecom', 'mp'] as const;
export type ChannelChoice = (typeof CHANNEL_CHOICES)[number];

export const DEFAULT_EMBEDDING_MODEL = 'Xenova/bge-small-zh-v1.5';
/** The address @wecom/aibot-node-sdk connects to by default (its DEFAULT_WS_URL, v1.0.7). */
export const DEFAULT_WECOM_WS_URL = 'wss://openws.work.weixin.qq.com';
export const DEFAULT_QUERY_PREFIX = '为这个句子生成表示以用于检索相关文章：';

/**
 * Pooling and query prefix follow the model when not set, so that a staff member who switches
 * EMBEDDING_MODEL does not silently keep bge's settings: bge models pool with CLS and the zh ones
 * want the instruction before queries (their model cards); most sentence-transformers models pool
 * with the mean and want no prefix.
 */
function poolingFor(model: string): 'cls' | 'mean' {
  return /bge/i.test(model) ? 'cls' : 'mean';
}
function queryPrefixFor(model: string): string {
  return /bge[^/]*-zh/i.test(model) ? DEFAULT_QUERY_PREFIX : '';
}

/**
 * The refusal gate's dense threshold for a model: only the default model has one. 0.7 is not
 * measured here (the model cannot be downloaded on the development machine); it is above where
 * BGE's maintainers say unrelated pairs reach (scores are not spread evenly over 0..1, set the
 * threshold from your data: FlagOpen/FlagEmbedding issues 21 and 101). `npm run eval -- --dense-sweep`
 * measures it on a machine with the model (docs/EVALUATION.md).
 */
export const BGE_SMALL_ZH_DENSE_MIN_SIMILARITY = 0.7;
function denseMinSimilarityFor(model: string): number | null {
  return /bge-small-zh-v1\.5$/i.test(model) ? BGE_SMALL_ZH_DENSE_MIN_SIMILARITY : null;
}

export interface LoadConfigOptions {
  /** Variables to read; default process.env merged with `.env`. */
  env?: Record<string, string | undefined>;
  /** Read `.env` from this folder (default: cwd). `false` skips dotenv. */
  dotenvDir?: string | false;
  /** Base for relative paths; default cwd. */
  cwd?: string;
  /** Values that win over both the environment and `.env` (e.g. createBot's `env`). */
  overrides?: Record<string, string | undefined>;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  let env: Record<string, string | undefined>;
  if (options.env) {
    env = options.env;
  } else {
    const fromFile: Record<string, string> = {};
    if (options.dotenvDir !== false) {
      // processEnv: a private object, so .env never leaks into process.env for child processes,
      // and the real environment wins over the file (dotenv's documented precedence).
      dotenvConfig({ path: path.join(options.dotenvDir ?? cwd, '.env'), processEnv: fromFile, quiet: true } as never);
    }
    env = { ...fromFile, ...process.env };
  }
  if (options.overrides) env = { ...env, ...options.overrides };
  const r = new Reader(env);
  const abs = (p: string) => path.resolve(cwd, p);

  const openaiBase = r.url('OPENAI_BASE_URL');
  const openaiKey = r.str('OPENAI_API_KEY');
  // The SDK would send the key to api.openai.com with a model (deepseek-chat) it does not serve,
  // and every answer would quietly fall back; say which endpoint is missing instead.
  if (openaiKey && !openaiBase) {
    throw new ConfigError(
      'OPENAI_API_KEY is set but OPENAI_BASE_URL is not: set the endpoint, e.g. https://api.deepseek.com/v1 (DeepSeek), ' +
        'https://dashscope.aliyuncs.com/compatible-mode/v1 (Qwen) or https://api.openai.com/v1',
    );
  }
  const embeddingModel = r.str('EMBEDDING_MODEL') ?? DEFAULT_EMBEDDING_MODEL;
  const pooling = r.oneOf('EMBEDDING_POOLING', ['auto', 'cls', 'mean'] as const, 'auto');
  const prefix = env.EMBEDDING_QUERY_PREFIX;
  const cfg: Config = {
    channels: r.choices('CHANNELS', CHANNEL_CHOICES, ['wechaty']),
    corpusDir: abs(r.str('CORPUS_DIR') ?? 'corpus'),
    indexDir: abs(r.str('INDEX_DIR') ?? 'data/index'),
    modelsDir: abs(r.str('MODELS_DIR') ?? 'models'),
    maxFileBytes: r.int('MAX_FILE_MB', 50, 1, 10_000) * 1024 * 1024,
    ocr: r.oneOf('OCR', ['auto', 'off'] as const, 'auto'),
    embedding: {
      provider: r.oneOf('EMBEDDING_PROVIDER', ['local', 'openai', 'none'] as const, 'local'),
      model: embeddingModel,
      pooling: pooling === 'auto' ? poolingFor(embeddingModel) : pooling,
      dtype: r.oneOf('EMBEDDING_DTYPE', ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'bnb4', 'q4f16'] as const, 'q8'),
      // Empty means no prefix; unset or `auto` follows the model.
      queryPrefix: prefix === undefined || prefix.trim() === 'auto' ? queryPrefixFor(embeddingModel) : prefix,
      batchSize: r.int('EMBEDDING_BATCH_SIZE', 16, 1, 1024),
      queryTimeoutMs: r.int('EMBEDDING_QUERY_TIMEOUT_MS', 5_000, 100, 600_000),
      baseURL: r.url('EMBEDDING_BASE_URL') ?? openaiBase,
      apiKey: r.str('EMBEDDING_API_KEY') ?? openaiKey,
      hfEndpoint: r.url('HF_ENDPOINT'),
      allowRemote: r.bool('ALLOW_REMOTE_MODELS', true),
    },
    llm: {
      baseURL: openaiBase,
      apiKey: openaiKey,
      model: r.str('OPENAI_MODEL') ?? 'deepseek-chat',
      timeoutMs: r.int('LLM_TIMEOUT_MS', 20_000, 100, 600_000),
      enabled: Boolean(openaiBase || openaiKey),
    },
    retrieval: {
      topK: r.int('RETRIEVAL_TOP_K', 5, 1, 50),
      maxQuestionChars: r.int('MAX_QUESTION_CHARS', 500, 10, 100_000),
      denseMinSimilarity: r.similarity('DENSE_MIN_SIMILARITY', denseMinSimilarityFor(embeddingModel)),
    },
    wechaty: {
      puppet: r.str('WECHATY_PUPPET') ?? 'wechaty-puppet-wechat4u',
      puppetToken: r.str('WECHATY_PUPPET_SERVICE_TOKEN'),
      name: r.str('WECHATY_NAME') ?? 'tongxin',
    },
    wecom: {
      botId: r.str('WECOM_BOT_ID'),
      botSecret: r.str('WECOM_BOT_SECRET'),
      wsUrl: r.wsUrl('WECOM_WS_URL') ?? DEFAULT_WECOM_WS_URL,
    },
    bot: {
      rooms: r.list('BOT_ROOMS'),
      privateChat: r.bool('BOT_PRIVATE', true),
      keywords: r.list('BOT_KEYWORDS', ['党建问答']),
      admins: r.list('BOT_ADMINS'),
      blocklistFile: r.str('BOT_BLOCKLIST_FILE') ? abs(r.str('BOT_BLOCKLIST_FILE')!) : undefined,
      queueSize: r.int('BOT_QUEUE_SIZE', 5, 0, 10_000),
      cooldownMs: r.int('BOT_COOLDOWN_MS', 10_000, 0, 3_600_000),
      roomIntervalMs: r.int('BOT_ROOM_INTERVAL_MS', 1_000, 0, 600_000),
      maxPerMinute: r.int('BOT_MAX_PER_MINUTE', 30, 1, 10_000),
      jitterMs: r.int('BOT_JITTER_MS', 800, 0, 60_000),
      followupMs: r.int('BOT_FOLLOWUP_MS', 300_000, 0, 86_400_000),
      maxMessageAgeMs: r.int('BOT_MAX_AGE_MS', 120_000, 1_000, 86_400_000),
      logDir: abs(r.str('BOT_LOG_DIR') ?? 'data/logs'),
      reloadPollMs: r.int('BOT_RELOAD_POLL_MS', 2_000, 100, 3_600_000),
    },
    mp: {
      token: r.str('MP_TOKEN'),
      appId: r.str('MP_APP_ID'),
      encodingAESKey: r.str('MP_ENCODING_AES_KEY'),
      host: r.str('MP_HOST') ?? '127.0.0.1',
      port: r.int('MP_PORT', 8080, 0, 65_535),
      path: r.str('MP_PATH') ?? '/wechat/mp',
      maxPerMinute: r.int('MP_MAX_PER_MINUTE', 20, 1, 10_000),
    },
    log: {
      level: r.oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
      format: r.oneOf('LOG_FORMAT', ['json', 'pretty', 'auto'] as const, 'auto'),
    },
  };
  if (cfg.embedding.provider === 'openai' && !cfg.embedding.baseURL) {
    throw new ConfigError(
      'EMBEDDING_PROVIDER=openai needs EMBEDDING_BASE_URL (or OPENAI_BASE_URL): set it in .env',
    );
  }
  return cfg;
}

/** Small typed reader; each failure names the variable and what is accepted. */
class Reader {
  constructor(private readonly env: Record<string, string | undefined>) {}

  str(name: string): string | undefined {
    const v = this.env[name]?.trim();
    return v ? v : undefined;
  }

  int(name: string, def: number, min: number, max: number): number {
    const v = this.str(name);
    if (v === undefined) return def;
    if (!/^-?\d+$/.test(v)) throw new ConfigError(`${name}="${v}" is not a whole number (default ${def})`);
    const n = Number(v);
    if (n < min || n > max) throw new ConfigError(`${name}=${n} is out of range ${min}..${max} (default ${def})`);
    return n;
  }

  /** `auto` (or unset): `auto`; `off`: null; else a number in 0..1. */
  similarity(name: string, auto: number | null): number | null {
    const v = this.str(name)?.toLowerCase();
    if (v === undefined || v === 'auto') return auto;
    if (v === 'off') return null;
    const n = Number(v);
    if (!/^\d*\.?\d+$/.test(v) || n > 1) throw new ConfigError(`${name}="${v}" must be auto, off or a number from 0 to 1 (default auto)`);
    return n;
  }

  bool(name: string, def: boolean): boolean {
    const v = this.str(name)?.toLowerCase();
    if (v === undefined) return def;
    if (['1', 'true', 'on', 'yes'].includes(v)) return true;
    if (['0', 'false', 'off', 'no'].includes(v)) return false;
    throw new ConfigError(`${name}="${v}" must be on or off (default ${def ? 'on' : 'off'})`);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], def: T): T {
    const v = this.str(name);
    if (v === undefined) return def;
    if (!(allowed as readonly string[]).includes(v)) {
      throw new ConfigError(`${name}="${v}" must be one of ${allowed.join(', ')} (default ${def})`);
    }
    return v as T;
  }

  url(name: string): string | undefined {
    return this.#url(name, ['http:', 'https:'], 'an http(s) URL')?.replace(/\/+$/, '');
  }

  wsUrl(name: string): string | undefined {
    return this.#url(name, ['ws:', 'wss:'], 'a ws:// or wss:// URL');
  }

  #url(name: string, protocols: string[], what: string): string | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    try {
      if (!protocols.includes(new URL(v).protocol)) throw new Error(`not ${protocols.join(' or ')}`);
    } catch (cause) {
      throw new ConfigError(`${name}="${v}" is not ${what}`, { cause });
    }
    return v;
  }

  /** A comma-separated list of allowed words, each at most once; empty or unset is the default. */
  choices<T extends string>(name: string, allowed: readonly T[], def: T[]): T[] {
    const items = this.list(name).map((v) => v.toLowerCase());
    if (items.length === 0) return def;
    for (const v of items) {
      if (!(allowed as readonly string[]).includes(v)) {
        throw new ConfigError(`${name}: "${v}" is not one of ${allowed.join(', ')} (default ${def.join(',')})`);
      }
    }
    return [...new Set(items)] as T[];
  }

  list(name: string, def: string[] = []): string[] {
    const v = this.env[name];
    if (v === undefined) return def;
    // Staff type Chinese commas too.
    return v.split(/[,，]/).map((s) => s.trim()).filter(Boolean);
  }
}
