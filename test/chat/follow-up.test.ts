import { test } from 'node:test';
import assert from 'node:assert/strict';
import { looksLikeFollowUp } from '../../src/chat/follow-up.ts';

test('referring openings and subject-less short questions are follow-ups', () => {
  for (const q of ['那完成了多少个？', '那么党小组会呢', '还有别的要求吗', '这个怎么申请', '它的标准是什么', '多久一次？', '为什么']) {
    assert.equal(looksLikeFollowUp(q), true, q);
  }
});

test('questions that name their subject are not', () => {
  for (const q of ['什么是三会一课？', '入党需要什么条件', '在职党员到社区报到的比例是多少？', '', '？？']) {
    assert.equal(looksLikeFollowUp(q), false, q);
  }
});
