import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatNumber } from '../../../src/corpus/loaders/word-number-format.ts';

test('Word number formats used by Chinese documents', () => {
  const counting = [1, 2, 10, 11, 12, 20, 21, 99, 100, 101, 110, 1010].map((n) => formatNumber(n, 'chineseCountingThousand'));
  assert.deepEqual(counting, ['一', '二', '十', '十一', '十二', '二十', '二十一', '九十九', '一百', '一百零一', '一百一十', '一千零一十']);
  assert.equal(formatNumber(3, 'chineseCounting'), '三');
  assert.equal(formatNumber(10, 'ideographDigital'), '一〇');
  assert.equal(formatNumber(12, 'chineseLegalSimplified'), '壹拾贰');
  assert.deepEqual([1, 3, 10, 11].map((n) => formatNumber(n, 'ideographTraditional')), ['甲', '丙', '癸', '甲']);
  assert.equal(formatNumber(3, 'ideographZodiac'), '寅');
  assert.equal(formatNumber(2, 'decimalEnclosedCircle'), '②');
  assert.equal(formatNumber(12, 'decimalFullWidth'), '１２');
  assert.equal(formatNumber(7, 'decimalZero'), '07');
  assert.deepEqual([1, 26, 27].map((n) => formatNumber(n, 'lowerLetter')), ['a', 'z', 'aa']);
  assert.deepEqual([4, 9, 14, 1990].map((n) => formatNumber(n, 'upperRoman')), ['IV', 'IX', 'XIV', 'MCMXC']);
  assert.equal(formatNumber(5, 'lowerRoman'), 'v');
  assert.equal(formatNumber(5, 'none'), '');
  assert.equal(formatNumber(5, 'someFutureFormat'), '5'); // unknown: the number is never lost
});
