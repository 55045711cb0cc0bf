// The question's search terms: spoken runs jieba misreads are cut apart first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenizeQuestion } from '../../src/answer/question-tokens.ts';
import { tokenize } from '../../src/index/tokenizer.ts';

test('多少人才能 asks a count of people, not about 人才 (talent)', () => {
  assert.ok(tokenize('党员得有多少人才能成立党委？').includes('人才'), 'jieba alone reads 人才');
  const tokens = tokenizeQuestion('党员得有多少人才能成立党委？');
  assert.ok(!tokens.includes('人才'), tokens.join(' '));
  assert.ok(tokens.includes('成立') && tokens.includes('党委'), tokens.join(' '));
});

test('questions without such a run tokenize exactly as the index does', () => {
  for (const q of ['人才工作归哪个部门管？', '支部委员会任期几年？', '机关党员一百人以上设什么？']) assert.deepEqual(tokenizeQuestion(q), tokenize(q));
  assert.ok(tokenizeQuestion('几年才能转正？').includes('转正'));
});
