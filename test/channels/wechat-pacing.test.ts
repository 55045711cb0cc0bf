/**
 * Pacing, queueing, failures, follow-ups, blocklist and hot reload on a real Wechaty over the mock
 * puppet. The askers below are real implementations of the Asker port wrapping the real knowledge
 * base (a gate to hold questions in flight, a first call that fails, a recorder, a verbose one),
 * not stubs of the bot under test.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Asker } from '../../src/answer/types.ts';
import type { KnowledgeBase } from '../../src/knowledge-base.ts';
import { helpText, REPLIES, sourceText } from '../../src/chat/replies.ts';
import { splitReply } from '../../src/chat/split-reply.ts';
import type { QaRecord } from '../../src/chat/qa-log.ts';
import { readQaLogs, summarizeQa } from '../../src/chat/qa-report.ts';
import type { mock } from 'wechaty-puppet-mock';
import { settle, waitFor } from '../chat/manual-clock.ts';
import { GatedAsker } from '../helpers/gated-asker.ts';
import { RecordingAsker } from '../helpers/recording-asker.ts';
import { BOT_NAME, MEETING_DOC, makeCorpus, startHarness, withoutMention, type Corpus, type Harness } from './wechat-harness.ts';

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
const mention = `@${BOT_NAME}\u2005`;


async function run(h: Harness, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } finally {
    await h.stop();
  }
}

/** What the bot made of each message it read, its own replies left out. */
const outcomes = (h: Harness) => h.logs.filter((l) => l.msg === 'message' && l.outcome !== 'ignored:self').map((l) => String(l.outcome));

/** The reload poller always has one sleep pending; pacing sleeps come on top. */
const waitSleeping = (h: Harness, n: number) => waitFor(() => h.clock.pending === n + 1, `${n} pacing sleeps`);

test('pacing is exact: room interval after jitter, one question in flight per room', async () => {
  const h = await startHarness({ asker: kb, env: { BOT_ROOM_INTERVAL_MS: '1000', BOT_JITTER_MS: '800' }, random: () => 0.5 });
  await run(h, async () => {
    const people = ['甲', '乙', '丙'].map((n) => h.contact(n));
    const room = h.room('党员之家', people);
    const t0 = h.clock.now();
    for (const p of people) h.say(p, mention + Q, room);
    await waitSleeping(h, 1); // the first reply's jitter
    await h.clock.advance(399);
    assert.equal(h.sent.length, 0);
    await h.clock.advance(1);
    await h.waitSent(1);
    await waitSleeping(h, 1);
    await h.clock.advance(999); // jitter (400) then the room interval up to t0+1400
    assert.equal(h.sent.length, 1);
    await h.clock.advance(1);
    await h.waitSent(2);
    await waitSleeping(h, 1);
    await h.clock.advance(1000);
    await h.waitSent(3);
    assert.deepEqual(h.sent.map((s) => s.at - t0), [400, 1400, 2400]);
    const answer = (await kb.ask(Q)).answer;
    assert.deepEqual(h.sentTo(room.id), [`@甲 ${answer}`, `@乙 ${answer}`, `@丙 ${answer}`]);
  });
});

test('the global cap holds across rooms: the third message of a minute waits for the window', async () => {
  const h = await startHarness({ asker: kb, env: { BOT_MAX_PER_MINUTE: '2', BOT_ROOMS: '*' } });
  await run(h, async () => {
    const t0 = h.clock.now();
    const askers = ['甲', '乙', '丙'].map((n) => h.contact(n));
    askers.forEach((p, i) => h.say(p, mention + Q, h.room(`群${i}`, [p])));
    await h.waitSent(2);
    await waitSleeping(h, 1);
    await h.clock.advance(59_999);
    assert.equal(h.sent.length, 2);
    await h.clock.advance(1);
    await h.waitSent(3);
    assert.deepEqual(h.sent.map((s) => s.at - t0), [0, 0, 60_000]);
  });
});

