/**
 * The WeCom channel end to end: the real SDK against the loopback server speaking document
 * 101463's frames, over the real knowledge base. Askers other than the knowledge base are real
 * implementations of the Asker port wrapping it (a gate to hold a question in flight).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Answer, Asker, Citation } from '../../../src/answer/types.ts';
import { citationLocation } from '../../../src/answer/answer-text.ts';
import { helpText, REPLIES, sourceText } from '../../../src/chat/replies.ts';
import { THINKING_TEXT } from '../../../src/channels/wecom/stream-reply.ts';
import { WECOM_MAX_REPLY_CHARS } from '../../../src/channels/wecom/wecom-channel.ts';
import { splitReply } from '../../../src/chat/split-reply.ts';
import { settle, waitFor } from '../../chat/manual-clock.ts';
import { GatedAsker } from '../../helpers/gated-asker.ts';
import { REPO_ROOT } from '../../helpers/kb-fixture.ts';
import { summarize } from '../../../scripts/lib/bench-stats.ts';
import { groupText, privateText, startWecom, useKnowledgeBase, type WecomHarness } from './wecom-harness.ts';
import type { ReceivedFrame } from './wecom-server.ts';

const knowledgeBase = useKnowledgeBase();

const Q = '什么是三会一课';

/** The markdown WeCom should show for an answer: the body, then the sources as a list. */
function markdown(a: Answer): string {
  if (a.citations.length === 0) return a.answer;
  const list = a.citations.map((c: Citation) => `- [${c.n}]《${c.title}》${citationLocation(c)}`);
  const body = a.answer.slice(0, a.answer.length - sourcesLength(a)).trimEnd();
  return [...(body ? [body, ''] : []), '**来源**', ...list].join('\n');
}
const sourcesLength = (a: Answer) => a.answer.length - a.answer.lastIndexOf('来源：');

/** The one reply frame a quick answer gets: a stream finished at once. */
function finalFrame(reqId: string, streamId: string, content: string) {
  return { cmd: 'aibot_respond_msg', headers: { req_id: reqId }, body: { msgtype: 'stream', stream: { id: streamId, finish: true, content } } };
}
/** The finishing frame among a callback's reply frames. */
const final = (frames: ReceivedFrame[]) => frames.find((f) => f.body?.stream?.finish === true)!;
const shape = (f: { cmd: string; headers: unknown; body?: unknown }) => ({ cmd: f.cmd, headers: f.headers, body: f.body });

async function withWecom(fn: (h: WecomHarness) => Promise<void>, options: Partial<Parameters<typeof startWecom>[0]> = {}): Promise<WecomHarness> {
  const h = await startWecom({ asker: knowledgeBase(), ...options });
  try {
    await fn(h);
  } finally {
    await h.stop();
  }
  return h;
}

test('a group message that @-mentions the bot gets one stream reply: the answer in markdown, sources as a list', async () => {
  await withWecom(async (h) => {
    const reqId = h.server.pushMessage(groupText('alice', `@同心 ${Q}`));
    const frames = await h.answered(reqId);
    const expected = await knowledgeBase().ask(Q);
    assert.ok(expected.citations.length > 0, 'the fixture question has sources');
    assert.equal(frames.length, 1);
    const streamId = frames[0]!.body!.stream.id as string;
    assert.match(streamId, /^stream_\d+_/);
    assert.deepEqual(shape(frames[0]!), finalFrame(reqId, streamId, markdown(expected)));
    // A quick answer cancels the holding frame: time passing afterwards sends nothing more.
    await h.clock.advance(5_000);
    await h.channel.engine.idle();
    await settle();
    assert.equal(h.server.replies(reqId).length, 1);
  });
});

test('a private chat message is a question too', async () => {
  await withWecom(async (h) => {
    const reqId = h.server.pushMessage(privateText('bob', '党费怎么交'));
    const frames = await h.answered(reqId);
    assert.equal(frames.length, 1);
    assert.deepEqual(shape(frames[0]!), finalFrame(reqId, frames[0]!.body!.stream.id, markdown(await knowledgeBase().ask('党费怎么交'))));
  });
});

