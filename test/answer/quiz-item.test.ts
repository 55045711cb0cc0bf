// Question-bank items with their answer keys (题库导出), as the PDF loader writes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyedQuizItems } from '../../src/answer/quiz-item.ts';
import { extractSentences } from '../../src/answer/extractive-composer.ts';
import type { RetrievedPassage } from '../../src/answer/types.ts';

const ITEM = '4、中国共产党党员必须履行的义务有()。\n\nA、 6条\n\nB、 7条\n\nC、 8条\n\n答案： C';

test('a single-choice item: the stem and the keyed option, with its offsets', () => {
  const [item, ...rest] = keyedQuizItems(ITEM);
  assert.deepEqual(rest, []);
  assert.equal(item!.text, '中国共产党党员必须履行的义务有()。答案：C、 8条');
  assert.equal(ITEM.slice(item!.start, item!.end), ITEM);
});

test('several keyed letters, a true/false item, and two items in one passage', () => {
  const text = '48、党的纪律处分有( )\nA、 警告\nB、 严重警告\nC、 开除党籍\n答案： AC\n202、社会主义核心价值观是当代中国精神的集中体现。\n答案： 正确';
  assert.deepEqual(keyedQuizItems(text).map((i) => i.text), ['党的纪律处分有( )答案：A、 警告；C、 开除党籍', '社会主义核心价值观是当代中国精神的集中体现。答案：正确']);
});

test('no key, an empty key, or a key naming a missing option: no keyed item', () => {
  assert.deepEqual(keyedQuizItems('5、核心是( )。\nA、 爱国主义\nB、 为人民服务'), []);
  assert.deepEqual(keyedQuizItems('5、核心是( )。\nA、 爱国主义\n答案：'), []);
  assert.deepEqual(keyedQuizItems('5、核心是( )。\nA、 爱国主义\n答案： D'), []);
  assert.deepEqual(keyedQuizItems('第五条 党员应当按期交纳党费。'), []);
});

test('a stem asking for the false statement is not keyed: its key names what is wrong', () => {
  const text = '46、关于预备党员,不正确的是( )。\nA、 说法甲\nB、 说法乙\nD、 说法丙\n答案： AD';
  assert.deepEqual(keyedQuizItems(text), []);
  assert.deepEqual(keyedQuizItems(text.replace('不正确的是', '正确的是')).map((i) => i.text), ['关于预备党员,正确的是( )。答案：A、 说法甲；D、 说法丙']);
});

function retrieved(text: string, passageId = 0): RetrievedPassage {
  return { passageId, docId: 'bank', title: '题库', heading: '', text, start: 0, end: text.length, part: 1, parts: 1, score: 1, loc: {} };
}

test('the composer quotes a keyed item whole, the answer with it, and a repeated item once', () => {
  const again = ITEM.replace('4、', '133、');
  const out = extractSentences('党员的义务一共有几条？', ['党员', '义务', '几条'], [retrieved(ITEM), retrieved(again, 1)], () => 1);
  assert.deepEqual(out.map((s) => [s.passage, s.text, s.kind]), [[0, '中国共产党党员必须履行的义务有()。答案：C、 8条', 'keyed']]);
});

test('an item without its key stays quiz material: never quoted beside a stated rule', () => {
  const unkeyed = '12、共青团的团歌是( )。\nB、 《共青团员之歌》';
  const rule = '共青团团歌是《光荣啊，中国共青团》。';
  const out = extractSentences('团歌叫啥？', ['团歌'], [retrieved(`${unkeyed}\n${rule}`)], () => 1);
  assert.deepEqual(out.map((s) => s.text), [rule]);
});
