import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOpenAIChatModel } from '../../src/llm/openai-chat-model.ts';
import { createLogger } from '../../src/log.ts';
import { LlmError } from '../../src/errors.ts';
import type { ChatMessage } from '../../src/answer/chat-model.ts';
import { startOpenAIChatServer, unusedBaseURL, type OpenAIChatServer } from '../helpers/openai-chat-server.ts';

const KEY = 'sk-test-5e3f9a1c7b';
const HELLO: ChatMessage[] = [{ role: 'user', content: '你好' }];
let server: OpenAIChatServer;

before(async () => {
  server = await startOpenAIChatServer();
});
after(() => server.close());

function setup(timeoutMs = 2000, apiKey: string | undefined = KEY) {
  const lines: string[] = [];
  // No `secrets` on purpose: the adapter itself must keep the key out of what it logs.
  const logger = createLogger({ level: 'debug', format: 'json', write: (l) => lines.push(l) });
  const model = createOpenAIChatModel({ baseURL: server.baseURL, apiKey, model: 'deepseek-chat', timeoutMs, logger });
  return { model, lines };
}

async function failure(promise: Promise<unknown>): Promise<LlmError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof LlmError, `expected LlmError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

test('returns the content and sends model, messages, low temperature and the bearer key', async () => {
  const { model, lines } = setup();
  const seen = server.requests.length;
  server.enqueue({ reply: '您好[1]' });
  assert.equal(await model.complete(HELLO), '您好[1]');
  const req = server.requests[seen]!;
  assert.equal(req.url, '/v1/chat/completions');
  assert.equal(req.headers.authorization, `Bearer ${KEY}`);
  assert.deepEqual(
    { model: req.body.model, messages: req.body.messages, temperature: req.body.temperature, max_tokens: req.body.max_tokens },
    { model: 'deepseek-chat', messages: HELLO, temperature: 0.2, max_tokens: 800 },
  );
  assert.equal(model.id, 'deepseek-chat');
  assert.equal(lines.length, 1);
  assert.equal(JSON.parse(lines[0]!).msg, 'llm reply');
});

test('an empty key (Ollama) is sent as a placeholder the SDK accepts', async () => {
  const { model } = setup(2000, '');
  const seen = server.requests.length;
  server.enqueue({ reply: '好的' });
  assert.equal(await model.complete(HELLO), '好的');
  assert.equal(server.requests[seen]!.headers.authorization, 'Bearer no-key');
});

test('HTTP 500 becomes LlmError with status 500, without retry', async () => {
  const { model, lines } = setup();
  const seen = server.requests.length;
  server.enqueue({ status: 500, error: 'upstream exploded' });
  const err = await failure(model.complete(HELLO));
  assert.equal(err.message, 'Tongxin: HTTP 500: upstream exploded');
  assert.equal(err.status, 500);
  assert.equal(server.requests.length, seen + 1);
  const logged = JSON.parse(lines.at(-1)!);
  assert.deepEqual([logged.level, logged.msg, logged.status, logged.reason], [
    'warn',
    'llm request failed',
    500,
    'Tongxin: HTTP 500: upstream exploded',
  ]);
});

test('429 becomes LlmError with status 429 and the retry-after hint', async () => {
  const { model } = setup();
  server.enqueue({ status: 429, error: 'Rate limit reached', headers: { 'retry-after': '7' } });
  const err = await failure(model.complete(HELLO));
  assert.equal(err.message, 'Tongxin: rate limited (HTTP 429, retry after 7s)');
  assert.equal(err.status, 429);
});

test('a server slower than timeoutMs becomes a timeout LlmError', async () => {
  const { model } = setup(300);
  server.enqueue({ hangMs: 2000 });
  const err = await failure(model.complete(HELLO));
  assert.equal(err.message, 'Tongxin: timed out after 300 ms (LLM_TIMEOUT_MS)');
  assert.equal(err.status, undefined);
});

test('a body that is not JSON becomes a malformed-reply LlmError', async () => {
  const { model } = setup();
  server.enqueue({ garbage: '<html>502 Bad Gateway' });
  assert.equal((await failure(model.complete(HELLO))).message, 'Tongxin: malformed reply: body is not JSON');
  // Served as text/html the SDK hands back a string, which has no choices either.
  server.enqueue({ garbage: '<html>502 Bad Gateway', contentType: 'text/html' });
  assert.equal((await failure(model.complete(HELLO))).message, 'Tongxin: malformed reply: no choices');
});

test('JSON without choices, or a choice without content, becomes a malformed-reply LlmError', async () => {
  const { model } = setup();
  server.enqueue({ json: { id: 'x', object: 'chat.completion' } });
  assert.equal((await failure(model.complete(HELLO))).message, 'Tongxin: malformed reply: no choices');
  server.enqueue({ json: { id: 'x', choices: [{ index: 0, message: { role: 'assistant', content: null } }] } });
  assert.equal((await failure(model.complete(HELLO))).message, 'Tongxin: malformed reply: no message content');
});

test('a closed port becomes a connection LlmError', async () => {
  const baseURL = await unusedBaseURL();
  const model = createOpenAIChatModel({ baseURL, apiKey: KEY, model: 'm', timeoutMs: 2000 });
  const err = await failure(model.complete(HELLO));
  assert.equal(err.message, `Tongxin: connection failed: connect ECONNREFUSED ${new URL(baseURL).host}`);
  assert.equal(err.status, undefined);
});

test('an aborted call becomes LlmError', async () => {
  const { model } = setup();
  const controller = new AbortController();
  // Abort once the request is in flight, so the scripted step is surely used up.
  server.enqueue(() => {
    controller.abort();
    return { hangMs: 2000 };
  });
  const pending = model.complete(HELLO, { signal: controller.signal });
  assert.equal((await failure(pending)).message, 'Tongxin: request aborted');
});

test('the key never appears in the error, its cause or the log, even when the server echoes it', async () => {
  const { model, lines } = setup();
  server.enqueue({ status: 401, error: `Incorrect API key provided: ${KEY}` });
  const err = await failure(model.complete(HELLO));
  assert.equal(err.message, 'Tongxin: HTTP 401: Incorrect API key provided: ***');
  assert.equal(err.status, 401);
  assert.equal((err.cause as Error).message, '401 Incorrect API key provided: ***');
  assert.equal(lines.length, 1);
  for (const text of [err.message, String(err.stack), (err.cause as Error).message, ...lines]) {
    assert.equal(text.includes(KEY), false, text);
  }
});

test('an injected fetch carries the request', async () => {
  const urls: string[] = [];
  const model = createOpenAIChatModel({
    baseURL: server.baseURL,
    apiKey: KEY,
    model: 'm',
    timeoutMs: 2000,
    fetch: (input, init) => {
      urls.push(String(input instanceof Request ? input.url : input));
      return fetch(input, init);
    },
  });
  server.enqueue({ reply: '经由注入的fetch' });
  assert.equal(await model.complete(HELLO), '经由注入的fetch');
  assert.deepEqual(urls, [`${server.baseURL}/chat/completions`]);
});
