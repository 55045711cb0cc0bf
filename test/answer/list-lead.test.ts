// A rule's list under its lead line (第四条 …的主要任务是： （一）学史明理。…).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listLeads } from '../../src/answer/list-lead.ts';
import { extractSentences } from '../../src/answer/extractive-composer.ts';
import type { RetrievedPassage } from '../../src/answer/types.ts';

const ARTICLE = [
  '第四条 党史学习教育工作的主要任务是：',
  '',
  '（一）学史明理。教育引导党员深刻领悟中国共产党为什么能、马克思主义为什么行。',
  '',
  '（二）学史增信。教育引导党员增强对马克思主义、共产主义的信仰。',
  '',
  '（三）学史崇德。教育引导党员涵养高尚道德品质，崇尚对党忠诚的大德、造福人民的公德、严于律己的品德，做到始终忠于党、忠于人民。',
].join('\n');

test('a lead and its items: the lead with each item opening, the offsets spanning them all', () => {
  const [list, ...rest] = listLeads(ARTICLE);
  assert.deepEqual(rest, []);
  assert.equal(list!.text, '第四条 党史学习教育工作的主要任务是：（一）学史明理。（二）学史增信。（三）学史崇德。');
  assert.equal(list!.lead, '第四条 党史学习教育工作的主要任务是：');
  assert.equal(ARTICLE.slice(list!.start, list!.end), ARTICLE);
});

test('a long item opens with its first clause; one item or no lead is no list', () => {
  const text = '必须遵守下列纪律：\n（一）严禁利用职务、工作上的便利，直接实施档案造假，授意、指使他人档案造假；\n（二）严禁泄露档案内容。';
  assert.equal(listLeads(text)[0]!.text, '必须遵守下列纪律：（一）严禁利用职务、工作上的便利…（二）严禁泄露档案内容。');
  assert.deepEqual(listLeads('主要任务是：\n（一）学史明理。'), []);
  assert.deepEqual(listLeads('（一）学史明理。\n（二）学史增信。'), []);
  // 2019.5 and 1.5倍 are figures, not item numbers.
  assert.deepEqual(listLeads('数据如下：\n2019.5 万人\n1.5倍'), []);
});

function retrieved(text: string): RetrievedPassage {
  return { passageId: 0, docId: 'rule', title: '党史学习教育工作条例', heading: text.split('\n')[0]!, text, start: 0, end: text.length, part: 1, parts: 1, score: 1, loc: {} };
}

test('a question asking for the list gets it, matched on the lead; other questions get sentences', () => {
  const tokens = ['党史', '学习', '教育', '主要任务'];
  const [best] = extractSentences('党史学习教育的主要任务有哪几条？', tokens, [retrieved(ARTICLE)], () => 1, { maxSentences: 1 });
  assert.deepEqual([best!.kind, best!.text], ['list', '第四条 党史学习教育工作的主要任务是：（一）学史明理。（二）学史增信。（三）学史崇德。']);
  const [other] = extractSentences('学史崇德要求党员做到什么？', ['崇德', '党员', '做到'], [retrieved(ARTICLE)], () => 1, { maxSentences: 1 });
  assert.equal(other!.kind, 'sentence');
  assert.equal(other!.text, '教育引导党员涵养高尚道德品质，崇尚对党忠诚的大德、造福人民的公德、严于律己的品德，做到始终忠于党、忠于人民。');
});
