/**
 * npm start's channels in one process, as start-main builds them (startChannels): Wechaty on
 * wechaty-puppet-mock, WeCom's real SDK against the loopback long-connection server, and the
 * 公众号 callback over real HTTP, all over one knowledge base that an ingest refreshes meanwhile.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { startChannels } from '../../src/channels/start-channels.ts';
import { toWecomMarkdown } from '../../src/channels/wecom/wecom-markdown.ts';
import type { MpChannel } from '../../src/channels/mp/mp-channel.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { waitFor } from '../chat/manual-clock.ts';
import { RecordingAsker } from '../helpers/recording-asker.ts';
import { APP_ID, ENCODING_AES_KEY, MP_PATH, TOKEN, WeChatPush } from './mp/wechat-push.ts';
import { BOT_NAME, LEXICAL_ENV, makeCorpus, withoutMention } from './wechat-harness.ts';
import { groupText, privateText } from './wecom/wecom-harness.ts';
import { WecomServer } from './wecom/wecom-server.ts';

const Q = '什么是三会一课';
const NEW_DOC = `---
title: 志愿服务积分办法
---
# 志愿服务积分
社区党员参加志愿服务每小时记1分，积分每季度在党员活动室公示一次。
`;
const Q2 = '志愿服务积分怎么记';

type Log = { level: string; msg: string; [k: string]: unknown };

function envFor(corpus: { corpusDir: string; indexDir: string; dir: string }, extra: Record<string, string>): Record<string, string> {
  return {
    ...LEXICAL_ENV,
    CORPUS_DIR: corpus.corpusDir,
    INDEX_DIR: corpus.indexDir,
    BOT_LOG_DIR: path.join(corpus.dir, 'logs'),
    BOT_ROOMS: '党员之家',
    BOT_JITTER_MS: '0',
    BOT_ROOM_INTERVAL_MS: '0',
    BOT_COOLDOWN_MS: '0',
    MP_TOKEN: TOKEN,
    MP_APP_ID: APP_ID,
    MP_ENCODING_AES_KEY: ENCODING_AES_KEY,
    MP_HOST: '127.0.0.1',
    MP_PORT: '0',
    MP_PATH,
    ...extra,
  };
}

/** A Wechaty puppet with the bot's account and a room, recording what the bot sends. */
function mockWechat() {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const me = mocker.createContact({ name: BOT_NAME });
  const alice = mocker.createContact({ name: 'Alice' });
  const room = mocker.createRoom({ topic: '党员之家', memberIdList: [me.id, alice.id] });
  const sent: string[] = [];
  puppet.on('message', ({ messageId }) => {
    const p = mocker.cacheMessagePayload.get(messageId);
    if (p && p.talkerId === me.id) sent.push(withoutMention(p.text ?? '', 'Alice'));
  });
  return { mocker, puppet, me, alice, room, sent };
}

