/**
 * Fuzz through the bot: a real Wechaty on the mock puppet, the bundled corpus, an allowed room and
 * the default pacing on the manual clock (the cooldown off, so every message is answered). A few
 * hundred seeded hostile messages, each @-mentioning the bot and sent once the last is answered,
 * as one resident would: every one gets exactly one reply (an answer, a refusal, a command's reply
 * or a polite decline), in at most three messages of at most 500 characters, none empty, with no
 * error logged and the bot still answering at the end.
 * Reproduce a failure with TONGXIN_FUZZ_SEED=<seed printed in the diagnostics>.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { EMPTY_QUESTION_TEXT, REFUSAL_TEXT } from '../../src/answer/answer-text.ts';
import type { QaRecord } from '../../src/chat/qa-log.ts';
import { helpText, REPLIES } from '../../src/chat/replies.ts';
import type { KnowledgeBase } from '../../src/knowledge-base.ts';
import { waitFor } from '../chat/manual-clock.ts';
import { BOT_NAME, startHarness, withoutMention } from '../channels/wechat-harness.ts';
import { buildKbFixture, type KbFixture } from '../helpers/kb-fixture.ts';
import { hostileChatMessages, REAL_QUESTIONS } from './hostile-questions.ts';

const SEED = Number(process.env.TONGXIN_FUZZ_SEED ?? 20241125);
const COUNT = 300;
const MAX_CHARS = 500;
const MAX_PARTS = 3;
const KEYWORD = '党建问答';

let fixture: KbFixture;
let kb: KnowledgeBase;
before(async () => {
  fixture = await buildKbFixture();
  kb = await fixture.open();
});
after(async () => {
  await kb?.close();
  await fixture?.cleanup();
});

/** The core's refusals: nothing found, nothing to search, or nothing found in a question cut short. */
const isRefusal = (text: string) =>
  text === REFUSAL_TEXT || text === EMPTY_QUESTION_TEXT || /^（问题较长，只按前 \d+ 个字查找。）\n\n/.test(text) && text.endsWith(REFUSAL_TEXT);
/** A cited answer: the source list ends the last message. */
const isAnswer = (parts: string[]) => /(?:^|\n\n)来源：\n\[1\]《[^》\n]+》/.test(parts.at(-1)!) && parts[0]!.trim() !== '';
/** What a command may answer in a room: 状态 and 重载 are refused there. */
const isCommandReply = (text: string) =>
  text === helpText(kb.stats(), [KEYWORD]) ||
  [REPLIES.staffOnly, REPLIES.noSource, REPLIES.sourceUsage].includes(text as never) ||
  /^上一条回答没有第 \d+ 条来源（共 \d+ 条），请回复“原文 1”到“原文 \d+”。$/.test(text) ||
  /^【来源 \d+】《[^》\n]+》/.test(text);

