/**
 * The channel-free engine over a real (small) knowledge base and the manual clock.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadBlocklist } from '../../src/chat/blocklist.ts';
import { ChatEngine, type HandleOutcome, type IncomingMessage } from '../../src/chat/chat-engine.ts';
import { QaLog, type QaRecord } from '../../src/chat/qa-log.ts';
import { helpText, REPLIES, sourceText } from '../../src/chat/replies.ts';
import { loadConfig } from '../../src/config.ts';
import type { KnowledgeBase } from '../../src/knowledge-base.ts';
import { createLogger, silentLogger } from '../../src/log.ts';
import { ARCHIVE_CORPUS } from '../helpers/archive-corpus.ts';
import { buildKbFixture, type KbFixture } from '../helpers/kb-fixture.ts';
import { RecordingAsker } from '../helpers/recording-asker.ts';
import { ManualClock } from './manual-clock.ts';

const MEETING = `---
title: 三会一课制度
---
# 三会一课
“三会一课”是指定期召开支部党员大会、支部委员会、党小组会，按时上好党课。支部党员大会一般每季度召开1次。党小组会一般每月召开1次。党课每季度至少1次。
`;

/** Three short documents on 党费: DUES_Q is answered with three sources. */
const DUES = {
  'dues-pay.md': '---\ntitle: 党费交纳\n---\n# 按月交纳\n党员应当按月交纳党费，一般到所在党支部交纳。\n',
  'dues-rate.md': '---\ntitle: 党费标准\n---\n# 交纳比例\n党员交纳党费按照月收入的一定比例计算。\n',
  'dues-use.md': '---\ntitle: 党费使用\n---\n# 使用管理\n党员交纳的党费全部用于党的活动。\n',
};
const DUES_Q = '党员怎么交纳党费';

let fixture: KbFixture;
let kb: KnowledgeBase;
before(async () => {
  fixture = await buildKbFixture({ docs: { 'meeting.md': MEETING, ...DUES } });
  kb = await fixture.open();
});
after(async () => {
  await kb.close();
  await fixture.cleanup();
});

const ALICE = { id: 'wxid_alice', name: 'Alice' };
const HOME = { id: 'home@chatroom', topic: '党员之家' };
const VOLUNTEERS = { id: 'volunteers@chatroom', topic: '志愿者群' };
const Q = '什么是三会一课';

