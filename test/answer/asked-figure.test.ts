// The kind of figure a question asks for, and what text holds one (normalizeFigures' form).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { askedFigure } from '../../src/answer/asked-figure.ts';
import { normalizeFigures } from '../../src/answer/normalize-figures.ts';

const holds = (question: string, text: string) => askedFigure(question)?.test(normalizeFigures(text)) ?? null;

test('a date: 啥时候, 哪一年, 几号; a recurring time answers 啥时候 too', () => {
  assert.equal(holds('微心愿平台是啥时候开始搞的？', '2018年，梨树县开通了微心愿平台。'), true);
  assert.equal(holds('批复是哪天下来的？', '二〇二〇年十二月三十一日'), true);
  assert.equal(holds('党建例会一般啥时候开？', '每月月初，各街道社区党组织召开一次党建工作会议。'), true);
  assert.equal(holds('党建例会一般啥时候开？', '各街道社区党组织召开党建工作会议。'), false);
});

test('a duration: 多久, 多长时间, 几年, in either script', () => {
  assert.equal(holds('材料多长时间内要交？', '应当在一个月内移交。'), true);
  assert.equal(holds('支部委员会任期几年？', '每届任期一般为5年。'), true);
  assert.equal(holds('多久归档？', '应当及时归档。'), false);
});

test('a count in the measure word asked: 多少个, 几名, 最多几人', () => {
  assert.equal(holds('一共发了多少个心愿？', '累计发布心愿6230个。'), true);
  assert.equal(holds('一共发了多少个心愿？', '累计发布心愿6230条。'), false);
  assert.equal(holds('支委会最多几人？', '委员一般不超过七人。'), true);
  // 几个人 counts people, not 个.
  assert.equal(holds('正式党员最少几个人能成立党支部？', '正式党员3人以上的，成立党支部。'), true);
});

test('a document number: 文号, 发文字号', () => {
  assert.equal(holds('那个批复的文号是多少？', '路卫发〔2011〕76号'), true);
  assert.equal(holds('发文字号是啥？', '中办发[2019]14号'), true);
  assert.equal(holds('那个批复的文号是多少？', '2011年3月1日该同志递交辞职报告。'), false);
});

test('no figure of a known kind asked: null', () => {
  assert.equal(askedFigure('比例是多少？'), null);
  // 哪几个 asks which ones, a list: 红色商圈1个 is no answer to it.
  assert.equal(askedFigure('六共一融具体是哪几个共？'), null);
  assert.equal(askedFigure('党的纪律处分都有哪几种？'), null);
  // 那几个/这几年 point at things: no count, no duration asked.
  assert.equal(askedFigure('长春党史研究室说的那几个“室”是啥？'), null);
  assert.equal(askedFigure('这几年巡视搞到什么程度了？'), null);
  assert.equal(askedFigure('党支部主要干什么？'), null);
});