test('per-person cooldown: one polite notice, then silence, then answers again', async () => {
  const h = await startHarness({ asker: kb, env: { BOT_COOLDOWN_MS: '10000' } });
  await run(h, async () => {
    const alice = h.contact('Alice');
    const room = h.room('党员之家', [alice]);
    h.say(alice, mention + Q, room);
    await h.waitSent(1);
    h.say(alice, mention + '党费怎么交', room);
    await h.waitSent(2);
    h.say(alice, mention + '党费怎么交', room);
    await h.waitHandled(5); // 3 questions + 2 own replies
    await h.clock.advance(10_000);
    h.say(alice, mention + '党费怎么交', room);
    await h.waitSent(3);
    assert.deepEqual(h.sentTo(room.id).map((t) => withoutMention(t, 'Alice')), [
      (await kb.ask(Q)).answer,
      REPLIES.cooldown,
      (await kb.ask('党费怎么交')).answer,
    ]);
    assert.ok(h.logs.some((l) => l.msg === 'message' && l.outcome === 'ignored:cooldown'));
  });
});

test('原文 N and 帮助 are served within the pause; questions and staff commands are held to it', async () => {
  const h = await startHarness({ asker: kb, env: { BOT_COOLDOWN_MS: '10000' } });
  await run(h, async () => {
    const alice = h.contact('Alice');
    const room = h.room('党员之家', [alice]);
    const read = (n: number) => waitFor(() => outcomes(h).length >= n, `${n} messages read`);
    const q = '梨树县的“五个一”是什么？'; // answered with two sources
    const steps = [q, '原文 1', '原文 2', '党费怎么交', '帮助', '帮助', '状态', '状态'];
    for (const [i, text] of steps.entries()) {
      h.say(alice, mention + text, room);
      await read(i + 1);
      await h.bot.tongxin.engine.idle();
    }
    await h.clock.advance(10_000);
    h.say(alice, mention + Q, room);
    await read(steps.length + 1);
    await h.bot.tongxin.engine.idle();
    assert.deepEqual(outcomes(h), [
      'queued',
      'command', // 原文 1 and 2 right after the answer
      'command',
      'declined:cooldown', // a second question in the pause: one notice
      'command', // 帮助, twice
      'command',
      'command', // 状态 has its own pause (refused here: staff only, in private)
      'ignored:cooldown', // a second 状态 in it; the pause's one decline is spent
      'queued', // after the pause
    ]);
    const answer = await kb.ask(q);
    assert.equal(answer.citations.length, 2);
    const help = helpText(kb.stats(), ['党建问答']);
    assert.deepEqual(h.sentTo(room.id).map((t) => withoutMention(t, 'Alice')), [
      answer.answer,
      ...answer.citations.map((c) => sourceText(c)),
      REPLIES.cooldown,
      help,
      help,
      REPLIES.staffOnly,
      (await kb.ask(Q)).answer,
    ]);
  });
});

test('a full room queue declines politely; queued questions are answered in order', async () => {
  const gated = new GatedAsker(kb);
  const h = await startHarness({ asker: gated, env: { BOT_QUEUE_SIZE: '1' } });
  await run(h, async () => {
    const [a, b, c] = ['Alice', 'Bob', 'Carol'].map((n) => h.contact(n));
    const room = h.room('党员之家', [a!, b!, c!]);
    h.say(a!, mention + Q, room);
    h.say(b!, mention + '党费怎么交', room);
    h.say(c!, mention + Q, room);
    await h.waitSent(1);
    assert.deepEqual(h.sentTo(room.id), [`@Carol ${REPLIES.busy}`]);
    gated.open();
    await h.waitSent(3);
    assert.deepEqual(h.sentTo(room.id).slice(1), [`@Alice ${(await kb.ask(Q)).answer}`, `@Bob ${(await kb.ask('党费怎么交')).answer}`]);
  });
});

/** 4 rooms of 50 residents; `rounds` times each asks Q (an impatient resident asks again). */
function burst(h: Harness, rounds: number) {
  const rooms = [0, 1, 2, 3].map((r) => {
    const people = Array.from({ length: 50 }, (_, i) => h.contact(`居民${r}-${String(i).padStart(2, '0')}`));
    return { room: h.room(`楼栋群${r}`, people), people };
  });
  for (let round = 0; round < rounds; round++) {
    for (const { room, people } of rooms) for (const p of people) h.say(p, mention + Q, room);
  }
  return rooms;
}

