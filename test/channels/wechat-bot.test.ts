import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { types } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { createBot } from '../../src/channels/wechat-bot.ts';
import { loadConfig } from '../../src/config.ts';
import type { KnowledgeBase } from '../../src/knowledge-base.ts';
import { REPLIES } from '../../src/chat/replies.ts';
import { settle, waitFor } from '../chat/manual-clock.ts';
import { BOT_NAME, LEXICAL_ENV, makeCorpus, startHarness, withoutMention, type Corpus, type Harness } from './wechat-harness.ts';

let corpus: Corpus;
let kb: KnowledgeBase;
before(async () => {
  corpus = await makeCorpus();
  kb = await corpus.open();
});
after(async () => {
  await kb.close();
  await corpus.cleanup();
});

const Q = '什么是三会一课';
/** What the real core answers to Q, for exact comparisons. */
const expected = async (q = Q) => (await kb.ask(q)).answer;

async function withBot(fn: (h: Harness) => Promise<void>, env: Record<string, string> = {}): Promise<Harness> {
  const h = await startHarness({ asker: kb, env });
  try {
    await fn(h);
  } finally {
    await h.stop();
  }
  return h;
}

test('an @-mention in an allowed room is answered with the core answer, mentioning the asker', async () => {
  await withBot(async (h) => {
    const alice = h.contact('Alice');
    const room = h.room('党员之家', [alice]);
    h.say(alice, `@${BOT_NAME}\u2005${Q}`, room);
    await h.waitSent(1);
    assert.deepEqual(h.sentTo(room.id), [`@Alice ${await expected()}`]);
  });
});

test('the text fallback "@同心" + U+2005 or a space triggers when the puppet reports no mention ids', async () => {
  await withBot(async (h) => {
    const alice = h.contact('Alice');
    const room = h.room('党员之家', [alice]);
    h.say(alice, `@${BOT_NAME}\u2005${Q}`, room, false); // as WeChat writes it
    await h.waitSent(1);
    h.say(alice, `@${BOT_NAME} 党费怎么交`, room, false); // as some puppets pass it on
    await h.waitSent(2);
    assert.deepEqual(h.sentTo(room.id), [`@Alice ${await expected()}`, `@Alice ${await expected('党费怎么交')}`]);
    assert.equal(h.logs.some((l) => l.msg === 'message' && l.outcome === 'ignored:no-trigger'), false);
  });
});

test('a keyword at the start triggers; a quoted message is answered by its reply part', async () => {
  await withBot(async (h) => {
    const alice = h.contact('Alice');
    const room = h.room('党员之家', [alice]);
    h.say(alice, `党建问答 ${Q}`, room, false);
    await h.waitSent(1);
    h.say(alice, `「张三：开会通知」\n- - - - - - - - - - - - - - -\n党建问答：党费怎么交`, room, false);
    await h.waitSent(2);
    assert.deepEqual(h.sentTo(room.id), [`@Alice ${await expected()}`, `@Alice ${await expected('党费怎么交')}`]);
  });
});

test('silence without a trigger, in rooms not allowed, for own, non-text, old, backlog and duplicate messages', async () => {
  await withBot(async (h) => {
    const alice = h.contact('Alice');
    const room = h.room('党员之家', [alice]);
    const other = h.room('闲聊群', [alice]);
    h.say(alice, Q, room, false); // no trigger
    h.say(alice, `@${BOT_NAME}\u2005${Q}`, other); // room not allowed
    h.deliver({ id: 'own-1', talkerId: h.me.id, roomId: room.id, text: `@${BOT_NAME}\u2005${Q}`, timestamp: Date.now(), mentionIdList: [h.me.id] });
    h.deliver({ id: 'img-1', talkerId: alice.id, roomId: room.id, timestamp: Date.now(), type: types.Message.Image, mentionIdList: [h.me.id] });
    h.deliver({ id: 'old-1', talkerId: alice.id, roomId: room.id, text: `@${BOT_NAME}\u2005${Q}`, timestamp: h.clock.now() - 200_000, mentionIdList: [h.me.id] });
    h.deliver({ id: 'backlog-1', talkerId: alice.id, roomId: room.id, text: `@${BOT_NAME}\u2005${Q}`, timestamp: h.clock.now() - 5_000, mentionIdList: [h.me.id] });
    // The same message id twice: answered once.
    h.deliver({ id: 'dup-1', talkerId: alice.id, roomId: room.id, text: `@${BOT_NAME}\u2005${Q}`, timestamp: Date.now(), mentionIdList: [h.me.id] });
    h.deliver({ id: 'dup-1', talkerId: alice.id, roomId: room.id, text: `@${BOT_NAME}\u2005${Q}`, timestamp: Date.now(), mentionIdList: [h.me.id] });
    await h.waitSent(1);
    await h.bot.tongxin.engine.idle();
    await settle();
    assert.deepEqual(h.sent.map((s) => s.to), [room.id]);
    const outcomes = h.logs.filter((l) => l.msg === 'message').map((l) => l.outcome);
    for (const o of ['ignored:no-trigger', 'ignored:room', 'ignored:self', 'ignored:not-text', 'ignored:old', 'ignored:before-login', 'ignored:duplicate']) {
      assert.ok(outcomes.includes(o), `${o} in ${outcomes.join(',')}`);
    }
  });
});

