import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REPLY_CUT_NOTE } from '../../src/chat/replies.ts';
import { splitReply } from '../../src/chat/split-reply.ts';

/** Seven characters each, so packing is easy to follow. */
const s = (i: number) => `第${String(i).padStart(2, '0')}句内容。`;
const run = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => s(from + k)).join('');
const SOURCES = '来源：\n[1]《三会一课制度》';

test('a short answer is one message', () => {
  assert.deepEqual(splitReply('答案[1]\n\n' + SOURCES, '答案[1]'), ['答案[1]\n\n' + SOURCES]);
});

test('a long answer splits at sentence ends; the sources end the last part', () => {
  const body = run(0, 20); // 140 characters
  assert.deepEqual(splitReply(body + '\n\n' + SOURCES, body, { maxChars: 60 }), [
    run(0, 8),
    run(8, 16),
    run(16, 20) + '\n\n' + SOURCES,
  ]);
});

test('too long for three parts: the body is cut with a note and the sources come last', () => {
  const body = run(0, 40);
  assert.deepEqual(splitReply(body + '\n\n' + SOURCES, body, { maxChars: 60 }), [
    run(0, 8),
    run(8, 13) + REPLY_CUT_NOTE,
    SOURCES,
  ]);
  assert.deepEqual(splitReply(body, body, { maxChars: 60 }), [run(0, 8), run(8, 16), run(16, 21) + REPLY_CUT_NOTE]);
});

test('a cut keeps whole sentences, closing quotes included', () => {
  const quoted = '他说：“这一句在引号里面，比较长一些。”';
  const body = run(0, 8) + quoted + '后面还有一句也挺长的话呢呢呢呢呢呢呢呢呢！' + run(20, 30);
  assert.deepEqual(splitReply(body, body, { maxChars: 60, maxParts: 2 }), [run(0, 8), quoted + REPLY_CUT_NOTE]);
});