test('原文 N shows the source of the asker\'s own last answer in that chat only', async () => {
  await withWecom(async (h) => {
    const answer = await knowledgeBase().ask(Q);
    const first = await h.answered(h.server.pushMessage(groupText('alice', `@同心 ${Q}`)));
    assert.equal(first.length, 1);
    const source = await h.answered(h.server.pushMessage(groupText('alice', '@同心 原文 1')));
    const [heading, ...rest] = sourceText(answer.citations[0]!).split('\n');
    assert.equal(final(source).body!.stream.content, [`**${heading}**`, ...rest].join('\n'));
    // Bob asked nothing in this group; Alice asked nothing in private.
    const bob = await h.answered(h.server.pushMessage(groupText('bob', '@同心 原文 1')));
    assert.equal(final(bob).body!.stream.content, REPLIES.noSource);
    const alicePrivate = await h.answered(h.server.pushMessage(privateText('alice', '原文 1')));
    assert.equal(final(alicePrivate).body!.stream.content, REPLIES.noSource);
    const outOfRange = await h.answered(h.server.pushMessage(groupText('alice', '@同心 原文 9')));
    assert.equal(final(outOfRange).body!.stream.content, `上一条回答没有第 9 条来源（共 ${answer.citations.length} 条），请回复“原文 1”到“原文 ${answer.citations.length}”。`);
  });
});


test('an answer slower than a second first shows 正在查找…, then finishes that same stream', async () => {
  const gated = new GatedAsker(knowledgeBase());
  await withWecom(
    async (h) => {
      const reqId = h.server.pushMessage(groupText('alice', `@同心 ${Q}`));
      await waitFor(() => h.lines('message').length === 1, 'the question queued');
      await h.clock.advance(999);
      assert.equal(h.server.replies(reqId).length, 0, 'nothing before a second');
      await h.clock.advance(1);
      await waitFor(() => h.server.replies(reqId).length === 1, 'the holding frame');
      const [holding] = h.server.replies(reqId);
      const streamId = holding!.body!.stream.id as string;
      assert.deepEqual(shape(holding!), { cmd: 'aibot_respond_msg', headers: { req_id: reqId }, body: { msgtype: 'stream', stream: { id: streamId, finish: false, content: THINKING_TEXT } } });
      gated.open();
      const frames = await h.answered(reqId);
      assert.equal(frames.length, 2);
      assert.deepEqual(shape(frames[1]!), finalFrame(reqId, streamId, markdown(await knowledgeBase().ask(Q))));
    },
    { asker: gated },
  );
});

test('entering the private chat gets the 帮助 text as the welcome', async () => {
  await withWecom(async (h) => {
    const reqId = h.server.pushEvent({ chattype: 'single', from: { userid: 'carol' }, event: { eventtype: 'enter_chat' } });
    await waitFor(() => h.server.sent('aibot_respond_welcome_msg').length === 1, 'the welcome');
    const [welcome] = h.server.sent('aibot_respond_welcome_msg');
    assert.deepEqual(shape(welcome!), { cmd: 'aibot_respond_welcome_msg', headers: { req_id: reqId }, body: { msgtype: 'text', text: { content: helpText(knowledgeBase().stats(), []) } } });
    // 帮助 on WeCom offers no keyword: only @-mentions reach the bot in a group.
    assert.ok(welcome!.body!.text.content.includes('在群里请@我提问；私聊可直接提问。'));
  });
});

test('a picture, a file, voice and a mixed message each get one polite text reply; a redelivery none', async () => {
  await withWecom(async (h) => {
    const kinds = [
      { chattype: 'single', from: { userid: 'u1' }, msgtype: 'image', image: { url: 'https://example.invalid/i', aeskey: 'k' } },
      { chattype: 'single', from: { userid: 'u2' }, msgtype: 'file', file: { url: 'https://example.invalid/f', aeskey: 'k' } },
      { chattype: 'single', from: { userid: 'u3' }, msgtype: 'voice', voice: { content: '党费怎么交' } },
      { chatid: 'wrkgrp-1', chattype: 'group', from: { userid: 'u4' }, msgtype: 'mixed', mixed: { msg_item: [{ msgtype: 'text', text: { content: '@同心 看图' } }, { msgtype: 'image', image: { url: 'https://example.invalid/m' } }] } },
    ];
    const reqIds = kinds.map((k) => h.server.pushMessage(k));
    for (const reqId of reqIds) {
      const frames = await h.answered(reqId);
      assert.deepEqual(shape(frames[0]!), finalFrame(reqId, frames[0]!.body!.stream.id, REPLIES.textOnly));
    }
    // The same msgid again (a redelivery) is not answered twice.
    const again = h.server.pushMessage({ ...kinds[0], msgid: 'img-dup' });
    await h.answered(again);
    const dup = h.server.pushMessage({ ...kinds[0], msgid: 'img-dup' });
    await h.clock.advance(2_000);
    await settle();
    await waitFor(() => h.lines('wecom non-text message: notice withheld').length === 1, 'the redelivery seen');
    assert.equal(h.server.replies(dup).length, 0);
  });
});

