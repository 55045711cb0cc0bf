import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sentencePieces, sentenceSpans } from '../../src/corpus/sentences.ts';

const TEXT = '  一。二！“三？”\n\n四…… 五;six!七\n';

test('sentence spans end after end punctuation and closing quotes, or before a line break', () => {
  assert.deepEqual(
    sentenceSpans(TEXT).map(([s, e]) => TEXT.slice(s, e)),
    ['一。', '二！', '“三？”', '四……', '五;', 'six!', '七'],
  );
});

test('sentence pieces keep what follows each sentence and join back into the text', () => {
  assert.deepEqual(sentencePieces(TEXT), ['  一。', '二！', '“三？”\n\n', '四…… ', '五;', 'six!', '七\n']);
  assert.deepEqual(sentencePieces('一。二！三\n四？五'), ['一。', '二！', '三\n', '四？', '五']);
  assert.deepEqual(sentencePieces('没有句号'), ['没有句号']);
  assert.deepEqual(sentencePieces(' \n '), [' \n ']);
  assert.deepEqual(sentencePieces(''), []);
});
