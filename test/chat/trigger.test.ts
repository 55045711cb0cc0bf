import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectTrigger } from '../../src/chat/trigger.ts';
import { unquote } from '../../src/chat/quote.ts';

const base = { inRoom: true, mentionedByPayload: false, botNames: ['同心'], keywords: ['党建问答'] };

test('an @-mention reported by the puppet is stripped, with U+2005 after the name', () => {
  assert.deepEqual(detectTrigger({ ...base, text: '@同心\u2005入党需要什么条件？', mentionedByPayload: true }), {
    question: '入党需要什么条件？',
    via: 'mention',
  });
});

test('without mention ids, "@name" followed by U+2005 or a space still triggers', () => {
  assert.deepEqual(detectTrigger({ ...base, text: '@同心\u2005党费怎么交' }), { question: '党费怎么交', via: 'mention' });
  assert.deepEqual(detectTrigger({ ...base, text: '请问\u2005@同心\u2005党费怎么交' }), { question: '请问 党费怎么交', via: 'mention' });
  assert.deepEqual(detectTrigger({ ...base, text: '@同心 党费怎么交' }), { question: '党费怎么交', via: 'mention' });
  assert.deepEqual(detectTrigger({ ...base, text: '@同心\u00a0党费怎么交' }), { question: '党费怎么交', via: 'mention' });
  assert.deepEqual(detectTrigger({ ...base, text: '请问党费怎么交 @同心' }), { question: '请问党费怎么交', via: 'mention' });
  // "@同心协力" is another name, not the bot.
  assert.equal(detectTrigger({ ...base, text: '@同心协力 你好' }), null);
  assert.equal(detectTrigger({ ...base, text: '@同心协力\u2005你好' }), null);
});

test('a mention under an unknown room alias drops the leading @token', () => {
  assert.deepEqual(
    detectTrigger({ ...base, text: '@小同\u2005什么是三会一课', mentionedByPayload: true }),
    { question: '什么是三会一课', via: 'mention' },
  );
});

test('a keyword at the start triggers and is stripped with its punctuation', () => {
  assert.deepEqual(detectTrigger({ ...base, text: '党建问答：什么是三会一课' }), { question: '什么是三会一课', via: 'keyword' });
  assert.equal(detectTrigger({ ...base, text: '我想问党建问答的事' }), null);
});

test('room messages without a trigger are not for the bot; private messages always are', () => {
  assert.equal(detectTrigger({ ...base, text: '大家好' }), null);
  assert.deepEqual(detectTrigger({ ...base, inRoom: false, text: '  大家好 ' }), { question: '大家好', via: 'private' });
  assert.deepEqual(detectTrigger({ ...base, inRoom: false, text: '党建问答 党费' }), { question: '党费', via: 'private' });
});

test('a quoted message is answered by the text after the separator', () => {
  const text = '「张三：支部党员大会多久开一次」\n- - - - - - - - - - - - - - -\n@同心\u2005这个怎么规定的';
  assert.deepEqual(detectTrigger({ ...base, text }), { question: '这个怎么规定的', via: 'mention' });
  const quotingBot = '「同心：支部党员大会一般每季度召开1次。」\n- - - - - - - - - - - - - - -\n那党小组会呢';
  assert.deepEqual(detectTrigger({ ...base, text: quotingBot }), { question: '那党小组会呢', via: 'quote' });
  const quotingOther = '「张三：开会了」\n- - - - - - - - - - - - - - -\n收到';
  assert.equal(detectTrigger({ ...base, text: quotingOther }), null);
});

test('unquote splits name, quoted text and reply; leaves other text whole', () => {
  assert.deepEqual(unquote('「李四：原话」\n- - - - - - - - - - - - - - -\n回复'), {
    reply: '回复',
    quoted: { name: '李四', text: '原话' },
  });
  assert.deepEqual(unquote('「不是引用」没有分隔线'), { reply: '「不是引用」没有分隔线' });
  assert.deepEqual(unquote('普通消息\n- - - - -\n尾巴'), { reply: '普通消息\n- - - - -\n尾巴' });
});