test('a burst in one group under pacing: every question answered exactly once, 2 s apart', async () => {
  const people = Array.from({ length: 12 }, (_, i) => `resident${i + 1}`);
  await withWecom(
    async (h) => {
      const reqIds = people.map((p) => h.server.pushMessage(groupText(p, `@同心 ${Q}`)));
      await waitFor(() => h.lines('message').length === people.length, 'all queued');
      const t0 = h.clock.now();
      const finals = () => h.server.frames.filter((f) => f.cmd === 'aibot_respond_msg' && f.body?.stream?.finish === true);
      const expected = markdown(await knowledgeBase().ask(Q));
      // Manual time in half-second steps, real time between them for the socket.
      for (let step = 0; finals().length < people.length && step < 400; step++) {
        await new Promise((r) => setTimeout(r, 10));
        if (finals().length < people.length) await h.clock.advance(500);
      }
      await waitFor(() => finals().length === people.length, 'every answer');
      for (const reqId of reqIds) {
        const frames = h.server.replies(reqId);
        const done = frames.filter((f) => f.body?.stream?.finish === true);
        assert.equal(done.length, 1, `one answer for ${reqId}`);
        assert.equal(done[0]!.body!.stream.content, expected);
        // Any holding frame came first, on the same stream.
        for (const f of frames.slice(0, -1)) assert.deepEqual(f.body!.stream, { id: done[0]!.body!.stream.id, finish: false, content: THINKING_TEXT });
      }
      // The engine clock when each answer arrived: never before its send, so answer i can only
      // arrive 2 s × i or more after the burst if the pacer spaced the sends 2 s apart.
      const arrivedAt = finals().map((f) => f.clock! - t0);
      arrivedAt.forEach((ms, i) => assert.ok(ms >= 2_000 * i, `answer ${i + 1} at ${ms} ms: ${arrivedAt.join(', ')}`));
      assert.equal(h.lines('sending a reply failed').length, 0);
    },
    { env: { BOT_QUEUE_SIZE: '20', BOT_COOLDOWN_MS: '10000' } },
  );
});

