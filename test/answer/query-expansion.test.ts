// 简称/全称 expansion: the table format, finding forms outside quotes, and the gate counting a 全称.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXPANSIONS, findExpansions, parseExpansions, termAlternatives } from '../../src/answer/query-expansion.ts';
import { questionCoverage } from '../../src/answer/relevance.ts';

test('= lines expand every way, > lines one way', () => {
  const table = parseExpansions('# note\n人大 = 人民代表大会\n三会一课 > 支部党员大会 党课  # parts\n');
  assert.deepEqual([...table], [
    ['人大', ['人民代表大会']],
    ['人民代表大会', ['人大']],
    ['三会一课', ['支部党员大会', '党课']],
  ]);
  assert.throws(() => parseExpansions('人大 人民代表大会'), /cannot read the line "人大 人民代表大会"/);
});

test('the shipped table holds the issue-9 pairs', () => {
  assert.deepEqual(EXPANSIONS.get('低保'), ['最低生活保障']);
  assert.deepEqual(EXPANSIONS.get('纪律检查委员会'), ['纪委']);
  assert.deepEqual(EXPANSIONS.get('三会一课'), ['支部党员大会', '支部委员会', '党小组会', '党课']);
  assert.deepEqual(EXPANSIONS.get('机关工委'), ['机关工作委员会']);
  assert.deepEqual(EXPANSIONS.get('居民委员会'), ['居委会']);
  assert.deepEqual(findExpansions('松原党史编委会的主任是谁？'), [{ form: '编委会', alternatives: ['编写委员会', '编辑委员会', '编纂委员会'] }]);
  // Residents' words expand one way: a passage saying 不超过 is not about 最多.
  assert.deepEqual(EXPANSIONS.get('最多'), ['不超过', '不得超过']);
  assert.deepEqual(EXPANSIONS.get('上面'), ['上级党组织', '上级']);
  assert.equal(EXPANSIONS.get('不超过'), undefined);
  // Speech says 一页, rules say 每页; the question's own form is kept and searched too.
  assert.deepEqual(findExpansions('公文一页排多少行？'), [{ form: '一页', alternatives: ['每页'] }]);
  assert.deepEqual(EXPANSIONS.get('算数'), ['有效', '失效', '废止']);
  // 钱 was measured and left out (word-lists/expansions.txt).
  assert.equal(EXPANSIONS.get('钱'), undefined);
  // A 提法 named by its number is searched by what it counts.
  assert.deepEqual(findExpansions('四风是指哪四种风气？'), [{ form: '四风', alternatives: ['形式主义', '官僚主义', '享乐主义', '奢靡之风'] }]);
  assert.deepEqual(findExpansions('党员交党费有啥讲究？').map((e) => e.form), ['交党费']);
});

test('forms are found outside quotes only, and a longer form wins over the one inside it', () => {
  assert.deepEqual(findExpansions('机关纪委书记一般让谁来当？'), [{ form: '纪委', alternatives: ['纪律检查委员会', '纪律检查机关'] }]);
  assert.deepEqual(findExpansions('中纪委和人大'), [
    { form: '中纪委', alternatives: ['中央纪律检查委员会'] },
    { form: '人大', alternatives: ['人民代表大会'] },
  ]);
  assert.deepEqual(findExpansions('文件里“纪委”两个字怎么写？'), []);
  // 中办 straddles 集中/办班; 三会一课 ends on a boundary though jieba glues 搞 to 三会.
  assert.deepEqual(findExpansions('能在网上培训的还要集中办班吗？').map((e) => e.form), ['网上']);
  assert.deepEqual(findExpansions('机关支部搞三会一课的钱从哪出？').map((e) => e.form), ['三会一课']);
  assert.deepEqual(findExpansions('「低保」和低保'), [{ form: '低保', alternatives: ['最低生活保障'] }]);
});

test('a term inside a form takes its alternatives; a term holding a form has it replaced', () => {
  const found = findExpansions('三会一课和纪委书记');
  assert.deepEqual(termAlternatives('一课', found), ['支部党员大会', '支部委员会', '党小组会', '党课']);
  assert.deepEqual(termAlternatives('纪委书记', found), ['纪律检查委员会书记', '纪律检查机关书记']);
  assert.deepEqual(termAlternatives('书记', found), []);
});

test('the gate counts a passage holding the 全称 as holding the 简称', () => {
  const idf = (t: string) => ({ 机关: 1, 纪委: 3, 书记: 1 })[t] ?? 0;
  const passages = [{ title: '', heading: '', text: '机关党的纪律检查委员会书记由副书记担任。' }];
  const found = findExpansions('机关纪委书记');
  assert.deepEqual(questionCoverage(['机关', '纪委', '书记'], passages, idf), { coverage: 2 / 5, missing: ['纪委'] });
  assert.deepEqual(questionCoverage(['机关', '纪委', '书记'], passages, idf, (t) => termAlternatives(t, found)), { coverage: 1, missing: [] });
});

test('residents\' names for signs and cells: 星号 counts where a form says *, 格子 where it says 单元格', () => {
  const found = findExpansions('登记表里打星号的格子是啥意思？');
  const alts = (t: string) => termAlternatives(t, found);
  const note = [{ title: '登记表', heading: '', text: '表格中带有*的单元格，为必须填入的数据项目。' }];
  assert.deepEqual(questionCoverage(['星号', '格子'], note, () => 1, alts), { coverage: 1, missing: [] });
  assert.deepEqual(questionCoverage(['星号', '格子'], note, () => 1), { coverage: 0, missing: ['星号', '格子'] });
});
