import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { mpSignature } from '../../../src/channels/mp/mp-crypto.ts';
import { MP_REPLIES } from '../../../src/channels/mp/mp-replies.ts';
import { helpText, REPLIES } from '../../../src/chat/replies.ts';
import type { QaRecord } from '../../../src/chat/qa-log.ts';
import { openKnowledgeBase } from '../../../src/knowledge-base.ts';
import { createOpenAIChatModel } from '../../../src/llm/openai-chat-model.ts';
import { silentLogger } from '../../../src/log.ts';
import { GatedAsker } from '../../helpers/gated-asker.ts';
import { startOpenAIChatServer } from '../../helpers/openai-chat-server.ts';
import { makeCorpus, useKnowledgeBase } from '../wechat-harness.ts';
import { startMp, type MpHarness } from './mp-harness.ts';
import { ACCOUNT, MP_PATH, pushXml, TOKEN, type Mode } from './wechat-push.ts';

const knowledgeBase = useKnowledgeBase();

const Q = '什么是三会一课';
const now = () => Math.floor(Date.now() / 1000);

async function withMp(mode: Mode, fn: (h: MpHarness) => Promise<void>, env: Record<string, string> = {}): Promise<void> {
  const h = await startMp({ asker: knowledgeBase(), mode, env });
  try {
    await fn(h);
  } finally {
    await h.stop();
  }
}

test('GET verification echoes echostr only for a valid signature within the time window', async () => {
  await withMp('safe', async (h) => {
    assert.deepEqual(await h.wechat.verify('4375120948345356249'), { status: 200, body: '4375120948345356249' });
    assert.equal((await h.wechat.verify('1', { signature: 'f464b24fc39322e44b38aa78f5edd27bd1441696' })).status, 403);
    const stale = now() - 301;
    assert.equal((await h.wechat.verify('1', h.wechat.query(stale, '1514711492'))).status, 403);
    assert.deepEqual(h.refusals(), ['bad signature', `timestamp ${stale} outside the 300 s window`]);
  });
});

for (const mode of ['plaintext', 'compatible', 'safe'] as const) {
  test(`a text message is answered in the passive reply (${mode} mode)`, async () => {
    await withMp(mode, async (h) => {
      const reply = await h.wechat.push({ from: 'oFollowerA', content: Q, msgId: '6054768590064713728' }, { mode });
      assert.equal(reply.status, 200);
      assert.equal(reply.sealed, mode !== 'plaintext');
      const fields = reply.fields!;
      assert.deepEqual(
        [fields.ToUserName, fields.FromUserName, fields.MsgType, fields.Content],
        ['oFollowerA', ACCOUNT, 'text', (await knowledgeBase().ask(Q)).answer],
      );
      assert.match(fields.CreateTime!, /^\d{10}$/);
      assert.deepEqual(h.asker.calls, [[Q, {}]]);
    });
  });
}

test('WeChat retries of one message share one engine call and get the same reply', async () => {
  await withMp('safe', async (h) => {
    const push = { from: 'oFollowerB', content: Q, msgId: '7000000000000000001' };
    const ts = now();
    // Two deliveries of one request at once (the same URL and body), then a retry with its own URL.
    const again = { mode: 'safe', timestamp: ts, nonce: '111', xml: pushXml({ ...push, createTime: ts }), random: Buffer.alloc(16, 7) } as const;
    const [first, second] = await Promise.all([h.wechat.push(push, again), h.wechat.push(push, again)]);
    const third = await h.wechat.push(push, { mode: 'safe', nonce: '222' });
    const expected = (await knowledgeBase().ask(Q)).answer;
    assert.deepEqual([first.fields?.Content, second.fields?.Content, third.fields?.Content], [expected, expected, expected]);
    assert.equal(h.asker.calls.length, 1);
    // An event has no MsgId: FromUserName + CreateTime make its key.
    const sub = { from: 'oFollowerB', event: 'subscribe', createTime: ts };
    const a = await h.wechat.push(sub, { mode: 'safe' });
    const b = await h.wechat.push(sub, { mode: 'safe' });
    assert.equal(a.fields?.Content, b.fields?.Content);
    assert.equal(h.asker.calls.length, 1);
  });
});

