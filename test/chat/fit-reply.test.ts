import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitReplyBytes } from '../../src/chat/fit-reply.ts';
import { REPLY_CUT_NOTE } from '../../src/chat/replies.ts';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

test('a reply within the limit is kept whole', () => {
  assert.equal(fitReplyBytes('短回答。[1]\n\n来源：\n[1]《文件》', '短回答。[1]', 2048), '短回答。[1]\n\n来源：\n[1]《文件》');
});

test('a long body is cut after the last whole sentence that fits, the sources kept whole at the end', () => {
  const sentence = (i: number) => `第${String(i).padStart(2, '0')}句内容说明。`;
  const body = Array.from({ length: 100 }, (_, i) => sentence(i)).join('');
  const sources = '来源：\n[1]《三会一课制度》三会一课，第1/1段';
  const reply = fitReplyBytes(`${body}\n\n${sources}`, body, 2048);
  assert.ok(bytes(reply) <= 2048, `${bytes(reply)} bytes`);
  const room = 2048 - bytes(`\n\n${sources}`) - bytes(REPLY_CUT_NOTE);
  const kept = Math.floor(room / bytes(sentence(0))); // 23 bytes each: digits are one byte
  assert.equal(reply, Array.from({ length: kept }, (_, i) => sentence(i)).join('') + REPLY_CUT_NOTE + `\n\n${sources}`);
});

test('one sentence longer than the limit is cut by characters, never inside a character', () => {
  const body = '长'.repeat(1000);
  const reply = fitReplyBytes(body, '', 2048);
  const room = 2048 - bytes(REPLY_CUT_NOTE);
  assert.equal(reply, '长'.repeat(Math.floor(room / 3)) + REPLY_CUT_NOTE);
});