test('the bot does not answer its own replies (no reply loop)', async () => {
  await withBot(async (h) => {
    const alice = h.contact('Alice');
    const room = h.room('党员之家', [alice]);
    h.say(alice, `@${BOT_NAME}\u2005${Q}`, room);
    await h.waitSent(1);
    await h.bot.tongxin.engine.idle();
    await settle();
    assert.equal(h.sent.length, 1);
    assert.ok(h.logs.some((l) => l.msg === 'message' && l.outcome === 'ignored:self'));
  });
});

test('a room renamed into BOT_ROOMS is answered; one renamed out is not', async () => {
  await withBot(async (h) => {
    const alice = h.contact('Alice');
    const later = h.room('筹备群', [alice]);
    h.say(alice, `@${BOT_NAME}\u2005${Q}`, later);
    await h.waitHandled(1);
    later.topic('党员之家').by(alice);
    await waitFor(() => h.logs.some((l) => l.msg === 'room topic changed' && l.to === '党员之家'), 'topic event');
    h.say(alice, `@${BOT_NAME}\u2005${Q}`, later);
    await h.waitSent(1);
    await h.waitHandled(3); // the question and the bot's own reply
    later.topic('改名了').by(alice);
    await waitFor(() => h.logs.some((l) => l.msg === 'room topic changed' && l.to === '改名了'), 'topic event');
    h.say(alice, `@${BOT_NAME}\u2005${Q}`, later);
    await h.waitHandled(4);
    await h.bot.tongxin.engine.idle();
    await settle();
    assert.deepEqual(h.sentTo(later.id), [`@Alice ${await expected()}`]);
    assert.equal(h.logs.filter((l) => l.msg === 'message' && l.outcome === 'ignored:room').length, 2);
  });
});

test('a room whose real topic is known only after login (wechat4u) is answered', async () => {
  const people: Record<string, mock.ContactMock> = {};
  const rooms: Record<string, mock.RoomMock> = {};
  // wechat4u before its contacts load: no topic yet, so Wechaty makes one up from member names.
  const h = await startHarness({
    asker: kb,
    beforeLogin: ({ contact, room }) => {
      people.alice = contact('Alice');
      people.bob = contact('Bob');
      rooms.a = room('', [people.alice]);
      rooms.b = room('', [people.bob]);
    },
  });
  try {
    const { alice, bob } = people as Record<'alice' | 'bob', mock.ContactMock>;
    const { a, b } = rooms as Record<'a' | 'b', mock.RoomMock>;
    assert.deepEqual(
      h.logs.filter((l) => l.msg === 'rooms resolved').map((l) => [l.on, l.allowed]),
      [['login', 0]],
    );
    // The contacts load: the real topics arrive in the room payloads, with no room-topic event.
    a.payload.topic = '党员之家';
    b.payload.topic = '党员之家';
    h.say(alice, `@${BOT_NAME}\u2005${Q}`, a);
    await h.waitSent(1);
    assert.deepEqual(h.sentTo(a.id), [`@Alice ${await expected()}`]);
    // wechat4u then emits `ready`; the count in the logs catches up with room b too.
    h.puppet.emit('ready', { data: 'stable' });
    await waitFor(() => h.logs.some((l) => l.msg === 'rooms resolved' && l.on === 'ready'), 'ready');
    assert.equal(h.logs.find((l) => l.msg === 'rooms resolved' && l.on === 'ready')?.allowed, 2);
    h.say(bob, `@${BOT_NAME}\u2005${Q}`, b);
    await h.waitSent(2);
    assert.deepEqual(h.sentTo(b.id), [`@Bob ${await expected()}`]);
    assert.equal(h.logs.some((l) => l.msg === 'message' && l.outcome === 'ignored:room'), false);
  } finally {
    await h.stop();
  }
});