async function setup(env: Record<string, string> = {}, answering: KnowledgeBase = kb) {
  const clock = new ManualClock();
  const logDir = await mkdtemp(path.join(os.tmpdir(), 'tongxin-engine-'));
  const recording = new RecordingAsker(answering);
  const settings = loadConfig({
    env: {
      EMBEDDING_PROVIDER: 'none',
      BOT_ROOMS: `${HOME.topic},${VOLUNTEERS.topic}`,
      BOT_COOLDOWN_MS: '0',
      BOT_ROOM_INTERVAL_MS: '0',
      BOT_JITTER_MS: '0',
      BOT_MAX_PER_MINUTE: '10000',
      BOT_LOG_DIR: logDir,
      ...env,
    },
    dotenvDir: false,
  }).bot;
  const qaLog = new QaLog({ dir: logDir, logger: silentLogger });
  /** The engine's log lines. */
  const logs: Array<{ level: string; msg: string; [k: string]: unknown }> = [];
  const logger = createLogger({ level: 'debug', format: 'json', write: (l) => logs.push(JSON.parse(l)) });
  const engine = new ChatEngine({ asker: recording, settings, clock, logger, blocklist: await loadBlocklist(undefined), qaLog });
  engine.markLogin();
  /** Every reply sent, as [room topic or 'private', text]. */
  const sent: Array<[string, string]> = [];
  let n = 0;
  /** One message to the bot (mentioned in a room), from Alice unless told; waits for its replies. */
  const say = async (where: NonNullable<IncomingMessage['room']> | 'private', text: string, more: Partial<IncomingMessage> = {}): Promise<HandleOutcome> => {
    const msg: IncomingMessage = {
      id: `m${++n}`,
      text,
      isText: true,
      fromSelf: false,
      timestamp: clock.now(),
      talker: ALICE,
      ...(where === 'private' ? {} : { room: where }),
      mentionedByPayload: where !== 'private',
      botNames: ['同心'],
      ...more,
    };
    const outcome = await engine.handle(msg, async (t) => void sent.push([where === 'private' ? 'private' : (where.topic ?? where.id), t]));
    await engine.idle();
    return outcome;
  };
  const qaRecords = async (): Promise<QaRecord[]> => {
    await qaLog.flush();
    const file = (await readdir(logDir)).find((f) => f.startsWith('qa-'))!;
    return (await readFile(path.join(logDir, file), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as QaRecord);
  };
  const cleanup = async () => {
    await engine.close();
    await rm(logDir, { recursive: true, force: true });
  };
  return { engine, clock, calls: recording.calls, sent, logs, say, qaRecords, cleanup };
}

test('a middle answer is sent as the core wrote it and logged as its own outcome', async () => {
  const archive = await buildKbFixture({ docs: ARCHIVE_CORPUS });
  const akb = await archive.open();
  const e = await setup({}, akb);
  try {
    const q = '收上来的材料一般多久要归档？';
    await e.say(HOME, q);
    const expected = await akb.ask(q);
    assert.equal(expected.middle, true);
    assert.deepEqual(e.sent, [[HOME.topic, expected.answer]]);
    assert.ok(expected.answer.startsWith('资料中没有直接的答案，最相关的规定是：第二十一条'), expected.answer);
    assert.deepEqual((await e.qaRecords()).map((r) => [r.question, r.outcome, r.refused]), [[q, 'middle', false]]);
  } finally {
    await e.cleanup();
    await akb.close();
    await archive.cleanup();
  }
});

test('follow-ups and 原文 N belong to one person in one conversation', async () => {
  const e = await setup({ BOT_FOLLOWUP_MS: '60000' });
  try {
    await e.say(HOME, Q);
    await e.say(VOLUNTEERS, '那党小组会呢？'); // another room: not about the question asked in HOME
    await e.say('private', '原文 1'); // nothing answered in private yet
    await e.say('private', '那党课呢');
    await e.say(HOME, '那党小组会呢？'); // back in HOME: a follow-up
    await e.say(HOME, '原文 1');
    assert.deepEqual(e.calls, [
      [Q, {}],
      ['那党小组会呢？', {}],
      ['那党课呢', {}],
      ['那党小组会呢？', { previousQuestion: Q }],
    ]);
    assert.deepEqual(e.sent[2], ['private', REPLIES.noSource]);
    // 原文 1 in HOME shows HOME's last answer's first source.
    const followUp = await kb.ask('那党小组会呢？', { previousQuestion: Q });
    const c = followUp.citations[0]!;
    assert.deepEqual(e.sent.at(-1), [HOME.topic, `【来源 1】《三会一课制度》三会一课\n${c.text}`]);
  } finally {
    await e.cleanup();
  }
});

test('原文 N and 帮助 right after an answer are served within the cooldown; a second question is not', async () => {
  const e = await setup({ BOT_COOLDOWN_MS: '10000' });
  try {
    const outcomes: HandleOutcome[] = [];
    for (const text of [DUES_Q, '原文 1', '原文 2', '原文 3', '帮助', '党费标准是多少']) outcomes.push(await e.say(HOME, text));
    assert.deepEqual(outcomes, ['queued', 'command', 'command', 'command', 'command', 'declined:cooldown']);
    const answer = await kb.ask(DUES_Q);
    assert.deepEqual(answer.citations.map((c) => c.title), ['党费交纳', '党费标准', '党费使用']);
    assert.deepEqual(e.sent, [
      [HOME.topic, answer.answer],
      ...answer.citations.map((c) => [HOME.topic, sourceText(c)]),
      [HOME.topic, helpText(kb.stats(), ['党建问答'])],
      [HOME.topic, REPLIES.cooldown],
    ]);
  } finally {
    await e.cleanup();
  }
});

test('a partly read message is answered when a trigger is found in what was read, and the failed steps are logged', async () => {
  const e = await setup();
  try {
    await e.say(HOME, Q); // HOME is now known to be allowed
    const topicFailed = { partlyRead: { steps: ['room.topic'] } };
    // The topic could not be read: the last one seen decides, and the question stands.
    assert.equal(await e.say({ id: HOME.id }, DUES_Q, topicFailed), 'queued');
    // The mention flag and the alias could not be read: the "@同心" in the text still triggers.
    const mentionFailed = { partlyRead: { steps: ['message.mentionSelf', 'room.alias'] }, mentionedByPayload: false };
    assert.equal(await e.say(HOME, `@同心\u2005${Q}`, mentionFailed), 'queued');
    // Nothing for the bot in what was read, or a room never seen: silence, as without a failure.
    assert.equal(await e.say({ id: HOME.id }, '大家好', { ...topicFailed, mentionedByPayload: false }), 'ignored:no-trigger');
    assert.equal(await e.say({ id: 'unknown@chatroom' }, DUES_Q, topicFailed), 'ignored:room');
    assert.deepEqual(e.sent.slice(1), [
      [HOME.id, (await kb.ask(DUES_Q)).answer],
      [HOME.topic, (await kb.ask(Q)).answer],
    ]);
    assert.deepEqual(
      e.logs.filter((l) => l.level === 'warn').map((l) => [l.msg, l.steps, l.room]),
      [
        ['message for the bot partly read; answering it', ['room.topic'], HOME.id],
        ['message for the bot partly read; answering it', ['message.mentionSelf', 'room.alias'], HOME.topic],
      ],
    );
    assert.deepEqual(
      (await e.qaRecords()).map((r) => [r.question, r.outcome, r.room]),
      [
        [Q, 'answered', HOME],
        [DUES_Q, 'answered', { id: HOME.id, topic: '' }],
        [Q, 'answered', HOME],
      ],
    );
  } finally {
    await e.cleanup();
  }
});

test('a question left empty gets one text in every channel, the same the core gives a question with nothing to search', async () => {
  const e = await setup();
  try {
    await e.say(HOME, '@同心'); // the mention alone
    await e.say(HOME, '党建问答', { mentionedByPayload: false }); // the keyword alone
    await e.say('private', ' ');
    await e.say(HOME, '？？？'); // not empty here; the core finds nothing to search
    const empty = '您好，请用一句话写下您想了解的党建问题，例如：在职党员到社区报到的比例是多少？';
    assert.deepEqual(e.sent, [
      [HOME.topic, empty],
      [HOME.topic, empty],
      ['private', empty],
      [HOME.topic, empty],
    ]);
  } finally {
    await e.cleanup();
  }
});
