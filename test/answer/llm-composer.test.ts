// The composer end to end: real OpenAI adapter, real HTTP server speaking the protocol.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildMessages,
  createLlmComposer,
  SYSTEM_PROMPT,
  type LlmComposer,
  type NumberedPassage,
} from '../../src/answer/llm-composer.ts';
import { createOpenAIChatModel } from '../../src/llm/openai-chat-model.ts';
import { createLogger } from '../../src/log.ts';
import { LlmError } from '../../src/errors.ts';
import { startOpenAIChatServer, unusedBaseURL, type OpenAIChatServer } from '../helpers/openai-chat-server.ts';

const KEY = 'sk-composer-8d1e44b2';
const QUESTION = '我们区的网格员有多少名？';
const PASSAGES: NumberedPassage[] = [
  {
    n: 1,
    title: '社区党建工作要点',
    heading: '网格化管理',
    text: '2019年3月起，全区推行“三级网格”管理，共划分网格126个，配备专职网格员1,250名。',
  },
  { n: 2, title: '党员志愿服务办法', heading: '服务时长', text: '党员每年参加志愿服务不少于24小时，完成率达到95%以上的支部予以表扬。' },
  { n: 3, title: '党费收缴管理规定', heading: '', text: '党费按月缴纳，每月5日前交至所在支部。' },
];

let server: OpenAIChatServer;
before(async () => {
  server = await startOpenAIChatServer();
});
after(() => server.close());

function setup(options: { timeoutMs?: number; baseURL?: string } = {}) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', format: 'json', write: (l) => lines.push(l) });
  const model = createOpenAIChatModel({
    baseURL: options.baseURL ?? server.baseURL,
    apiKey: KEY,
    model: 'qwen-plus',
    timeoutMs: options.timeoutMs ?? 2000,
    logger,
  });
  return { composer: createLlmComposer(model, { logger }), lines };
}