test('a puppet call failing while a message is read is logged with its step; a message for the bot is still answered', async () => {
  const made: { alice?: mock.ContactMock; home?: mock.RoomMock; chat?: mock.RoomMock } = {};
  const h = await startHarness({
    asker: kb,
    beforeLogin: ({ contact, room }) => {
      made.alice = contact('Alice');
      made.home = room('党员之家', [made.alice]);
      made.chat = room('闲聊群', [made.alice]);
    },
  });
  try {
    const { alice, home, chat } = made as Required<typeof made>;
    // The puppet loses both rooms: no topic in the payload and no member list to make one from,
    // so room.topic() throws (wechaty-puppet-mock: "no payload found for id …").
    for (const r of [home, chat]) {
      r.payload.topic = '';
      h.mocker.cacheRoomPayload.delete(r.id);
    }
    h.say(alice, `@${BOT_NAME}\u2005${Q}`, chat); // not allowed as of login: logged, not answered
    await h.waitHandled(1);
    h.say(alice, `@${BOT_NAME}\u2005${Q}`, home); // allowed as of login: answered
    await h.waitSent(1);
    await h.bot.tongxin.engine.idle();
    await settle();
    assert.deepEqual(h.sent.map((s) => [s.to, s.text]), [[home.id, `@Alice ${await expected()}`]]);
    const failures = h.logs.filter((l) => l.msg === 'reading a message failed');
    assert.deepEqual(
      failures.map((l) => [l.level, l.step, l.room, (l.err as { message: string }).message, typeof l.messageId]),
      [
        ['warn', 'room.topic', chat.id, `no payload found for id ${chat.id}`, 'string'],
        ['warn', 'room.topic', home.id, `no payload found for id ${home.id}`, 'string'],
      ],
    );
    assert.deepEqual(
      h.logs.filter((l) => l.msg === 'message for the bot partly read; answering it').map((l) => [l.level, l.steps, l.room]),
      [['warn', ['room.topic'], home.id]],
    );
    assert.deepEqual(
      h.logs.filter((l) => l.msg === 'message' && l.outcome !== 'ignored:self').map((l) => l.outcome),
      ['ignored:room', 'queued'],
    );
    assert.deepEqual(h.logs.filter((l) => l.level === 'error'), []);
    // The puppet recovers; the bot never stopped.
    home.payload.topic = '党员之家';
    h.mocker.cacheRoomPayload.set(home.id, home.payload);
    h.say(alice, `@${BOT_NAME}\u2005${Q}`, home);
    await h.waitSent(2);
    assert.equal(h.sent[1]!.text, `@Alice ${await expected()}`);
  } finally {
    await h.stop();
  }
});

test('private chat is answered, and not at all with BOT_PRIVATE=off', async () => {
  await withBot(async (h) => {
    const bob = h.contact('Bob');
    h.say(bob, Q, 'bot');
    await h.waitSent(1);
    assert.deepEqual(h.sentTo(bob.id), [await expected()]);
  });
  await withBot(
    async (h) => {
      const bob = h.contact('Bob');
      h.say(bob, Q, 'bot');
      await settle();
      await h.bot.tongxin.engine.idle();
      assert.deepEqual(h.sent, []);
      assert.ok(h.logs.some((l) => l.msg === 'message' && l.outcome === 'ignored:private'));
    },
    { BOT_PRIVATE: 'off' },
  );
});

test('帮助 tells how to ask and what the bot knows; 原文 N gives the full passage', async () => {
  await withBot(async (h) => {
    const alice = h.contact('Alice');
    const room = h.room('党员之家', [alice]);
    h.say(alice, `@${BOT_NAME}\u2005原文 1`, room);
    await h.waitSent(1);
    h.say(alice, `@${BOT_NAME}\u2005帮助`, room);
    await h.waitSent(2);
    h.say(alice, `@${BOT_NAME}\u2005${Q}`, room);
    await h.waitSent(3);
    h.say(alice, `@${BOT_NAME}\u2005原文 1`, room);
    await h.waitSent(4);
    h.say(alice, `@${BOT_NAME}\u2005原文 9`, room);
    await h.waitSent(5);
    const replies = h.sentTo(room.id).map((t) => withoutMention(t, 'Alice'));
    const stats = kb.stats();
    assert.equal(replies[0], REPLIES.noSource);
    assert.ok(replies[1]!.includes(`目前收录 ${stats.documents} 份文件、${stats.passages} 段内容。`), replies[1]);
    assert.ok(replies[1]!.includes('在群里请@我提问，或以“党建问答”开头'));
    const answer = await kb.ask(Q);
    const c = answer.citations[0]!;
    assert.equal(replies[3], `【来源 1】《三会一课制度》三会一课\n${c.text}`);
    assert.equal(replies[4], `上一条回答没有第 9 条来源（共 ${answer.citations.length} 条），请回复“原文 1”到“原文 ${answer.citations.length}”。`);
  });
});