test('reply latency over the loopback socket: each bundled eval question, from its own resident, answered exactly (figures as a diagnostic)', async (t) => {
  const questions = (await readFile(path.join(REPO_ROOT, 'eval/questions.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { q: string }).q);
  await withWecom(async (h) => {
    const ms: number[] = [];
    for (const [i, q] of questions.entries()) {
      const reqId = h.server.pushMessage(privateText(`resident-${i}`, q));
      const frames = await h.answered(reqId);
      assert.equal(frames.length, 1);
      const done = final(frames);
      ms.push(done.at - h.server.pushedAt.get(reqId)!);
      assert.equal(done.body!.stream.content, markdown(await knowledgeBase().ask(q)));
    }
    const s = summarize(ms);
    // From the callback frame leaving the server to the finishing stream frame arriving back.
    t.diagnostic(`wecom reply latency over ${s.n} questions: p50 ${s.p50} ms, p95 ${s.p95} ms, p99 ${s.p99} ms, max ${Math.max(...ms).toFixed(1)} ms`);
  });
});

test('staff commands: 状态 from a BOT_ADMINS userid in private chat, refused in a group', async () => {
  await withWecom(
    async (h) => {
      const status = final(await h.answered(h.server.pushMessage(privateText('zhangsan', '状态'))));
      assert.match(status.body!.stream.content, /^【运行状态】\n文件：\d+ 份；段落：\d+ 段\n/);
      const inGroup = final(await h.answered(h.server.pushMessage(groupText('zhangsan', '@同心 状态'))));
      assert.equal(inGroup.body!.stream.content, REPLIES.staffOnly);
      const notAdmin = final(await h.answered(h.server.pushMessage(privateText('lisi', '状态'))));
      assert.equal(notAdmin.body!.stream.content, REPLIES.staffOnly);
    },
    { env: { BOT_ADMINS: 'zhangsan' } },
  );
});

test('with BOT_PRIVATE=off a private question gets no frame at all, not even 正在查找…', async () => {
  await withWecom(
    async (h) => {
      const reqId = h.server.pushMessage(privateText('bob', Q));
      await waitFor(() => h.lines('message').length === 1, 'the message read');
      assert.equal(h.lines('message')[0]!.outcome, 'ignored:private');
      await h.clock.advance(10_000);
      await settle();
      assert.equal(h.server.replies(reqId).length, 0);
    },
    { env: { BOT_PRIVATE: 'off' } },
  );
});

test('an answer that never comes: 正在查找… is finished with the error text after 5 minutes, logged', async () => {
  const never = new GatedAsker(knowledgeBase());
  await withWecom(
    async (h) => {
      const reqId = h.server.pushMessage(groupText('alice', `@同心 ${Q}`));
      await waitFor(() => h.lines('message').length === 1, 'the question queued');
      await h.clock.advance(1_000);
      await waitFor(() => h.server.replies(reqId).length === 1, 'the holding frame');
      await h.clock.advance(5 * 60_000 - 1);
      await settle();
      assert.equal(h.server.replies(reqId).length, 1);
      await h.clock.advance(1);
      const frames = await h.answered(reqId);
      assert.deepEqual(frames.map((f) => f.body!.stream), [
        { id: frames[0]!.body!.stream.id, finish: false, content: THINKING_TEXT },
        { id: frames[0]!.body!.stream.id, finish: true, content: REPLIES.error },
      ]);
      assert.equal(h.lines('wecom stream still open after 5 minutes with no answer; finishing it with the error text').length, 1);
    },
    { asker: never },
  );
});

test('a reply WeCom refuses is logged by the engine with the errcode, and the channel keeps answering', async () => {
  await withWecom(async (h) => {
    h.server.replyAck = { errcode: 846608, errmsg: 'stream expired' };
    const refused = h.server.pushMessage(privateText('alice', Q));
    await h.answered(refused);
    await waitFor(() => h.lines('sending a reply failed').length === 1, 'the failure logged');
    const failure = h.lines('sending a reply failed')[0]!;
    assert.deepEqual(failure.err, { name: 'TongxinError', message: 'Tongxin: WeCom refused the reply: errcode 846608 (stream expired)', code: 'CHANNEL_FAILED' });
    h.server.replyAck = { errcode: 0, errmsg: 'ok' };
    const next = final(await h.answered(h.server.pushMessage(privateText('bob', Q))));
    assert.equal(next.body!.stream.content, markdown(await knowledgeBase().ask(Q)));
  });
});

test('an answer over 4000 characters goes as up to three stream messages, each finished, on one req_id', async () => {
  const q = '梨树县的“五个一”是什么？';
  // A very long answer: the retrieved passages, ten times over, then the real source list.
  const verbose: Asker = {
    ask: async (question, o) => {
      const a = await knowledgeBase().ask(question, o);
      const body = a.retrieved.map((p) => p.text).join('').repeat(10);
      return { ...a, body, answer: body + a.answer.slice(a.body.length) };
    },
    stats: () => knowledgeBase().stats(),
    reload: () => knowledgeBase().reload(),
  };
  await withWecom(
    async (h) => {
      const a = await verbose.ask(q);
      const parts = splitReply(a.answer, a.body, { maxChars: WECOM_MAX_REPLY_CHARS, maxParts: 3 });
      assert.equal(parts.length, 3);
      const reqId = h.server.pushMessage(groupText('alice', `@同心 ${q}`));
      const frames = (await h.answered(reqId, 3)).filter((f) => f.body?.stream?.finish === true);
      assert.equal(new Set(frames.map((f) => f.body!.stream.id)).size, 3, 'a new stream for each part');
      assert.deepEqual(frames.slice(0, 2).map((f) => f.body!.stream.content), parts.slice(0, 2));
      assert.equal(frames[2]!.body!.stream.content, markdown({ ...a, answer: parts[2]! }));
      assert.ok(frames.every((f) => Buffer.byteLength(f.body!.stream.content) <= 20_480), 'each within a stream message');
    },
    { asker: verbose },
  );
});
