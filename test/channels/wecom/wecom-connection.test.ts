/**
 * The WeCom long connection as the real SDK keeps it, against the loopback server: the subscribe
 * frame, heartbeats, a dropped connection that comes back, a refused secret (at start and on a
 * reconnect), WeCom's disconnected_event, and the start-up checks of the three variables.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkWecomConfig, createWecomChannel } from '../../../src/channels/wecom/wecom-channel.ts';
import { loadConfig } from '../../../src/config.ts';
import { ConfigError } from '../../../src/errors.ts';
import { waitFor } from '../../chat/manual-clock.ts';
import { LEXICAL_ENV } from '../wechat-harness.ts';
import { FAST, groupText, privateText, startWecom, useKnowledgeBase } from './wecom-harness.ts';
import { AUTH_REFUSED, WecomServer } from './wecom-server.ts';

const knowledgeBase = useKnowledgeBase();

/** Real time for the SDK's own timers to (not) act: several reconnect delays of FAST. */
const quiet = () => new Promise((r) => setTimeout(r, 300));

test('start() subscribes with the documented frame and resolves once WeCom confirms', async () => {
  const h = await startWecom({ asker: knowledgeBase() });
  try {
    const [subscribe] = h.server.sent('aibot_subscribe');
    assert.equal(h.server.frames.length, 1);
    assert.deepEqual(Object.keys(subscribe!).sort(), ['at', 'body', 'clock', 'cmd', 'conn', 'headers']);
    assert.match(subscribe!.headers.req_id, /^aibot_subscribe_\d+_/);
    assert.deepEqual(subscribe!.body, { bot_id: h.server.botId, secret: h.server.secret });
    assert.equal(h.channel.state, 'online');
    assert.deepEqual(h.lines('wecom connected').map((l) => l.wsUrl), [h.server.url]);
    // The secret never reaches a log line, not even the SDK's debug ones.
    assert.ok(!JSON.stringify(h.logs).includes(h.server.secret));
  } finally {
    await h.stop();
  }
  assert.equal(h.channel.state, 'stopped');
});

test('heartbeat: the SDK pings as documented; without acks it drops the dead connection and reconnects', async () => {
  const h = await startWecom({ asker: knowledgeBase(), timing: { ...FAST, heartbeatMs: 40 } });
  try {
    await waitFor(() => h.server.sent('ping').length >= 2, 'two pings');
    for (const ping of h.server.sent('ping')) {
      assert.deepEqual({ cmd: ping.cmd, headers: ping.headers, body: ping.body }, { cmd: 'ping', headers: { req_id: ping.headers.req_id }, body: undefined });
      assert.match(ping.headers.req_id, /^ping_\d+_/);
    }
    h.server.ackPings = false;
    // Two pings without an ack: the SDK terminates the socket and connects again.
    await waitFor(() => h.server.connections === 2, 'a second connection');
    h.server.ackPings = true;
    await h.server.waitAuthenticated(2);
    await waitFor(() => h.channel.state === 'online', 'online again');
    const reqId = h.server.pushMessage(privateText('alice', '党费怎么交'));
    await h.answered(reqId);
    assert.equal(h.lines('wecom connection lost; reconnecting with backoff (1 s doubling to 30 s, until it is back)').length, 1);
    assert.equal(h.lines('wecom connection restored').length, 1);
  } finally {
    await h.stop();
  }
});

test('a dropped connection comes back by itself: logged once when lost, once when restored; the next question is answered', async () => {
  const h = await startWecom({ asker: knowledgeBase() });
  try {
    const before = h.server.pushMessage(groupText('alice', '@同心 什么是三会一课'));
    await h.answered(before);
    h.server.dropAll();
    await waitFor(() => h.server.connections === 2, 'the SDK reconnects');
    await h.server.waitAuthenticated(2);
    await waitFor(() => h.channel.state === 'online', 'online again');
    const afterDrop = h.server.pushMessage(groupText('bob', '@同心 党费怎么交'));
    const frames = await h.answered(afterDrop);
    assert.ok(frames.every((f) => f.conn === 2), 'answered on the new connection');
    assert.equal(frames.filter((f) => f.body?.stream?.finish).length, 1);
    const lost = h.lines('wecom connection lost; reconnecting with backoff (1 s doubling to 30 s, until it is back)');
    assert.equal(lost.length, 1);
    assert.equal(lost[0]!.level, 'warn');
    assert.match(String(lost[0]!.hint), /WECOM_WS_URL/);
    assert.equal(h.lines('wecom connection restored').length, 1);
    assert.equal(h.logs.filter((l) => l.level === 'error').length, 0);
  } finally {
    await h.stop();
  }
});

test('a refused secret at start: start() rejects naming both variables, logged once, and the SDK does not retry', async () => {
  const server = await WecomServer.start();
  const h = await startWecom({ asker: knowledgeBase(), server, connect: false });
  server.secret = 'the-real-secret';
  try {
    await assert.rejects(h.channel.start(), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /WeCom refused WECOM_BOT_ID and WECOM_BOT_SECRET \(Authentication failed: invalid bot_id or secret \(code: 853000\)\): copy both again from 企业微信管理后台/);
      return true;
    });
    await quiet();
    assert.equal(server.connections, 1);
    assert.equal(server.sent('aibot_subscribe').length, 1);
    assert.equal(h.channel.state, 'auth-failed');
    const errors = h.logs.filter((l) => l.level === 'error' || l.level === 'warn');
    assert.deepEqual(errors.map((l) => l.msg), ['wecom channel could not start']);
    assert.equal(AUTH_REFUSED.errcode, 853000);
  } finally {
    await h.stop();
  }
});