test('forged, stale, replayed, oversized and hostile requests are refused before the engine', async () => {
  const xxe =
    '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
    `<xml><ToUserName>${ACCOUNT}</ToUserName><FromUserName>oEvil</FromUserName><CreateTime>${now()}</CreateTime>` +
    '<MsgType>text</MsgType><Content>&xxe;</Content><MsgId>1</MsgId></xml>';
  const laughs = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><xml><Content>&lol2;</Content></xml>';
  const push = (n: number) => ({ from: 'oEvil', content: Q, msgId: String(8_000_000 + n) });

  await withMp('plaintext', async (h) => {
    const w = h.wechat;
    const statuses = [
      (await w.push(push(1), { mode: 'plaintext', query: { signature: mpSignature('wrong-token', String(now()), '1') } })).status,
      (await w.push(push(2), { mode: 'plaintext', timestamp: now() - 600 })).status,
      (await w.push(push(3), { mode: 'plaintext', timestamp: now() + 600 })).status,
      (await w.push(push(4), { mode: 'plaintext', query: { timestamp: '' } })).status,
    ];
    // A captured URL used again for another message.
    const ts = now();
    await w.push({ from: 'oFollowerC', event: 'unsubscribe' }, { mode: 'plaintext', timestamp: ts, nonce: '999' });
    statuses.push((await w.push(push(5), { mode: 'plaintext', timestamp: ts, nonce: '999' })).status);
    statuses.push((await w.push(push(6), { mode: 'plaintext', rawBody: '<xml><Content>unclosed' })).status);
    statuses.push((await w.push(push(7), { mode: 'plaintext', rawBody: xxe })).status);
    statuses.push((await w.push(push(8), { mode: 'plaintext', rawBody: laughs })).status);
    statuses.push((await w.push(push(9), { mode: 'plaintext', rawBody: 'not xml at all' })).status);
    statuses.push((await w.push(push(10), { mode: 'plaintext', rawBody: '<xml><Content>x</Content></xml>' })).status);
    statuses.push((await w.push(push(11), { mode: 'plaintext', rawBody: `<xml>${'<A>x</A>'.repeat(10_000)}</xml>` })).status);
    // The same body streamed without a Content-Length.
    const chunked = new URLSearchParams(w.query(now(), '6')).toString();
    statuses.push((await w.request('POST', `${MP_PATH}?${chunked}`, 'x'.repeat(80_011), { 'transfer-encoding': 'chunked' })).status);
    statuses.push((await w.push(push(12), { mode: 'safe' })).status);
    const q = new URLSearchParams(w.query(now(), '5')).toString();
    statuses.push((await w.request('POST', `/other?${q}`, pushXml(push(13)))).status);
    statuses.push((await w.request('PUT', `${MP_PATH}?${q}`, pushXml(push(14)))).status);
    assert.deepEqual(statuses, [403, 403, 403, 400, 403, 400, 400, 400, 400, 400, 413, 413, 403, 404, 405]);
    const reasons = h.refusals().map((r) => r.replace(/timestamp \d+/, 'timestamp T').replace(/line \d+/, 'line N'));
    assert.deepEqual(reasons, [
      'bad signature',
      'timestamp T outside the 300 s window',
      'timestamp T outside the 300 s window',
      'timestamp or nonce missing',
      'nonce replayed with another body',
      `malformed XML: Invalid '[    "xml",    "Content"]' found. (line N)`,
      'DOCTYPE or entity declaration',
      'DOCTYPE or entity declaration',
      "malformed XML: char 'n' is not expected. (line N)",
      'message without FromUserName',
      'body of 80011 bytes',
      'body over 65536 bytes',
      'encrypted push but MP_ENCODING_AES_KEY is empty: set it to the EncodingAESKey of 基本配置',
      'path /other is not MP_PATH',
      'method PUT',
    ]);
    assert.deepEqual(h.asker.calls, []);
  });

  await withMp('safe', async (h) => {
    const w = h.wechat;
    const statuses = [
      (await w.push(push(20), { mode: 'safe', appId: 'wxAnotherAccount0001' })).status,
      (await w.push(push(21), { mode: 'safe', query: { msg_signature: mpSignature(TOKEN, '1', '2', 'x') } })).status,
      (await w.push(push(22), { mode: 'plaintext' })).status,
      (await w.push(push(23), { mode: 'safe', rawBody: `<xml><ToUserName>${ACCOUNT}</ToUserName></xml>` })).status,
    ];
    assert.deepEqual(statuses, [403, 403, 403, 400]);
    assert.deepEqual(h.refusals(), [
      'sealed for appid wxAnotherAccount0001, not MP_APP_ID',
      'bad msg_signature',
      'plaintext push while MP_ENCODING_AES_KEY is set',
      'encrypt_type=aes without an Encrypt element',
    ]);
    assert.deepEqual(h.asker.calls, []);
  });
});

test('subscribe gets the welcome with 帮助, other types a polite text, other events nothing', async () => {
  await withMp('compatible', async (h) => {
    const w = h.wechat;
    const welcome = await w.push({ from: 'oNew', event: 'subscribe' }, { mode: 'compatible' });
    assert.equal(welcome.fields?.Content, MP_REPLIES.welcome + helpText(knowledgeBase().stats(), ['党建问答'], MP_REPLIES.howToAsk));
    const image = await w.push({ from: 'oNew', msgType: 'image', msgId: '9000000000000000001' }, { mode: 'compatible' });
    assert.equal(image.fields?.Content, MP_REPLIES.notText);
    const click = await w.push({ from: 'oNew', event: 'CLICK' }, { mode: 'compatible' });
    assert.deepEqual([click.status, click.body], [200, 'success']);
    assert.deepEqual(h.asker.calls, []);
  });
});