test('staff commands: refused in a group and from non-admins; 状态 and 重载 for an admin in private', async () => {
  await withBot(async (h) => {
    const admin = h.contact('管理员');
    const alice = h.contact('Alice');
    const room = h.room('党员之家', [admin, alice]);
    h.say(admin, `@${BOT_NAME}\u2005状态`, room);
    await h.waitSent(1);
    h.say(alice, '重载', 'bot');
    await h.waitSent(2);
    h.say(admin, Q, 'bot');
    await h.waitSent(3);
    h.say(admin, '状态', 'bot');
    await h.waitSent(4);
    h.say(admin, '重载', 'bot');
    await h.waitSent(5);
    assert.deepEqual(h.sentTo(room.id), [`@管理员 ${REPLIES.staffOnly}`]);
    assert.deepEqual(h.sentTo(alice.id), [REPLIES.staffOnly]);
    const [, status, reload] = h.sentTo(admin.id);
    const s = kb.stats();
    assert.equal(
      status,
      [
        '【运行状态】',
        `文件：${s.documents} 份；段落：${s.passages} 段`,
        '向量检索：关（仅关键词检索）',
        `索引生成：${s.builtAt}（${s.generation}）`,
        '已运行：0分钟',
        '已回答：1 个问题，其中 0 个未找到依据',
        '排队中：0 个',
      ].join('\n'),
    );
    assert.equal(reload, REPLIES.reloadUnchanged);
  });
});

test('every question and answer goes to the daily JSONL log with a hashed asker', async () => {
  let files: string[] = [];
  let lines: Array<Record<string, unknown>> = [];
  const h = await startHarness({ asker: kb });
  try {
    const alice = h.contact('Alice');
    const room = h.room('党员之家', [alice]);
    h.say(alice, `@${BOT_NAME}\u2005${Q}`, room);
    h.say(alice, '今天天气怎么样', 'bot');
    await h.waitSent(2);
    await h.bot.tongxin.engine.idle();
    await h.bot.stop(); // flushes the log
    files = (await readdir(h.logDir)).filter((f) => f.startsWith('qa-'));
    lines = (await readFile(path.join(h.logDir, files[0]!), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const answer = await kb.ask(Q);
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^qa-\d{4}-\d{2}-\d{2}\.jsonl$/);
    const byQuestion = new Map(lines.map((l) => [l.question, l]));
    const roomLine = byQuestion.get(Q)!;
    assert.deepEqual(roomLine.room, { id: room.id, topic: '党员之家' });
    assert.equal(roomLine.answer, answer.answer);
    assert.equal(roomLine.refused, false);
    assert.equal(roomLine.mode, 'extractive');
    assert.deepEqual(roomLine.citations, answer.citations.map((c) => ({ docId: c.docId, title: c.title })));
    assert.equal(typeof roomLine.ms, 'number');
    assert.match(String(roomLine.asker), /^[0-9a-f]{64}$/);
    const dm = byQuestion.get('今天天气怎么样')!;
    assert.equal(dm.refused, true);
    assert.equal(dm.room, null);
    assert.equal(dm.asker, roomLine.asker);
    assert.equal(JSON.stringify(lines).includes(alice.id), false);
  } finally {
    await h.stop();
  }
});

test('createBot takes settings already loaded (npm start reads them once), but not with env beside them', async () => {
  const config = loadConfig({ env: { ...LEXICAL_ENV, BOT_LOG_DIR: corpus.dir, BOT_ROOMS: '党员之家' }, dotenvDir: false });
  const puppet = () => new PuppetMock({ mocker: new mock.Mocker() });
  const bot = await createBot({ puppet: puppet(), config, asker: kb });
  try {
    assert.equal(bot.tongxin.config, config);
  } finally {
    await bot.stop();
  }
  await assert.rejects(createBot({ puppet: puppet(), config, env: { BOT_ROOMS: '别的群' }, asker: kb }), {
    code: 'BAD_INPUT',
    message: 'Tongxin: createBot takes either config or env, not both: env would be ignored',
  });
});
