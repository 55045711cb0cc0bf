// A blank form (labels with nothing filled in) is never an answer: its label rows are not quoted,
// and a passage holding only its title and labels does not count for the gate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBlankForm, LABEL_ROW } from '../../src/answer/blank-form.ts';
import { extractSentences } from '../../src/answer/extractive-composer.ts';
import type { RetrievedPassage } from '../../src/answer/types.ts';

const HEADER = '家庭主要成员及重要社会关系 称谓 姓名 出生年月 政治面貌 工作单位及职务';

function retrieved(text: string, over: Partial<RetrievedPassage> = {}): RetrievedPassage {
  return { passageId: 0, docId: 'd', title: '测试', heading: '', text, start: 0, end: text.length, part: 1, parts: 1, score: 1, loc: {}, ...over };
}

test('a row of labels is told from a sentence, a filled row and a list', () => {
  assert.ok(LABEL_ROW.test(HEADER));
  assert.ok(LABEL_ROW.test('姓名 性别 民族'));
  assert.ok(!LABEL_ROW.test('张三 1978年2月 江西新建'), 'a filled row holds figures');
  assert.ok(!LABEL_ROW.test('党员应当按月交纳党费，特殊情况可以补交。'));
  assert.ok(!LABEL_ROW.test('姓名：张三；性别：男'));
  assert.ok(!LABEL_ROW.test('称谓 姓名'), 'two cells are not yet a row');
});

test('a passage of a title and label rows is a blank form; one with a rule is not', () => {
  const form = { title: '干部任免审批表', heading: '干部任免审批表', text: `干部任免审批表\n\n${HEADER}` };
  assert.equal(isBlankForm(form), true);
  assert.equal(isBlankForm({ ...form, text: `干部任免审批表\n\n${HEADER}\n\n本表由组织部门填写。` }), false);
  assert.equal(isBlankForm({ ...form, text: '干部任免审批表' }), false, 'a title alone is not a form');
});

test('the composer never quotes a label row, nor a line of the question’s own words', () => {
  const idf = (t: string) => ({ 干部: 1, 任免: 2, 审批表: 3, 政治面貌: 2, 姓名: 1 })[t] ?? 0;
  const form = retrieved(`干部任免审批表\n\n${HEADER}`, { heading: '干部任免审批表' });
  const list = retrieved('数据报表\n干部名册\n干部任免审批表\n干部信息采集表');
  assert.deepEqual(extractSentences('干部任免审批表的姓名和政治面貌怎么填？', ['干部', '任免', '审批表', '姓名', '政治面貌'], [form], idf), []);
  const out = extractSentences('干部任免审批表', ['干部', '任免', '审批表'], [list], idf);
  assert.deepEqual(out.map((s) => s.text), ['干部名册', '干部信息采集表']);
});