test('a secret revoked while running: one error on the refused reconnect, one when the SDK gives up', async () => {
  const h = await startWecom({ asker: knowledgeBase() });
  try {
    h.server.secret = 'regenerated-in-the-console';
    h.server.dropAll();
    await waitFor(() => h.channel.state === 'auth-failed', 'the SDK gives up');
    await quiet();
    // FAST.maxAuthFailures is 2: the first reconnect and two retries were refused.
    assert.equal(h.server.sent('aibot_subscribe').length, 4);
    const errors = h.logs.filter((l) => l.level === 'error').map((l) => l.msg);
    assert.deepEqual(errors, [
      'wecom refused the bot id and secret on reconnecting; the SDK retries a few times, then gives up',
      'wecom gave up after repeated authentication failures; the channel is down',
    ]);
    assert.equal(h.server.connections, 4);
  } finally {
    await h.stop();
  }
});

test("WeCom's disconnected_event (another connection took the bot): logged once, and this one does not fight back", async () => {
  const h = await startWecom({ asker: knowledgeBase() });
  try {
    h.server.replace();
    await waitFor(() => h.channel.state === 'replaced', 'replaced');
    await waitFor(() => h.server.open === 0, 'the socket closed');
    await quiet();
    assert.equal(h.server.connections, 1, 'no reconnect');
    const replaced = h.lines('wecom connection replaced by another connection with the same WECOM_BOT_ID');
    assert.equal(replaced.length, 1);
    assert.equal(replaced[0]!.level, 'error');
    assert.match(String(replaced[0]!.hint), /stop the other one, then restart this one/);
    assert.equal(h.lines('wecom connection lost; reconnecting with backoff (1 s doubling to 30 s, until it is back)').length, 0);
  } finally {
    await h.stop();
  }
});

test('WeCom unreachable at start: start() rejects naming WECOM_WS_URL', async () => {
  const server = await WecomServer.start();
  const url = server.url;
  await server.close();
  const config = loadConfig({ env: { ...LEXICAL_ENV, WECOM_BOT_ID: 'b', WECOM_BOT_SECRET: 's', WECOM_WS_URL: url }, dotenvDir: false });
  const logs: string[] = [];
  const { createLogger } = await import('../../../src/log.ts');
  const channel = await createWecomChannel({ config, asker: knowledgeBase(), logger: createLogger({ format: 'json', write: (l) => logs.push(l) }), timing: FAST });
  try {
    await assert.rejects(channel.start(), new RegExp(`cannot reach WeCom at ${url.replace(/[.]/g, '\\.')} \\(WECOM_WS_URL\\): .*ECONNREFUSED`));
    assert.equal(logs.length, 1, logs.join('\n'));
  } finally {
    await channel.stop();
  }
});

test('start-up checks: missing WECOM_BOT_ID / WECOM_BOT_SECRET named, WECOM_WS_URL validated with the SDK default', async () => {
  const cfg = (env: Record<string, string>) => loadConfig({ env: { ...LEXICAL_ENV, ...env }, dotenvDir: false });
  assert.throws(() => checkWecomConfig(cfg({})), /^ConfigError: Tongxin: WECOM_BOT_ID and WECOM_BOT_SECRET are not set, and the wecom channel needs both: copy them from 企业微信管理后台/);
  assert.throws(() => checkWecomConfig(cfg({ WECOM_BOT_ID: 'aib1' })), /WECOM_BOT_SECRET is not set/);
  await assert.rejects(createWecomChannel({ config: cfg({ WECOM_BOT_SECRET: 'x' }), asker: knowledgeBase() }), /WECOM_BOT_ID is not set/);
  assert.equal(cfg({}).wecom.wsUrl, 'wss://openws.work.weixin.qq.com');
  assert.equal(cfg({ WECOM_WS_URL: 'wss://wecom.example.gov.cn:8443/ws' }).wecom.wsUrl, 'wss://wecom.example.gov.cn:8443/ws');
  assert.throws(() => cfg({ WECOM_WS_URL: 'https://openws.work.weixin.qq.com' }), /WECOM_WS_URL="https:\/\/openws.work.weixin.qq.com" is not a ws:\/\/ or wss:\/\/ URL/);
});

test('start() twice at once is one connection; after stop() it refuses', async () => {
  const h = await startWecom({ asker: knowledgeBase(), connect: false });
  try {
    await Promise.all([h.channel.start(), h.channel.start()]);
    await h.channel.start();
    assert.equal(h.server.connections, 1);
    assert.equal(h.server.sent('aibot_subscribe').length, 1);
  } finally {
    await h.stop();
  }
  await assert.rejects(h.channel.start(), /the wecom channel was stopped; create a new one to connect again/);
});
