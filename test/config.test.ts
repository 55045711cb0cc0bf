import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { ConfigError } from '../src/errors.ts';

const load = (env: Record<string, string>) => loadConfig({ env, dotenvDir: false, cwd: '/srv/tongxin' });

test('defaults', () => {
  const c = load({});
  assert.equal(c.indexDir, '/srv/tongxin/data/index');
  assert.equal(c.embedding.provider, 'local');
  assert.equal(c.embedding.model, 'Xenova/bge-small-zh-v1.5');
  assert.equal(c.embedding.pooling, 'cls');
  assert.equal(c.embedding.dtype, 'q8');
  assert.equal(c.embedding.queryPrefix, '为这个句子生成表示以用于检索相关文章：');
  assert.equal(c.llm.enabled, false);
  assert.equal(c.llm.timeoutMs, 20000);
  assert.deepEqual(c.bot.keywords, ['党建问答']);
  assert.equal(c.bot.privateChat, true);
  assert.equal(c.wechaty.puppet, 'wechaty-puppet-wechat4u');
});

test('bad values stop start-up naming the variable', () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ LLM_TIMEOUT_MS: 'soon' }, /LLM_TIMEOUT_MS="soon" is not a whole number/],
    [{ RETRIEVAL_TOP_K: '0' }, /RETRIEVAL_TOP_K=0 is out of range 1\.\.50/],
    [{ EMBEDDING_PROVIDER: 'gpu' }, /EMBEDDING_PROVIDER="gpu" must be one of local, openai, none/],
    [{ BOT_PRIVATE: 'maybe' }, /BOT_PRIVATE="maybe" must be on or off/],
    [{ OPENAI_BASE_URL: 'ftp://x' }, /OPENAI_BASE_URL="ftp:\/\/x" is not an http\(s\) URL/],
    [{ EMBEDDING_PROVIDER: 'openai' }, /EMBEDDING_PROVIDER=openai needs EMBEDDING_BASE_URL/],
    [{ DENSE_MIN_SIMILARITY: '1.5' }, /DENSE_MIN_SIMILARITY="1.5" must be auto, off or a number from 0 to 1/],
    [{ DENSE_MIN_SIMILARITY: 'high' }, /DENSE_MIN_SIMILARITY="high" must be auto, off or a number from 0 to 1/],
  ];
  for (const [env, re] of cases) {
    assert.throws(() => load(env), (err: ConfigError) => err.code === 'CONFIG_INVALID' && re.test(err.message));
  }
});

test('pooling and query prefix follow the model unless set', () => {
  const pick = (env: Record<string, string>) => {
    const e = load(env).embedding;
    return { pooling: e.pooling, queryPrefix: e.queryPrefix };
  };
  const bgeZh = { pooling: 'cls', queryPrefix: '为这个句子生成表示以用于检索相关文章：' };
  assert.deepEqual(pick({}), bgeZh);
  assert.deepEqual(pick({ EMBEDDING_POOLING: 'auto', EMBEDDING_QUERY_PREFIX: 'auto' }), bgeZh);
  assert.deepEqual(pick({ EMBEDDING_MODEL: 'models/Xenova/bge-base-zh-v1.5' }), bgeZh);
  assert.deepEqual(pick({ EMBEDDING_MODEL: 'Xenova/bge-small-en-v1.5' }), { pooling: 'cls', queryPrefix: '' });
  assert.deepEqual(pick({ EMBEDDING_MODEL: 'Xenova/paraphrase-multilingual-MiniLM-L12-v2' }), { pooling: 'mean', queryPrefix: '' });
  assert.deepEqual(pick({ EMBEDDING_MODEL: 'text-embedding-v3', EMBEDDING_PROVIDER: 'none' }), { pooling: 'mean', queryPrefix: '' });
  // Set explicitly, they win; an empty prefix means none.
  assert.deepEqual(pick({ EMBEDDING_POOLING: 'mean', EMBEDDING_QUERY_PREFIX: '' }), { pooling: 'mean', queryPrefix: '' });
  assert.deepEqual(pick({ EMBEDDING_MODEL: 'org/m3e-base', EMBEDDING_QUERY_PREFIX: 'query: ' }), { pooling: 'mean', queryPrefix: 'query: ' });
});

