// The model is shown where each numbered passage sits (第二章 第十一条, 第1页), the same label its
// citation prints, and every grounding check still runs on its reply. Real ingest of a regulation
// and a PDF, the real OpenAI adapter, a loopback server speaking the protocol.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { passageLabel } from '../../src/answer/answer-text.ts';
import type { KnowledgeBase } from '../../src/knowledge-base.ts';
import { createOpenAIChatModel } from '../../src/llm/openai-chat-model.ts';
import { buildKbFixture, REPO_ROOT, type KbFixture } from '../helpers/kb-fixture.ts';
import { startOpenAIChatServer, type OpenAIChatServer } from '../helpers/openai-chat-server.ts';

const REGULATION = [
  '---',
  'title: 社区党支部工作办法',
  '---',
  '第一章 总则',
  '第一条 为了加强社区党支部建设，制定本办法。',
  '第二章 组织设置',
  '第十一条 社区党支部委员会由三至五名委员组成，任期三年。',
  '第十二条 党员人数超过五十名的社区，经上级党组织批准，可以设立党总支部。',
  '',
].join('\n');
const Q = '党支部委员会由几名委员组成？';

let corpus: string;
let kb: KbFixture;
let base: KnowledgeBase;
let server: OpenAIChatServer;

before(async () => {
  server = await startOpenAIChatServer();
  corpus = await mkdtemp(path.join(os.tmpdir(), 'tongxin-labels-'));
  await writeFile(path.join(corpus, '社区党支部工作办法.md'), REGULATION);
  await copyFile(path.join(REPO_ROOT, 'test/fixtures/docs/notice.pdf'), path.join(corpus, 'notice.pdf'));
  kb = await buildKbFixture({ corpusDir: corpus });
  const chatModel = createOpenAIChatModel({ baseURL: server.baseURL, apiKey: 'sk-test-labels', model: 'test', timeoutMs: 2000 });
  base = await kb.open({ chatModel });
});
after(async () => {
  await server.close();
  await kb.cleanup();
  await rm(corpus, { recursive: true, force: true });
});

test('each numbered passage in the request carries its article or page label', async () => {
  server.enqueue({ reply: '依照第十一条，社区党支部委员会由3-5名委员组成，任期3年[1]。' });
  const a = await base.ask(Q);
  assert.equal(a.fallbackReason, undefined);
  assert.equal(a.mode, 'llm');
  assert.equal(a.body, '依照第十一条，社区党支部委员会由3-5名委员组成，任期3年[1]。');
  assert.equal(a.answer, `${a.body}\n\n来源：\n[1]《社区党支部工作办法》第二章 第十一条`);
  const user = server.requests.at(-1)!.body.messages![1]!.content;
  // The line before each passage's text: its number, its document and where it sits there.
  const headers = user.split('\n').filter((l) => /^\[\d+\]《/.test(l));
  assert.deepEqual(headers, [
    '[1]《社区党支部工作办法》第二章 第十一条',
    '[2]《社区党支部工作办法》第一章 第一条',
    '[3]《社区党支部工作办法》第二章 第十二条',
    '[4]《关于在职党员到社区报到的通知》第1页',
  ]);
  a.retrieved.forEach((r, i) => assert.ok(user.includes(`[${i + 1}]《${r.title}》${passageLabel(r)}\n${r.text.trim()}`), `passage ${i + 1}`));
});

test('with labels in the prompt every grounding check still runs: an article or a figure the passages do not hold falls back', async () => {
  const offline = await base.ask(Q, { offline: true });
  const cases: Array<[string, string]> = [
    ['依照第九条，社区党支部委员会由三至五名委员组成[1]。', 'Tongxin: invented number 第9条'],
    ['社区党支部委员会由四至五名委员组成[1]。', 'Tongxin: invented number 4-5名'],
    ['社区党支部委员会任期六年[1]。', 'Tongxin: invented number 6年'],
    ['社区党支部委员会由三至五名委员组成[7]。', 'Tongxin: no valid citation (markers [7] name no passage)'],
  ];
  for (const [reply, reason] of cases) {
    server.enqueue({ reply });
    const a = await base.ask(Q);
    assert.equal(a.fallbackReason, reason, reply);
    assert.equal(a.mode, 'extractive');
    assert.equal(a.answer, offline.answer);
  }
});