test('one process runs wechaty, wecom and mp: the same question gets the same answer on each, and a corpus refresh reaches all three', async (t) => {
  const corpus = await makeCorpus();
  const kb = await corpus.open();
  const wecom = await WecomServer.start();
  t.after(async () => {
    await wecom.close();
    await kb.close();
    await corpus.cleanup();
  });
  const config = loadConfig({
    env: envFor(corpus, {
      CHANNELS: 'wechaty,wecom,mp',
      WECOM_BOT_ID: wecom.botId,
      WECOM_BOT_SECRET: wecom.secret,
      WECOM_WS_URL: wecom.url,
      BOT_RELOAD_POLL_MS: '200',
    }),
    dotenvDir: false,
  });
  const logs: Log[] = [];
  const logger = createLogger({ level: 'debug', format: 'json', write: (l) => logs.push(JSON.parse(l)) });
  const asker = new RecordingAsker(kb);
  const wx = mockWechat();
  const running = await startChannels({ config, logger, asker, wechatyPuppet: wx.puppet });
  const mp = running.channels.find((c) => c.name === 'mp') as MpChannel;
  const push = new WeChatPush(mp.address().port);
  try {
    assert.deepEqual(running.runner.states, { wechaty: 'running', wecom: 'running', mp: 'running' });
    wx.mocker.login(wx.me);
    await waitFor(() => logs.some((l) => l.msg === 'rooms resolved'), 'the Wechaty login');
    await wecom.waitAuthenticated(1);

    const askAll = async (q: string, n: number) => {
      wx.alice.say(`@${BOT_NAME}\u2005${q}`, [wx.me]).to(wx.room);
      const reqId = wecom.pushMessage(n === 1 ? groupText('zhangsan', `@同心 ${q}`) : privateText('zhangsan', q));
      const reply = await push.push({ from: 'oFollower', content: q, msgId: String(5_000_000_000 + n) }, { mode: 'safe' });
      await waitFor(() => wx.sent.length >= n, `Wechaty reply ${n}`);
      await waitFor(() => wecom.replies(reqId).some((f) => f.body?.stream?.finish === true), `WeCom reply ${n}`);
      const wecomFinal = wecom.replies(reqId).find((f) => f.body?.stream?.finish === true)!.body!.stream.content as string;
      return { wechaty: wx.sent[n - 1], wecom: wecomFinal, mp: reply.fields?.Content };
    };

    const first = (await kb.ask(Q)).answer;
    assert.deepEqual(await askAll(Q, 1), { wechaty: first, wecom: toWecomMarkdown(first), mp: first });

    // A refresh while all three run: a new document, ingested into the index they share.
    const before = kb.stats().generation;
    await writeFile(path.join(corpus.corpusDir, 'volunteer.md'), NEW_DOC);
    await corpus.ingest();
    await waitFor(() => kb.stats().generation !== before, 'the reload poller to swap in the new index');
    const second = await kb.ask(Q2);
    assert.equal(second.citations[0]?.title, '志愿服务积分办法');
    assert.deepEqual(await askAll(Q2, 2), { wechaty: second.answer, wecom: toWecomMarkdown(second.answer), mp: second.answer });
    // Each channel asked the core once per question.
    assert.deepEqual(asker.calls.map(([q]) => q), [Q, Q, Q, Q2, Q2, Q2]);
  } finally {
    push.close();
    await running.stop();
  }
  // The question log says where each question came from.
  const { readQaLogs } = await import('../../src/chat/qa-report.ts');
  const logged = await readQaLogs(config.bot.logDir, { days: 1, now: Date.now() });
  assert.deepEqual(logged.records.map((r) => `${r.channel}:${r.question}`).sort(), [Q, Q2].flatMap((q) => ['mp', 'wechaty', 'wecom'].map((c) => `${c}:${q}`)).sort());
});

test('a channel that cannot start is retried with backoff while the others answer, and comes up when it can', async (t) => {
  const corpus = await makeCorpus();
  const kb = await corpus.open();
  t.after(async () => {
    await kb.close();
    await corpus.cleanup();
  });
  // Something else holds the 公众号 port.
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  const config = loadConfig({ env: envFor(corpus, { CHANNELS: 'wechaty,mp', MP_PORT: String(port) }), dotenvDir: false });
  const logs: Log[] = [];
  const logger = createLogger({ level: 'debug', format: 'json', write: (l) => logs.push(JSON.parse(l)) });
  const wx = mockWechat();
  const running = await startChannels({ config, logger, asker: kb, wechatyPuppet: wx.puppet, runner: { firstRetryMs: 50, maxRetryMs: 200 } });
  try {
    assert.deepEqual(running.runner.states, { wechaty: 'running', mp: 'retrying' });
    const failure = logs.find((l) => l.msg === 'channel failed to start; the others keep running, retrying')!;
    assert.equal(failure.channel, 'mp');
    assert.match(String((failure.err as { message: string }).message), new RegExp(`cannot listen on 127.0.0.1:${port} \\(EADDRINUSE\\): change MP_HOST or MP_PORT`));

    // Wechaty answers meanwhile.
    wx.mocker.login(wx.me);
    await waitFor(() => logs.some((l) => l.msg === 'rooms resolved'), 'the Wechaty login');
    wx.alice.say(`@${BOT_NAME}\u2005${Q}`, [wx.me]).to(wx.room);
    await waitFor(() => wx.sent.length >= 1, 'the Wechaty reply');
    assert.deepEqual(wx.sent, [(await kb.ask(Q)).answer]);

    await new Promise<void>((resolve) => blocker.close(() => resolve()));
    await waitFor(() => running.runner.states.mp === 'running', 'mp to come up');
    const retries = logs.filter((l) => l.msg === 'channel failed to start; the others keep running, retrying').map((l) => l.retryInMs);
    assert.deepEqual(retries, [50, 100, 200, 200, 200, 200, 200, 200, 200, 200, 200].slice(0, retries.length));
    const push = new WeChatPush(port);
    t.after(() => push.close());
    const reply = await push.push({ from: 'oFollower', content: Q, msgId: '5100000001' }, { mode: 'safe' });
    assert.equal(reply.fields?.Content, (await kb.ask(Q)).answer);
  } finally {
    await running.stop();
  }
  assert.deepEqual(running.runner.states, { wechaty: 'stopped', mp: 'stopped' });
});
