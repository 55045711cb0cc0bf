// A question naming its document: which names are read from it, and which documents they name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Passage } from '../../src/corpus/passage.ts';
import { documentNames, namedDocuments } from '../../src/answer/named-document.ts';

const doc = (id: number, docId: string, title: string): Passage => ({ id, docId, title, heading: '', text: '正文', start: 0, end: 2, loc: {} });
const passages: Passage[] = [
  doc(0, '每周一学_党政机关厉行节约反对浪费条例', '党政机关厉行节约反对浪费条例'),
  doc(1, '每周一学_党政机关厉行节约反对浪费条例', '党政机关厉行节约反对浪费条例'),
  doc(2, '每周一学_党史学习教育工作条例', '党史学习教育工作条例'),
  doc(3, '十九大报告_全文', '决胜全面建成小康社会 夺取新时代中国特色社会主义伟大胜利'),
  doc(4, 'notices/批复_同意辞职', '关于同意张阿三同志辞职的批复'),
  doc(5, '街道党建党员信息登记表', '街道党建党员信息登记表'),
  doc(6, '干部任免审批表', '干部任免审批表'),
];
const named = (q: string) => [...namedDocuments(q, passages)];

test('names end in a document word or stand in 《》', () => {
  assert.deepEqual(documentNames('按《条例》第五条，节约条例里说的浪费指啥？'), [
    { name: '条例', word: '' },
    { name: '节约条例', word: '条例' },
  ]);
  assert.deepEqual(documentNames('梨树县一共有多少名党员？'), []);
});

test('a shortened or buried name names its document by title or file name', () => {
  assert.deepEqual(named('节约条例里说的浪费到底指啥？'), ['每周一学_党政机关厉行节约反对浪费条例']);
  assert.deepEqual(named('人大机关也要执行厉行节约条例吗？'), ['每周一学_党政机关厉行节约反对浪费条例']);
  assert.deepEqual(named('党史学习教育条例是中宣部负责解释吗？'), ['每周一学_党史学习教育工作条例']);
  // The file name holds 十九大报告 where the title does not.
  assert.deepEqual(named('人大制度在十九大报告里是咋定位的？'), ['十九大报告_全文']);
  assert.deepEqual(named('同意张阿三辞职那个批复的文号是多少？'), ['notices/批复_同意辞职']);
});

test('a name too short or joined by 的 names nothing; a bare document word needs one owner', () => {
  assert.deepEqual(named('按《条例》要怎么办？'), []);
  assert.deepEqual(named('2020年下半年那批转正的批复是哪天下来的？'), []);
  assert.deepEqual(named('登记表里打星号的格子是啥意思？'), ['街道党建党员信息登记表']);
  assert.deepEqual(named('这张表怎么填？'), []);
  assert.deepEqual(named('党费怎么交？'), []);
});