test('no cooldown on mp: one person asks back to back, up to MP_MAX_PER_MINUTE, then is declined politely', async () => {
  await withMp(
    'plaintext',
    async (h) => {
      const contents: string[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await h.wechat.push({ from: 'oBusy', content: Q, msgId: String(9_100_000 + i) }, { mode: 'plaintext' });
        contents.push(r.fields!.Content!);
      }
      const answer = (await knowledgeBase().ask(Q)).answer;
      assert.deepEqual(contents, [answer, answer, answer, REPLIES.rateLimited]);
      assert.equal(h.asker.calls.length, 3);
      // Another person is not held to the first one's limit.
      const other = await h.wechat.push({ from: 'oCalm', content: Q, msgId: '9100009' }, { mode: 'plaintext' });
      assert.equal(other.fields?.Content, answer);

      await h.channel.stop();
      const files = (await readdir(h.logDir)).filter((f) => f.endsWith('.jsonl'));
      const records = (await readFile(path.join(h.logDir, files[0]!), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as QaRecord);
      assert.deepEqual(
        records.map((r) => [r.channel, r.outcome, r.declined ?? null]),
        [['mp', 'answered', null], ['mp', 'answered', null], ['mp', 'answered', null], ['mp', 'declined', 'rate'], ['mp', 'answered', null]],
      );
    },
    { MP_MAX_PER_MINUTE: '3', BOT_COOLDOWN_MS: '10000' },
  );
});

test('with a model configured but not done in time, the offline answer is the passive reply', async (t) => {
  const server = await startOpenAIChatServer();
  t.after(() => server.close());
  server.setDefault({ hangMs: 5_000 });
  const chatModel = createOpenAIChatModel({ baseURL: server.baseURL, apiKey: 'sk-test', model: 'm', timeoutMs: 20_000, logger: silentLogger });
  const corpus = await makeCorpus();
  const llmKb = await openKnowledgeBase({ indexDir: corpus.indexDir, config: corpus.config, embedder: null, chatModel });
  t.after(async () => {
    await llmKb.close();
    await corpus.cleanup();
  });
  const h = await startMp({ asker: llmKb, mode: 'safe', env: { OPENAI_BASE_URL: server.baseURL }, replyWithinMs: 1_500 });
  try {
    const reply = await h.wechat.push({ from: 'oFollowerD', content: Q, msgId: '9200000000000000001' }, { mode: 'safe' });
    assert.equal(reply.fields?.Content, (await knowledgeBase().ask(Q)).answer);
    assert.deepEqual(h.asker.calls, [[Q, { offline: true }], [Q, {}]]);
    assert.equal(server.requests.length, 1);
    assert.equal(h.logs.filter((l) => l.msg === 'model answer not ready in time; answering offline').length, 1);
  } finally {
    await h.stop();
  }
});

test('a question pushed while the server was down is answered on its retry; older backlog is not', async () => {
  await withMp('safe', async (h) => {
    // CreateTime is the follower's send time: 10 s ago the server was not listening yet.
    const retried = await h.wechat.push({ from: 'oFollowerE', content: Q, msgId: '9300000000000000001', createTime: now() - 10 }, { mode: 'safe' });
    assert.equal(retried.fields?.Content, (await knowledgeBase().ask(Q)).answer);
    const stale = await h.wechat.push({ from: 'oFollowerE', content: Q, msgId: '9300000000000000002', createTime: now() - 60 }, { mode: 'safe' });
    assert.deepEqual([stale.status, stale.body], [200, 'success']);
    assert.equal(h.asker.calls.length, 1);
  });
});

test('an engine too busy to answer by the deadline sends the busy notice, and a retry does not ask again', async () => {
  const gated = new GatedAsker(knowledgeBase());
  const h = await startMp({ asker: gated, mode: 'plaintext', replyWithinMs: 300 });
  try {
    const push = { from: 'oFollowerF', content: Q, msgId: '9400000000000000001' };
    const first = await h.wechat.push(push, { mode: 'plaintext' });
    assert.equal(first.fields?.Content, MP_REPLIES.late);
    gated.open();
    const retry = await h.wechat.push(push, { mode: 'plaintext' });
    assert.equal(retry.fields?.Content, (await knowledgeBase().ask(Q)).answer);
    assert.equal(h.asker.calls.length, 1);
    assert.equal(h.logs.filter((l) => l.msg === 'passive reply not ready within the deadline; sent the busy notice').length, 1);
  } finally {
    gated.open();
    await h.stop();
  }
});

