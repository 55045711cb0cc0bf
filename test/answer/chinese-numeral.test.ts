import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chineseQuantities, parseChineseNumber } from '../../src/answer/chinese-numeral.ts';

test('well-formed numerals with units parse to their value', () => {
  const cases: Array<[string, number]> = [
    ['三千', 3000],
    ['二百二十三', 223],
    ['两万', 20000],
    ['十九', 19],
    ['三十', 30],
    ['一百零五', 105],
    ['四十万', 400000],
    ['三亿五千万', 350000000],
    ['一万亿', 1e12],
  ];
  for (const [run, value] of cases) assert.equal(parseChineseNumber(run), value, run);
});

test('words made of numeral characters are not numbers', () => {
  for (const run of ['万一', '千万', '百姓', '七八十', '一一', '三四', '一']) assert.equal(parseChineseNumber(run), null, run);
});

test('quantities in running text: unit runs and four-digit years; lone digits stay words', () => {
  assert.deepEqual(chineseQuantities('二〇一九年，报到党员三千余人，落实“五个一”，学习十九大精神，千家万户，一一对应，十分重要，两学一做'), [
    { text: '二〇一九年', value: 2019, year: true },
    { text: '三千', value: 3000, year: false },
    { text: '十九', value: 19, year: false },
  ]);
  assert.deepEqual(chineseQuantities('第一书记、三会一课、一张网'), []);
});
