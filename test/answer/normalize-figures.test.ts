import { test } from 'node:test';
import assert from 'node:assert/strict';
import { includesFigures, normalizeFigures } from '../../src/answer/normalize-figures.ts';

test('the same figure in either script, unit spacing and width has one canonical form', () => {
  const same: Array<[string, string, string]> = [
    ['1个月', '一个月', '1个月'],
    ['1 个月', '一个月', '1个月'],
    ['6个月以上', '六个月以上', '6个月以上'],
    ['0.5％', '0.5%', '0.5%'],
    ['6-8名', '六至八名', '6-8名'],
    ['6～8名', '6至8名', '6-8名'],
    ['5%', '百分之五', '5%'],
    ['0.5%', '百分之零点五', '0.5%'],
    ['3万', '三万', '30000'],
    ['12,000', '12000', '12000'],
    ['2019年', '二〇一九年', '2019年'],
    ['第12条', '第十二条', '第12条'],
    ['2年', '两年', '2年'],
    ['18岁以上', '十八岁以上', '18岁以上'],
    ['3000余人', '三千余人', '3000余人'],
    ['6 - 8名', '6 ～ 8名', '6-8名'],
    ['2/3以上', '三分之二以上', '2/3以上'],
    ['4/5', '5分之4', '4/5'],
    ['10余人', '十余人', '10余人'],
    ['2个多月', '两个多月', '2个多月'],
    ['100元', '壹佰元', '100元'],
    ['12人', '壹拾贰人', '12人'],
  ];
  for (const [a, b, canonical] of same) {
    assert.equal(normalizeFigures(a), canonical, a);
    assert.equal(normalizeFigures(b), canonical, b);
  }
});

test('numeral characters that are words, not quantities, stay as written', () => {
  for (const word of ['两学一做', '三会一课', '一张网', '千万', '万一', '百姓', '大陆人', '收拾好', '一多半']) assert.equal(normalizeFigures(word), word);
  assert.equal(normalizeFigures('2019-03-05'), '2019-03-05');
});

test('includesFigures finds a fact written in the other script', () => {
  assert.equal(includesFigures('预备期满一年的，支部应当及时讨论其能否转正。', '1年'), true);
  assert.equal(includesFigures('每个支部委员会由六至八名委员组成。', '6-8名'), true);
  assert.equal(includesFigures('每个支部委员会由六至八名委员组成。', '5-7名'), false);
  assert.equal(includesFigures('须经到会党员三分之二以上同意。', '2/3以上'), true);
  assert.equal(includesFigures('须经到会党员三分之二以上同意。', '3/4'), false);
});
