import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { l2Normalize } from '../../src/embed/l2-normalize.ts';
import { OpenAIEmbedder, type OpenAIEmbedderOptions } from '../../src/embed/openai-embedder.ts';
import { EmbeddingError } from '../../src/errors.ts';
import { createLogger } from '../../src/log.ts';
import { fakeEmbedding, startOpenAIEmbeddingsServer, type OpenAIEmbeddingsServer } from '../helpers/openai-server.ts';

const KEY = 'sk-secret-test-key-123';
const expected = (text: string, dim = 4) => l2Normalize(Float32Array.from(fakeEmbedding(text, dim)));

async function failsWith(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof EmbeddingError, String(err));
    assert.equal(err.code, 'EMBEDDING_FAILED');
    assert.match(err.message, message);
    return true;
  });
}

describe('OpenAIEmbedder against a loopback embeddings server', () => {
  let server: OpenAIEmbeddingsServer;
  const make = (o: Partial<OpenAIEmbedderOptions> = {}) =>
    new OpenAIEmbedder({ baseURL: server.baseURL, apiKey: KEY, model: 'text-embedding-v3', maxRetries: 0, ...o });

  before(async () => {
    server = await startOpenAIEmbeddingsServer({ dimension: 4 });
  });
  after(() => server.close());

  test('batches passages, reports progress and returns normalized vectors', async () => {
    server.requests.length = 0;
    const texts = ['党费', '支部', '党员', '组织生活', '三会一课'];
    const progress: Array<[number, number]> = [];
    const e = make({ batchSize: 2, queryPrefix: '查询：' });
    assert.equal(e.id, 'text-embedding-v3@openai');
    const vectors = await e.embedPassages(texts, (d, t) => progress.push([d, t]));
    assert.deepEqual(vectors, texts.map((t) => expected(t)));
    assert.deepEqual(progress, [
      [2, 5],
      [4, 5],
      [5, 5],
    ]);
    assert.deepEqual(
      server.requests.map((r) => r.body),
      [['党费', '支部'], ['党员', '组织生活'], ['三会一课']].map((input) => ({
        model: 'text-embedding-v3',
        input,
        encoding_format: 'float',
      })),
    );
    assert.equal(server.requests[0]!.headers.authorization, `Bearer ${KEY}`);
    assert.equal(server.requests[0]!.url, '/v1/embeddings');
  });

  test('the query prefix goes on queries only; dimension comes from a reply', async () => {
    server.requests.length = 0;
    const e = make({ queryPrefix: '查询：' });
    assert.deepEqual(await e.embedQuery('党费'), expected('查询：党费'));
    assert.deepEqual(server.requests.map((r) => r.body.input), [['查询：党费']]);
    assert.equal(await e.dimension(), 4);
    assert.equal(server.requests.length, 1, 'the width is known from the first reply');
    assert.deepEqual(await e.embedPassages([]), []);
  });

  test('vectors are matched to inputs by index, whatever the reply order', async () => {
    const reversed = await startOpenAIEmbeddingsServer({ dimension: 3, reverse: true });
    try {
      const e = new OpenAIEmbedder({ baseURL: reversed.baseURL, model: 'bge-m3' });
      assert.deepEqual(await e.embedPassages(['一', '二', '三']), ['一', '二', '三'].map((t) => expected(t, 3)));
      assert.equal(reversed.requests[0]!.headers.authorization, 'Bearer no-key');
    } finally {
      await reversed.close();
    }
  });

  test('an HTTP error is EMBEDDING_FAILED, logged without the API key', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', format: 'json', write: (l) => lines.push(l) });
    server.enqueue({ status: 401, error: `Incorrect API key provided: ${KEY}` });
    await failsWith(
      make({ logger }).embedQuery('党费'),
      /^Tongxin: text-embedding-v3@openai request failed \(HTTP 401\): 401 Incorrect API key provided: \*\*\*$/,
    );
    assert.equal(lines.length, 1);
    const { time, ...line } = JSON.parse(lines[0]!);
    assert.equal(typeof time, 'string');
    assert.deepEqual(line, {
      level: 'warn',
      msg: 'embedding request failed',
      model: 'text-embedding-v3',
      texts: 1,
      error: '401 Incorrect API key provided: ***',
    });
  });

  test('at ingest a 500 is retried when retries are allowed; a question is never retried', async () => {
    server.requests.length = 0;
    server.enqueue({ status: 500 });
    assert.deepEqual(await make({ maxRetries: 1 }).embedPassages(['党费']), [expected('党费')]);
    assert.equal(server.requests.length, 2);
    // A resident is waiting and the lexical answer is there: one try only.
    server.enqueue({ status: 500 });
    await failsWith(make({ maxRetries: 1 }).embedQuery('党费'), /HTTP 500/);
    assert.equal(server.requests.length, 3);
  });

  test('a slow server times out as EMBEDDING_FAILED: passages after timeoutMs, a question after queryTimeoutMs', async () => {
    server.enqueue({ hangMs: 5_000 });
    await failsWith(make({ timeoutMs: 200 }).embedPassages(['党费']), /request failed: Request timed out/);
    server.enqueue({ hangMs: 5_000 });
    await failsWith(make({ timeoutMs: 30_000, queryTimeoutMs: 200 }).embedQuery('党费'), /request failed: Request timed out/);
  });

  test('malformed replies are EMBEDDING_FAILED', async () => {
    const e = make();
    server.enqueue({ json: { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [1, 0] }] } });
    await failsWith(e.embedPassages(['一', '二']), /returned 1 embeddings for 2 texts/);
    server.enqueue({ json: { object: 'list', data: [{ index: 0, embedding: [1, 0] }, { index: 0, embedding: [0, 1] }] } });
    await failsWith(e.embedPassages(['一', '二']), /bad or repeated index 0/);
    server.enqueue({ json: { object: 'list', data: [{ index: 0, embedding: 'AAAA' }] } });
    await failsWith(e.embedQuery('一'), /malformed embedding at index 0/);
    server.enqueue({ garbage: '<html>busy</html>' });
    await failsWith(e.embedQuery('一'), /request failed/);
  });

  test('vectors of a changed width are refused', async () => {
    const e = make();
    assert.equal(await e.dimension(), 4);
    server.enqueue({ json: { object: 'list', data: [{ index: 0, embedding: [1, 2, 3] }] } });
    await failsWith(e.embedQuery('一'), /returned 3 dimensions, earlier 4/);
  });

  test('a refused connection is EMBEDDING_FAILED', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await failsWith(make({ baseURL: `http://127.0.0.1:${port}/v1` }).embedQuery('党费'), /request failed: Connection error/);
  });
});