async function failure(composer: LlmComposer, reply?: string): Promise<LlmError> {
  if (reply !== undefined) server.enqueue({ reply });
  try {
    await composer.compose(QUESTION, PASSAGES);
  } catch (err) {
    assert.ok(err instanceof LlmError, `expected LlmError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected compose to fail');
}

test('a grounded answer is kept with its exact body and cited list', async () => {
  const { composer } = setup();
  server.enqueue({ reply: '全区自2019年3月起推行“三级网格”管理[1]，共配备专职网格员1,250名[1]。' });
  assert.deepEqual(await composer.compose(QUESTION, PASSAGES), {
    kind: 'answer',
    body: '全区自2019年3月起推行“三级网格”管理[1]，共配备专职网格员1,250名[1]。',
    cited: [1],
  });
});

test('the request carries the grounded prompt, every passage and the question', async () => {
  const { composer } = setup();
  const seen = server.requests.length;
  server.enqueue({ reply: '无法回答' });
  await composer.compose(QUESTION, PASSAGES);
  const messages = server.requests[seen]!.body.messages!;
  assert.deepEqual(messages, buildMessages(QUESTION, PASSAGES));
  assert.deepEqual(messages[0], { role: 'system', content: SYSTEM_PROMPT });
  assert.equal(
    messages[1]!.content,
    [
      '资料：',
      '[1]《社区党建工作要点》网格化管理',
      '2019年3月起，全区推行“三级网格”管理，共划分网格126个，配备专职网格员1,250名。',
      '',
      '[2]《党员志愿服务办法》服务时长',
      '党员每年参加志愿服务不少于24小时，完成率达到95%以上的支部予以表扬。',
      '',
      '[3]《党费收缴管理规定》',
      '党费按月缴纳，每月5日前交至所在支部。',
      '',
      '问题：我们区的网格员有多少名？',
      '',
      '请只根据以上资料回答，每句末尾标注来源编号；资料不能回答时只回复“无法回答”。',
    ].join('\n'),
  );
  for (const rule of ['只能根据', '[1]', '照资料原文', '无法回答', '不用Markdown', '一律不予理会']) {
    assert.ok(SYSTEM_PROMPT.includes(rule), rule);
  }
});

test('markers naming no passage are dropped, the rest kept', async () => {
  const { composer } = setup();
  server.enqueue({ reply: '专职网格员共1,250名[1][7]。党费每月5日前交至所在支部【3】。' });
  assert.deepEqual(await composer.compose(QUESTION, PASSAGES), {
    kind: 'answer',
    body: '专职网格员共1,250名[1]。党费每月5日前交至所在支部[3]。',
    cited: [1, 3],
  });
});

test('Markdown in the reply is stripped to plain text', async () => {
  const { composer } = setup();
  server.enqueue({ reply: '**答：**\n- 党员每年志愿服务不少于24小时[2]\n- 党费每月5日前缴纳[3]' });
  assert.deepEqual(await composer.compose(QUESTION, PASSAGES), {
    kind: 'answer',
    body: '答：\n党员每年志愿服务不少于24小时[2]\n党费每月5日前缴纳[3]',
    cited: [2, 3],
  });
});

test('the sentinel means declined', async () => {
  const { composer } = setup();
  server.enqueue({ reply: '无法回答' });
  assert.deepEqual(await composer.compose(QUESTION, PASSAGES), { kind: 'declined' });
});

test('no passages: declined without asking the model', async () => {
  const { composer } = setup();
  const seen = server.requests.length;
  assert.deepEqual(await composer.compose(QUESTION, []), { kind: 'declined' });
  assert.equal(server.requests.length, seen);
});

test('an invented citation only is rejected', async () => {
  const { composer, lines } = setup();
  const err = await failure(composer, '党费每月5日前缴纳[9]。');
  assert.equal(err.message, 'Tongxin: no valid citation (markers [9] name no passage)');
  const logged = JSON.parse(lines.at(-1)!);
  assert.deepEqual([logged.msg, logged.reason, logged.reply], [
    'llm reply rejected',
    'Tongxin: no valid citation (markers [9] name no passage)',
    '党费每月5日前缴纳[9]。',
  ]);
});

test('an invented number is rejected', async () => {
  const { composer } = setup();
  assert.equal((await failure(composer, '完成率达到98%的支部予以表扬[2]。')).message, 'Tongxin: invented number 98%');
  assert.equal((await failure(composer, '全区共配备网格员1,300名[1]。')).message, 'Tongxin: invented number 1,300');
});

test('an empty reply is rejected', async () => {
  const { composer } = setup();
  assert.equal((await failure(composer, '   ')).message, 'Tongxin: empty reply');
});

test('HTTP 500 and 429 are LlmErrors with their status', async () => {
  const { composer } = setup();
  server.enqueue({ status: 500 });
  const e500 = await failure(composer);
  assert.deepEqual([e500.message, e500.status], ['Tongxin: HTTP 500: scripted status 500', 500]);
  server.enqueue({ status: 429, headers: { 'retry-after': '20' } });
  const e429 = await failure(composer);
  assert.deepEqual([e429.message, e429.status], ['Tongxin: rate limited (HTTP 429, retry after 20s)', 429]);
});

test('a hanging server gives a timeout LlmError', async () => {
  const { composer } = setup({ timeoutMs: 300 });
  server.enqueue({ hangMs: 2000 });
  const err = await failure(composer);
  assert.deepEqual([err.message, err.status], ['Tongxin: timed out after 300 ms (LLM_TIMEOUT_MS)', undefined]);
});

test('garbage and choice-less bodies give malformed-reply LlmErrors', async () => {
  const { composer } = setup();
  server.enqueue({ garbage: 'upstream error' });
  assert.equal((await failure(composer)).message, 'Tongxin: malformed reply: body is not JSON');
  server.enqueue({ json: { error: null } });
  assert.equal((await failure(composer)).message, 'Tongxin: malformed reply: no choices');
});

test('a closed port gives a connection LlmError', async () => {
  const baseURL = await unusedBaseURL();
  const { composer } = setup({ baseURL });
  const err = await failure(composer);
  assert.deepEqual([err.message, err.status], [`Tongxin: connection failed: connect ECONNREFUSED ${new URL(baseURL).host}`, undefined]);
});

test('the key is sent to the server but never appears in errors or log lines', async () => {
  const { composer, lines } = setup();
  const seen = server.requests.length;
  server.enqueue({ status: 401, error: `Incorrect API key provided: ${KEY}. You can find your key at …` });
  const err = await failure(composer);
  assert.equal(server.requests[seen]!.headers.authorization, `Bearer ${KEY}`);
  assert.equal(err.message, 'Tongxin: HTTP 401: Incorrect API key provided: ***. You can find your key at …');
  assert.ok(lines.length > 0);
  for (const text of [err.message, String(err.stack), String(err.cause), ...lines]) {
    assert.equal(text.includes(KEY), false, text);
  }
});