/**
 * Every person got at most one answer and at most one decline, no text twice, and each room exactly
 * `answersPerRoom` answers. Returns the number of declines sent.
 */
async function assertOneReplyEach(h: Harness, rooms: ReturnType<typeof burst>, answersPerRoom: number): Promise<number> {
  const answer = (await kb.ask(Q)).answer;
  let declines = 0;
  for (const { room, people } of rooms) {
    const replies = h.sentTo(room.id);
    for (const p of people) {
      const name = p.payload.name;
      const mine = replies.filter((t) => t.startsWith(`@${name} `)).map((t) => withoutMention(t, name));
      assert.equal(new Set(mine).size, mine.length, `${name} got a text twice: ${mine.join(' | ')}`);
      assert.ok(mine.filter((t) => t === answer).length <= 1, name);
      assert.ok(mine.filter((t) => t !== answer).length <= 1, name);
      for (const t of mine) assert.ok([answer, REPLIES.busy, REPLIES.cooldown].includes(t as never), t);
      declines += mine.filter((t) => t !== answer).length;
    }
    assert.equal(replies.filter((t) => t.endsWith(answer)).length, answersPerRoom);
    assert.equal(replies.filter((t) => !people.some((p) => t.startsWith(`@${p.payload.name} `))).length, 0);
  }
  return declines;
}