test(`${COUNT} hostile messages through a real Wechaty: exactly one polite reply each, within the split limits`, async (t) => {
  t.diagnostic(`seed ${SEED} (set TONGXIN_FUZZ_SEED to reproduce)`);
  const h = await startHarness({
    asker: kb,
    // The defaults (config.ts) but for the cooldown, which would decline most of a fast asker's turns.
    env: {
      BOT_COOLDOWN_MS: '0',
      BOT_ROOM_INTERVAL_MS: '1000',
      BOT_JITTER_MS: '800',
      BOT_MAX_PER_MINUTE: '30',
      BOT_QUEUE_SIZE: '5',
      BOT_FOLLOWUP_MS: '300000',
      BOT_KEYWORDS: KEYWORD,
    },
  });
  const counts: Record<string, number> = {};
  let records: QaRecord[] = [];
  try {
    const alice = h.contact('Alice');
    const room = h.room('党员之家', [alice]);
    /** Lets pacing sleeps (on the manual clock) pass until every reply of the last message is sent. */
    const untilIdle = async () => {
      let idle = false;
      void h.bot.tongxin.engine.idle().then(() => (idle = true));
      while (!idle) await h.clock.advance(250);
    };
    let seenLogs = 0;
    for (const [i, { kind, text }] of hostileChatMessages(SEED, COUNT, KEYWORD).entries()) {
      const id = `fuzz-${i}`;
      const where = `#${i} ${kind} (seed ${SEED}): ${JSON.stringify(text.slice(0, 80))}`;
      const sentBefore = h.sent.length;
      h.deliver({ id, talkerId: alice.id, roomId: room.id, text: `@${BOT_NAME}\u2005${text}`, timestamp: h.clock.now(), mentionIdList: [h.me.id] });
      await waitFor(() => h.logs.some((l) => l.msg === 'message' && l.messageId === id), `handling of ${where}`);
      await untilIdle();
      const outcome = String(h.logs.find((l) => l.msg === 'message' && l.messageId === id)!.outcome);
      counts[outcome] = (counts[outcome] ?? 0) + 1;

      const sent = h.sent.slice(sentBefore);
      assert.ok(sent.length >= 1 && sent.length <= MAX_PARTS, `${sent.length} messages for ${where}`);
      assert.ok(sent.every((s) => s.to === room.id), `a reply outside the room for ${where}`);
      // The asker is @-mentioned once, on the first message.
      assert.ok(sent[0]!.text.startsWith('@Alice '), `first message not mentioning the asker for ${where}`);
      const parts = sent.map((s, k) => (k === 0 ? withoutMention(s.text, 'Alice') : s.text));
      for (const p of parts) {
        assert.notEqual(p.trim(), '', `an empty message for ${where}`);
        assert.ok(p.length <= MAX_CHARS, `a message of ${p.length} characters for ${where}`);
      }
      const whole = parts.join('');
      if (outcome === 'queued') {
        assert.ok(isRefusal(whole) || isAnswer(parts), `neither an answer nor a refusal for ${where}: ${whole.slice(0, 200)}`);
        counts[isAnswer(parts) ? 'answers' : 'refusals'] = (counts[isAnswer(parts) ? 'answers' : 'refusals'] ?? 0) + 1;
      } else if (outcome === 'command') {
        assert.equal(parts.length <= 2 && isCommandReply(parts[0]!), true, `command reply for ${where}: ${whole.slice(0, 200)}`);
      } else {
        assert.deepEqual([outcome, parts], ['empty', [EMPTY_QUESTION_TEXT]], `decline for ${where}`);
      }

      const errors = h.logs.slice(seenLogs).filter((l) => l.level === 'error');
      assert.deepEqual(errors, [], `errors logged for ${where}`);
      seenLogs = h.logs.length;
    }
    t.diagnostic(JSON.stringify(counts));

    // Still up and answering.
    const real = REAL_QUESTIONS[0]!;
    const before = h.sent.length;
    h.deliver({ id: 'fuzz-real', talkerId: alice.id, roomId: room.id, text: `@${BOT_NAME}\u2005${real}`, timestamp: h.clock.now(), mentionIdList: [h.me.id] });
    await waitFor(() => h.logs.some((l) => l.msg === 'message' && l.messageId === 'fuzz-real'), 'the last question');
    await untilIdle();
    assert.equal(h.bot.isLoggedIn, true);
    assert.deepEqual(h.sent.slice(before).map((s) => withoutMention(s.text, 'Alice')), [(await kb.ask(real)).answer]);

    await h.bot.stop(); // flushes the question log
    const files = (await readdir(h.logDir)).filter((f) => f.startsWith('qa-'));
    records = (await Promise.all(files.map((f) => readFile(path.join(h.logDir, f), 'utf8'))))
      .flatMap((text) => text.trim().split('\n'))
      .map((l) => JSON.parse(l) as QaRecord);
  } finally {
    await h.stop();
  }
  // Every question put to the core is logged once, answered or refused, none failed.
  assert.equal(records.length, (counts.queued ?? 0) + 1);
  assert.deepEqual([...new Set(records.map((r) => r.outcome))].sort(), ['answered', 'refused']);
  // A fuzz run that only refuses, or never reaches a command, tests little.
  for (const kind of ['answers', 'refusals', 'command', 'empty']) {
    assert.ok((counts[kind] ?? 0) >= 5, `only ${counts[kind] ?? 0} ${kind}`);
  }
});
