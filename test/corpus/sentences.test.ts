import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineSpans, sentencePieces, sentenceSpans } from '../../src/corpus/sentences.ts';

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

test('lineSpans: non-blank lines, trimmed, with the offset of their text', () => {
  const text = '  第一行\n\n类别：国贸；发展对象：20181114  \n\t答案： C';
  const spans = lineSpans(text);
  assert.deepEqual(spans, [
    { line: '第一行', at: 2 },
    { line: '类别：国贸；发展对象：20181114', at: 7 },
    { line: '答案： C', at: 30 },
  ]);
  for (const { line, at } of spans) assert.equal(text.slice(at, at + line.length), line);
});
