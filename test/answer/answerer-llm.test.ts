// The model path end to end: the bundled corpus, the real OpenAI adapter and a loopback server
// speaking the protocol. Every fault falls back to the offline answer with a reason.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { REFUSAL_TEXT } from '../../src/answer/answer-text.ts';
import type { ExplainedAnswer } from '../../src/answer/answerer.ts';
import { answerJson } from '../../src/channels/answer-json.ts';
import type { KnowledgeBase } from '../../src/knowledge-base.ts';
import { createOpenAIChatModel } from '../../src/llm/openai-chat-model.ts';
import { createLogger } from '../../src/log.ts';
import { buildKbFixture, type KbFixture } from '../helpers/kb-fixture.ts';
import { startOpenAIChatServer, type OpenAIChatServer } from '../helpers/openai-chat-server.ts';

const KEY = 'sk-test-7f3a9c1e5b2d';
const Q = '在职党员到社区报到的比例是多少？';
const TITLE = '“五个一”画出城市党建“同心圆”';

let kb: KbFixture;
let base: KnowledgeBase;
let server: OpenAIChatServer;
let offline: ExplainedAnswer;
const lines: string[] = [];
const answers: ExplainedAnswer[] = [];

before(async () => {
  server = await startOpenAIChatServer();
  kb = await buildKbFixture();
  // No `secrets` here: the adapter itself must keep the key out of every line.
  const logger = createLogger({ level: 'debug', format: 'json', write: (l) => lines.push(l) });
  // 2 s, not less: on a busy 2-core machine a prompt's round trip over loopback took over 300 ms,
  // and a good reply timed out (seen once in a full npm test run).
  const chatModel = createOpenAIChatModel({ baseURL: server.baseURL, apiKey: KEY, model: 'test', timeoutMs: 2000, logger });
  base = await kb.open({ logger, chatModel });
  offline = await base.ask(Q, { offline: true });
});
after(async () => {
  await server.close();
  await kb.cleanup();
});

async function ask(question = Q): Promise<ExplainedAnswer> {
  const a = await base.ask(question);
  answers.push(a);
  return a;
}

/** The model was tried and rejected: the offline answer, word for word, with the reason. */
async function assertFallback(reason: string): Promise<void> {
  const sent = server.requests.length;
  const a = await ask();
  assert.equal(server.requests.length, sent + 1);
  assert.equal(a.mode, 'extractive');
  assert.equal(a.refused, false);
  assert.equal(a.fallbackReason, reason);
  assert.equal(a.answer, offline.answer);
  assert.equal(a.body, offline.body);
  assert.deepEqual(a.citations, offline.citations);
}

test('offline, the answer is extractive and quotes 91.43%', () => {
  assert.equal(offline.mode, 'extractive');
  assert.ok(offline.body.includes('91.43%'));
  assert.equal(server.requests.length, 0);
});

test('a grounded reply is used; citations are renumbered from 1 in order of use', async () => {
  server.enqueue({ reply: '梨树县开展在职党员到社区报到行动。[2]报到比例达91.43%。[1]' });
  const a = await ask();
  assert.equal(a.mode, 'llm');
  assert.equal(a.refused, false);
  assert.equal(a.fallbackReason, undefined);
  assert.equal(a.body, '梨树县开展在职党员到社区报到行动。[1]报到比例达91.43%。[2]');
  assert.equal(a.answer, `${a.body}\n\n来源：\n[1]《${TITLE}》第6/9段\n[2]《${TITLE}》第7/9段`);
  // Passage [2] of the prompt is the first one used: it becomes [1].
  assert.deepEqual(
    a.citations.map((c) => ({ n: c.n, text: c.text, part: c.part })),
    [
      { n: 1, text: a.retrieved[1]!.text, part: 6 },
      { n: 2, text: a.retrieved[0]!.text, part: 7 },
    ],
  );

  const req = server.requests.at(-1)!;
  assert.equal(req.headers.authorization, `Bearer ${KEY}`);
  assert.equal(req.body.model, 'test');
  const user = req.body.messages?.[1]?.content ?? '';
  assert.ok(user.endsWith(`问题：${Q}\n\n请只根据以上资料回答，每句末尾标注来源编号；资料不能回答时只回复“无法回答”。`), user);
  // The five retrieved passages, numbered in retrieval order.
  a.retrieved.forEach((r, i) => assert.ok(user.includes(`[${i + 1}]《${r.title}》\n${r.text.trim()}`), `passage ${i + 1}`));
});

test('a reply citing one later passage: that passage is [1]', async () => {
  server.enqueue({ reply: '报到比例达91.43%。[1][1]' });
  const only = await ask();
  assert.equal(only.body, '报到比例达91.43%。[1]');
  assert.deepEqual(only.citations.map((c) => c.text), [only.retrieved[0]!.text]);
});