test('questions declined for the cooldown or a full queue are in the QA log and the report', async () => {
  const gated = new GatedAsker(kb);
  const h = await startHarness({ asker: gated, env: { BOT_COOLDOWN_MS: '10000', BOT_QUEUE_SIZE: '0' } });
  await run(h, async () => {
    const [alice, bob] = ['Alice', 'Bob'].map((n) => h.contact(n)) as [mock.ContactMock, mock.ContactMock];
    const room = h.room('党员之家', [alice, bob]);
    const read = (n: number) => waitFor(() => outcomes(h).length >= n, `${n} messages read`);
    h.say(alice, mention + Q, room); // in flight
    await read(1);
    h.say(bob, mention + '党费怎么交', room); // the queue is full
    await read(2);
    h.say(alice, mention + '党费怎么交', room); // Alice's pause: one notice …
    await read(3);
    h.say(alice, mention + '党费怎么交？', room); // … and no second one
    await read(4);
    gated.open();
    await h.waitSent(3);
    await h.bot.tongxin.engine.idle();
    await h.bot.stop(); // flushes the QA log
    assert.deepEqual(h.sentTo(room.id), [`@Bob ${REPLIES.busy}`, `@Alice ${REPLIES.cooldown}`, `@Alice ${(await kb.ask(Q)).answer}`]);
    const files = (await readdir(h.logDir)).filter((f) => f.startsWith('qa-'));
    const records = (await readFile(path.join(h.logDir, files[0]!), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as QaRecord);
    assert.deepEqual(
      records.map((r) => [r.question, r.outcome, r.declined ?? null, r.answer, r.ms]),
      [
        ['党费怎么交', 'declined', 'busy', '', 0],
        ['党费怎么交', 'declined', 'cooldown', '', 0],
        ['党费怎么交？', 'declined', 'cooldown', '', 0],
        [Q, 'answered', null, (await kb.ask(Q)).answer, records[3]!.ms],
      ],
    );
    assert.equal(new Set(records.slice(1).map((r) => r.asker)).size, 1); // all Alice's
    assert.notEqual(records[0]!.asker, records[1]!.asker);
    const logged = await readQaLogs(h.logDir, { days: 1, now: h.clock.now() });
    const { total } = summarizeQa(logged.records, logged);
    assert.deepEqual(
      [total.questions, total.answered, total.declined, total.declinedBusy],
      [4, 1, 3, 1],
    );
  });
});

test('200 questions at once, no pacing: one answer or at most one decline each, and the bot stays up', async () => {
  const gated = new GatedAsker(kb);
  const h = await startHarness({ asker: gated, env: { BOT_ROOMS: '*', BOT_QUEUE_SIZE: '5' } });
  await run(h, async () => {
    const rooms = burst(h, 1);
    await waitFor(() => outcomes(h).length >= 200, '200 handled');
    gated.open();
    const answer = (await kb.ask(Q)).answer;
    await waitFor(() => h.sent.filter((s) => s.text.endsWith(answer)).length >= 24, '24 answers');
    await h.bot.tongxin.engine.idle();
    await settle();
    const declines = await assertOneReplyEach(h, rooms, 6); // 1 in flight + 5 waiting per room
    assert.equal(h.sent.length, 24 + declines);
    assert.ok(declines >= 6 && declines <= 176, `${declines} declines`);
    assert.deepEqual(h.logs.filter((l) => l.level === 'error'), []);
    const late = h.contact('晚到的居民');
    h.say(late, mention + Q, rooms[0]!.room);
    await h.waitSent(h.sent.length + 1);
    assert.equal(h.sent.at(-1)!.text, `@晚到的居民 ${answer}`);
  });
});

test('200 questions asked twice under default pacing: answers are not held back behind declines', async () => {
  const gated = new GatedAsker(kb);
  // The defaults of BOT_ROOM_INTERVAL_MS, BOT_MAX_PER_MINUTE, BOT_JITTER_MS and BOT_COOLDOWN_MS.
  const defaults = { BOT_ROOM_INTERVAL_MS: '1000', BOT_MAX_PER_MINUTE: '30', BOT_JITTER_MS: '800', BOT_COOLDOWN_MS: '10000' };
  const h = await startHarness({ asker: gated, env: { ...defaults, BOT_ROOMS: '*', BOT_QUEUE_SIZE: '5' }, random: () => 0.5 });
  await run(h, async () => {
    const rooms = burst(h, 2);
    // Every send waits for its jitter on the manual clock, so all 400 are read before any is sent.
    await h.waitHandled(400);
    assert.equal(h.sent.length, 0);
    gated.open();
    const t0 = h.clock.now();
    while (h.sent.length < 30 && h.clock.now() - t0 < 600_000) await h.clock.advance(100);
    const declines = await assertOneReplyEach(h, rooms, 6);
    // Declines waiting are bounded (2 a room, 6 in all); the rest, and every repeat, go unanswered.
    assert.equal(declines, 6);
    assert.equal(h.sent.filter((s) => s.text.endsWith(REPLIES.busy)).length, 6);
    // At most 2 declines and 6 answers a room, 1 s apart after 400 ms of jitter, and 30 messages
    // fit the default 30 a minute: the last answer goes out after 7.4 s (it was about 6 minutes).
    assert.ok(h.sent.at(-1)!.at - t0 <= 7_400, `last reply after ${h.sent.at(-1)!.at - t0} ms`);
    await h.clock.advance(300_000);
    await h.bot.tongxin.engine.idle();
    assert.equal(h.sent.length, 30);
    const count = (o: string) => outcomes(h).filter((x) => x === o).length;
    assert.deepEqual(
      { queued: count('queued'), declined: count('declined:busy'), busy: count('ignored:busy'), cooldown: count('ignored:cooldown') },
      // Round one: 24 queued, 6 told 稍后再问, 170 not; round two: the 24 queued are in their
      // cooldown pause, the other 176 find the queues still full.
      { queued: 24, declined: 6, busy: 170 + 176, cooldown: 24 },
    );
    assert.deepEqual(h.logs.filter((l) => l.level === 'error'), []);
  });
});

test('a failing core is logged and answered with the fixed message; the bot keeps answering', async () => {
  let calls = 0;
  const flaky: Asker = {
    ask: async (q, o) => {
      if (calls++ === 0) throw new Error('index exploded');
      return kb.ask(q, o);
    },
    stats: () => kb.stats(),
    reload: () => kb.reload(),
  };
  const h = await startHarness({ asker: flaky });
  await run(h, async () => {
    const alice = h.contact('Alice');
    h.say(alice, Q, 'bot');
    await h.waitSent(1);
    h.say(alice, Q, 'bot');
    await h.waitSent(2);
    assert.deepEqual(h.sentTo(alice.id), [REPLIES.error, (await kb.ask(Q)).answer]);
    const err = h.logs.find((l) => l.msg === 'answering failed');
    assert.deepEqual(err?.err, { name: 'Error', message: 'index exploded' });
    assert.equal(typeof err?.messageId, 'string');
  });
});

test('long answers are split at sentence ends into at most three parts, sent in order', async () => {
  const q = '梨树县的“五个一”是什么？';
  // A verbose answer: every retrieved passage in full, then the real source list.
  const verbose: Asker = {
    ask: async (question, o) => {
      const a = await kb.ask(question, o);
      const body = a.retrieved.map((p) => p.text).join('');
      return { ...a, body, answer: body + a.answer.slice(a.body.length) };
    },
    stats: () => kb.stats(),
    reload: () => kb.reload(),
  };
  const h = await startHarness({ asker: verbose });
  await run(h, async () => {
    const alice = h.contact('Alice');
    const room = h.room('党员之家', [alice]);
    const a = await verbose.ask(q);
    const parts = splitReply(a.answer, a.body);
    assert.ok(parts.length >= 2 && parts.length <= 3, `parts: ${parts.length}`);
    h.say(alice, mention + q, room);
    await h.waitSent(parts.length);
    assert.deepEqual(h.sentTo(room.id), [`@Alice ${parts[0]}`, ...parts.slice(1)]);
    assert.ok(parts.every((p) => p.length <= 500));
    assert.ok(parts[parts.length - 1]!.includes('来源：'));
  });
});

test('a follow-up within BOT_FOLLOWUP_MS carries the previous question, per person', async () => {
  const recording = new RecordingAsker(kb);
  const h = await startHarness({ asker: recording, env: { BOT_FOLLOWUP_MS: '60000' } });
  await run(h, async () => {
    const [alice, bob] = ['Alice', 'Bob'].map((n) => h.contact(n));
    h.say(alice!, Q, 'bot');
    await h.waitSent(1);
    h.say(alice!, '那党小组会呢？', 'bot');
    await h.waitSent(2);
    h.say(bob!, '那党课呢', 'bot');
    await h.waitSent(3);
    await h.clock.advance(60_001);
    h.say(alice!, '那党课呢', 'bot');
    await h.waitSent(4);
    assert.deepEqual(recording.calls, [
      [Q, {}],
      ['那党小组会呢？', { previousQuestion: Q }],
      ['那党课呢', {}],
      ['那党课呢', {}],
    ]);
  });
});

test('BOT_BLOCKLIST_FILE declines blocked questions and withholds blocked answers', async () => {
  const file = path.join(corpus.dir, 'blocklist.txt');
  await writeFile(file, '违禁词\n按时上好党课\n');
  const h = await startHarness({ asker: kb, env: { BOT_BLOCKLIST_FILE: file } });
  await run(h, async () => {
    const alice = h.contact('Alice');
    h.say(alice, '违禁词是什么', 'bot');
    await h.waitSent(1);
    h.say(alice, Q, 'bot'); // its answer quotes 按时上好党课
    await h.waitSent(2);
    h.say(alice, '党费怎么交', 'bot');
    await h.waitSent(3);
    assert.deepEqual(h.sentTo(alice.id), [REPLIES.blocked, REPLIES.blocked, (await kb.ask('党费怎么交')).answer]);
  });
});

test('hot reload: after an ingest of a changed corpus the bot answers from the new index', async () => {
  const own = await makeCorpus();
  const h = await startHarness({ indexDir: own.indexDir, env: { BOT_RELOAD_POLL_MS: '1000' } });
  await run(h, async () => {
    const alice = h.contact('Alice');
    const q = '党小组会多久召开一次';
    h.say(alice, q, 'bot');
    await h.waitSent(1);
    assert.match(h.sent[0]!.text, /党小组会一般每月召开1次/);
    await writeFile(path.join(own.corpusDir, 'meeting.md'), MEETING_DOC.replace('党小组会一般每月召开1次', '党小组会一般每两周召开1次'));
    await own.ingest();
    await h.clock.advance(1000);
    await waitFor(() => h.logs.some((l) => l.msg === 'knowledge base reloaded'), 'reload');
    h.say(alice, q, 'bot');
    await h.waitSent(2);
    assert.match(h.sent[1]!.text, /党小组会一般每两周召开1次/);
  }).finally(() => own.cleanup());
});

