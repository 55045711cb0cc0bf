import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readMessage } from '../../../src/channels/wecom/wecom-message.ts';

const group = (content: string) => readMessage({ msgid: 'm1', aibotid: 'b', chatid: 'g1', chattype: 'group', from: { userid: 'u1' }, msgtype: 'text', text: { content } } as never, 1_000);
const text = (content: string) => {
  const r = group(content);
  assert.ok(r.ok);
  return r.msg.text;
};

test('group texts lose every @-mention, wherever it stands and however it ends', () => {
  assert.equal(text('@同心 什么是三会一课'), '什么是三会一课');
  assert.equal(text('@同心'), '');
  assert.equal(text('@张三 @同心 党费怎么交'), '党费怎么交');
  assert.equal(text('请问 @同心 党费怎么交'), '请问  党费怎么交');
  assert.equal(text('@同心，原文 1'), '原文 1');
  assert.equal(text('@同心\u2005原文 2'), '原文 2');
  // Not a mention: an address, and an @ inside a word.
  assert.equal(text('@同心 邮箱 dangjian@example.gov.cn 对吗'), '邮箱 dangjian@example.gov.cn 对吗');
});

test('a group message is a mention of the bot in its room; a private one has no room; bad callbacks are refused with a reason', () => {
  const g = group('@同心 问题');
  assert.deepEqual(g, {
    ok: true,
    chat: 'g1',
    msg: { id: 'm1', text: '问题', isText: true, fromSelf: false, timestamp: 1_000, talker: { id: 'u1', name: '' }, room: { id: 'g1' }, mentionedByPayload: true, botNames: [] },
  });
  const p = readMessage({ msgid: 'm2', aibotid: 'b', chattype: 'single', from: { userid: 'u2' }, msgtype: 'text', text: { content: '@同心 问题' } } as never, 5);
  assert.deepEqual(p, { ok: true, chat: 'u2', msg: { id: 'm2', text: '@同心 问题', isText: true, fromSelf: false, timestamp: 5, talker: { id: 'u2', name: '' }, mentionedByPayload: false, botNames: [] } });
  const img = readMessage({ msgid: 'm3', aibotid: 'b', chattype: 'single', from: { userid: 'u2' }, msgtype: 'image', image: { url: 'x' } } as never, 5);
  assert.ok(img.ok && !img.msg.isText && img.msg.text === '');
  assert.deepEqual(readMessage(undefined, 0), { ok: false, reason: 'no body' });
  assert.deepEqual(readMessage({ aibotid: 'b', chattype: 'single', from: { userid: 'u' }, msgtype: 'text' } as never, 0), { ok: false, reason: 'no msgid' });
  assert.deepEqual(readMessage({ msgid: 'x', chattype: 'single', msgtype: 'text' } as never, 0), { ok: false, reason: 'no from.userid' });
  assert.deepEqual(readMessage({ msgid: 'x', chattype: 'group', from: { userid: 'u' }, msgtype: 'text' } as never, 0), { ok: false, reason: 'group without chatid' });
  assert.deepEqual(readMessage({ msgid: 'x', chattype: 'channel', from: { userid: 'u' }, msgtype: 'text' } as never, 0), { ok: false, reason: 'chattype channel' });
});