test('HTTP 500 → offline answer', async () => {
  server.enqueue({ status: 500 });
  await assertFallback('Tongxin: HTTP 500: scripted status 500');
});

test('HTTP 429 → offline answer', async () => {
  server.enqueue({ status: 429 });
  await assertFallback('Tongxin: rate limited (HTTP 429)');
});

test('a server hanging past timeoutMs → offline answer', async () => {
  server.enqueue({ hangMs: 6000, then: { reply: '报到比例达91.43%。[1]' } });
  await assertFallback('Tongxin: timed out after 2000 ms (LLM_TIMEOUT_MS)');
});

test('a body that is not JSON → offline answer', async () => {
  server.enqueue({ garbage: '<html><body>502 Bad Gateway</body></html>' });
  await assertFallback('Tongxin: malformed reply: body is not JSON');
  server.enqueue({ garbage: '<html>oops</html>', contentType: 'text/html' });
  await assertFallback('Tongxin: malformed reply: no choices');
});

test('an invented citation only ([9]) → offline answer', async () => {
  server.enqueue({ reply: '报到比例很高。[9]' });
  await assertFallback('Tongxin: no valid citation (markers [9] name no passage)');
});

test('an invented number (95.5%) → offline answer', async () => {
  server.enqueue({ reply: '报到比例达95.5%。[1]' });
  await assertFallback('Tongxin: invented number 95.5%');
});

test('a bracketed year is not a citation marker: it is checked as a number, never read as passage 2019', async () => {
  // The article dates the 四项清单 work to 2019; the reply cites the passage that says so.
  const question = '2019年梳理形成了什么清单？';
  const src = (await base.ask(question, { offline: true })).retrieved.findIndex((p) => p.text.includes('2019年'));
  assert.ok(src >= 0);
  server.enqueue({ reply: `[2019]年梨树县梳理形成“四项清单”。[${src + 1}]` });
  const a = await ask(question);
  assert.equal(a.fallbackReason, undefined);
  assert.equal(a.mode, 'llm');
  assert.equal(a.body, '[2019]年梨树县梳理形成“四项清单”。[1]');
  assert.deepEqual(a.citations.map((c) => c.n), [1]);
  // A bracketed year the cited passage does not hold is an invented number.
  server.enqueue({ reply: `[2016]年梨树县梳理形成“四项清单”。[${src + 1}]` });
  const b = await ask(question);
  assert.equal(b.mode, 'extractive');
  assert.equal(b.fallbackReason, 'Tongxin: invented number 2016');
});

test('an invented quantity in Chinese numerals (九十五) → offline answer', async () => {
  server.enqueue({ reply: '报到在职党员三千余人，组建志愿者服务队九十五个。[1]' });
  await assertFallback('Tongxin: invented number 九十五');
  server.enqueue({ reply: '报到在职党员三千余人，组建志愿者服务队九十四个。[1]' });
  const a = await ask();
  assert.equal(a.mode, 'llm');
  assert.equal(a.body, '报到在职党员三千余人，组建志愿者服务队九十四个。[1]');
});

test('the model declines (无法回答) → refused, no citations', async () => {
  server.enqueue({ reply: '无法回答' });
  const a = await ask();
  assert.deepEqual(
    { answer: a.answer, body: a.body, refused: a.refused, mode: a.mode, citations: a.citations, fallbackReason: a.fallbackReason },
    { answer: REFUSAL_TEXT, body: REFUSAL_TEXT, refused: true, mode: 'llm', citations: [], fallbackReason: undefined },
  );
});

test('refused by relevance, or an empty question: the model is never asked', async () => {
  server.setDefault({ reply: '党费按月缴纳。[1]' });
  try {
    const sent = server.requests.length;
    const a = await ask('党费怎么交？');
    assert.equal(a.answer, REFUSAL_TEXT);
    assert.equal(a.mode, 'extractive');
    const empty = await ask('😀');
    assert.equal(empty.refused, true);
    assert.equal(server.requests.length, sent);
  } finally {
    server.setDefault(undefined);
  }
});

test('a 401 that echoes the key → offline answer, key redacted', async () => {
  server.enqueue({ status: 401, error: `Incorrect API key provided: ${KEY}` });
  await assertFallback('Tongxin: HTTP 401: Incorrect API key provided: ***');
});

test('the API key is in no log line and no answer', () => {
  assert.ok(server.requests.length >= 10);
  assert.ok(lines.length >= 10);
  assert.ok(lines.some((l) => l.includes('"msg":"model answer not used, answering offline"')));
  for (const line of lines) assert.ok(!line.includes(KEY), line);
  assert.ok(answers.length >= 12);
  for (const a of answers) {
    assert.ok(!JSON.stringify(a).includes(KEY));
    assert.ok(!JSON.stringify(answerJson(a, { explain: true })).includes(KEY));
  }
});