test('an API key without a base URL stops start-up naming OPENAI_BASE_URL', () => {
  assert.throws(
    () => load({ OPENAI_API_KEY: 'sk-test-1234567890' }),
    (err: ConfigError) => err.code === 'CONFIG_INVALID' && /OPENAI_API_KEY is set but OPENAI_BASE_URL is not/.test(err.message) && !err.message.includes('sk-test'),
  );
});

test('lists accept Chinese commas; the model is on when a base URL or key is set', () => {
  const c = load({ BOT_ROOMS: '幸福社区党员群，红旗街道群, ', OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1/' });
  assert.deepEqual(c.bot.rooms, ['幸福社区党员群', '红旗街道群']);
  assert.equal(c.llm.enabled, true);
  assert.equal(c.llm.baseURL, 'http://127.0.0.1:11434/v1');
  assert.equal(c.embedding.baseURL, 'http://127.0.0.1:11434/v1');
});

test('.env is read from the working directory; the environment and overrides win', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'tongxin-env-'));
  try {
    await writeFile(path.join(dir, '.env'), 'RETRIEVAL_TOP_K=7\nOPENAI_MODEL=qwen-plus\nBOT_QUEUE_SIZE=9\n');
    const c = loadConfig({ cwd: dir, overrides: { BOT_QUEUE_SIZE: '2' } });
    assert.equal(c.retrieval.topK, process.env.RETRIEVAL_TOP_K ? Number(process.env.RETRIEVAL_TOP_K) : 7);
    assert.equal(c.llm.model, process.env.OPENAI_MODEL ?? 'qwen-plus');
    assert.equal(c.bot.queueSize, 2);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('.env.example documents every variable config.ts reads', () => {
  const src = readFileSync('src/config.ts', 'utf8');
  const read = new Set([...src.matchAll(/r\.\w+\('([A-Z_]+)'/g)].map((m) => m[1]!));
  read.add('EMBEDDING_QUERY_PREFIX');
  const example = readFileSync('.env.example', 'utf8');
  const documented = new Set([...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]!));
  assert.deepEqual([...read].filter((v) => !documented.has(v)), []);
  assert.deepEqual([...documented].filter((v) => !read.has(v)), []);
});

test('CHANNELS: default wechaty, a list of the three names, anything else stops start-up naming it', () => {
  assert.deepEqual(load({}).channels, ['wechaty']);
  assert.deepEqual(load({ CHANNELS: 'MP, wechaty，mp' }).channels, ['mp', 'wechaty']);
  assert.throws(() => load({ CHANNELS: 'wechaty,qq' }), /CHANNELS: "qq" is not one of wechaty, wecom, mp \(default wechaty\)/);
  const mp = load({ MP_TOKEN: 't', MP_PORT: '9000' }).mp;
  assert.deepEqual(mp, { token: 't', appId: undefined, encodingAESKey: undefined, host: '127.0.0.1', port: 9000, path: '/wechat/mp', maxPerMinute: 20 });
  assert.throws(() => load({ MP_MAX_PER_MINUTE: '0' }), /MP_MAX_PER_MINUTE=0 is out of range 1..10000 \(default 20\)/);
});

test('the dense gate threshold: auto is 0.7 for bge-small-zh-v1.5 only, off or a number when set', () => {
  const pick = (env: Record<string, string>) => load(env).retrieval.denseMinSimilarity;
  assert.equal(pick({}), 0.7);
  assert.equal(pick({ DENSE_MIN_SIMILARITY: 'auto', EMBEDDING_MODEL: 'models/Xenova/bge-small-zh-v1.5' }), 0.7);
  assert.equal(pick({ EMBEDDING_MODEL: 'Xenova/bge-base-zh-v1.5' }), null);
  assert.equal(pick({ EMBEDDING_MODEL: 'text-embedding-v3', EMBEDDING_PROVIDER: 'none' }), null);
  assert.equal(pick({ DENSE_MIN_SIMILARITY: 'off' }), null);
  assert.equal(pick({ DENSE_MIN_SIMILARITY: '0.62', EMBEDDING_MODEL: 'org/m3e-base' }), 0.62);
});
