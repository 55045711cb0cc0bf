// The refusal gate's terms: a function word jieba's HMM glued to a character is not weighed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gateTerms } from '../../src/answer/gate-terms.ts';
import { dictionaryWords, tokenize } from '../../src/index/tokenizer.ts';

describe('gateTerms', () => {
  test('a glued word with a stop or question word in it is weighed as its other pieces', () => {
    assert.deepEqual(dictionaryWords('该建'), ['该', '建']);
    assert.deepEqual(gateTerms(['该建', '总支', '建', '支部']), ['建', '总支', '支部']);
    // 得 is a colloquial question word (word-lists/question-words.txt), 会 a stop word.
    assert.deepEqual(gateTerms(['行得', '正会']), ['行', '正']);
  });

  test('from a real question: 该建 of 该建总支 gives way to 建', () => {
    const tokens = tokenize('该建总支还是建支部？');
    assert.ok(tokens.includes('该建'), `jieba's HMM glues 该建: ${tokens.join(' ')}`);
    assert.ok(!gateTerms(tokens).includes('该建'));
    assert.ok(gateTerms(tokens).includes('建'));
  });

  test('a name (no function piece), a dictionary word and a question word stay whole', () => {
    assert.deepEqual(gateTerms(['张阿三', '星号', '那批']), ['张阿三', '星号', '那批']);
  });

  test('a glued word of function pieces only stays whole: nothing would be left to weigh', () => {
    assert.deepEqual(dictionaryWords('哪能'), ['哪', '能']);
    assert.deepEqual(gateTerms(['哪能', '买']), ['哪能', '买']);
  });

  test('repeated tokens (a follow-up repeats the question) are one term', () => {
    assert.deepEqual(gateTerms(['支部', '支部']), ['支部']);
  });
});
