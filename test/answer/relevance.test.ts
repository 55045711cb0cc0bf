// The refusal test's coverage figure on hand-made passages with a fixed idf.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gateWeight, MIN_COVERAGE, questionCoverage, gateDecision } from '../../src/answer/relevance.ts';
import { parseWordList, QUESTION_WORDS } from '../../src/answer/question-words.ts';
import { matchableText, termPresence } from '../../src/answer/term-presence.ts';

const IDF: Record<string, number> = { 党员: 1, 报到: 2, 比例: 3, 曲欣干: 2, 调解: 1, 党费: 4, wechat: 1 };
const idf = (t: string) => IDF[t] ?? 0;
const passage = (text: string, title = '', heading = '') => ({ title, heading, text });

test('the threshold is one half of the idf mass', () => {
  assert.equal(MIN_COVERAGE, 0.5);
});

test('coverage is the best single passage share of idf mass, not a union', () => {
  const cov = questionCoverage(['党员', '报到', '比例'], [passage('党员都来了。'), passage('报到比例很高。')], idf);
  // 党员 = 1/6 in the first passage; 报到 + 比例 = 5/6 in the second.
  assert.deepEqual(cov, { coverage: 5 / 6, missing: [] });
});

test('a term found in no candidate is missing; repeated tokens count once', () => {
  const cov = questionCoverage(['党费', '党员', '党员', '报到'], [passage('党员到社区报到。')], idf);
  assert.deepEqual(cov, { coverage: 3 / 7, missing: ['党费'] });
  assert.ok(cov.coverage < MIN_COVERAGE);
});

test('title and heading count as passage text', () => {
  const cov = questionCoverage(['党员', '报到', '比例'], [passage('达到91.43%。', '在职党员', '报到比例')], idf);
  assert.deepEqual(cov, { coverage: 1, missing: [] });
});

test('traditional characters and upper case match the folded question terms', () => {
  assert.equal(matchableText('黨員報到 WeChat'), '党员报到 wechat');
  const cov = questionCoverage(['党员', '报到', 'wechat'], [passage('黨員通過WeChat報到。')], idf);
  assert.deepEqual(cov, { coverage: 1, missing: [] });
});

test('a glued term earns partial credit for its character pairs', () => {
  // 曲欣干: 曲欣 is in the text, 欣干 is not.
  assert.equal(termPresence('曲欣干', '曲欣调解纠纷'), 0.5);
  assert.equal(termPresence('曲欣干', '曲欣干调解'), 1);
  assert.equal(termPresence('曲欣干', '调解纠纷'), 0);
  // Two-character terms get no partial credit.
  assert.equal(termPresence('曲欣', '曲家欣'), 0);
  const cov = questionCoverage(['曲欣干', '调解'], [passage('曲欣调解纠纷。')], idf);
  // (0.5 × 2 + 1 × 1) / 3; a partly found term is not missing.
  assert.deepEqual(cov, { coverage: 2 / 3, missing: [] });
});

test('no candidates, no tokens, or no idf mass: coverage 0', () => {
  assert.deepEqual(questionCoverage(['党员', '报到'], [], idf), { coverage: 0, missing: ['党员', '报到'] });
  assert.deepEqual(questionCoverage([], [passage('党员')], idf), { coverage: 0, missing: [] });
  assert.deepEqual(questionCoverage(['未知', '词语'], [passage('未知词语')], idf), { coverage: 0, missing: ['未知', '词语'] });
});

test('question and colloquial words from the data file weigh nothing in the gate', () => {
  const weight = gateWeight((t) => IDF[t] ?? 5);
  assert.equal(weight('搞'), 0);
  assert.equal(weight('啥时候'), 0);
  assert.equal(weight('哪几个'), 0);
  assert.equal(weight('那种'), 0);
  // Topic words stay weighed: a resident asking for a phone number or an amount must still be refused.
  assert.equal(weight('电话'), 5);
  assert.equal(weight('钱'), 5);
  assert.equal(weight('报到'), 2);
  for (const w of ['搞', '啥时候', '以后', '一般', '最多', '东西', '里', '说', '跟', '拿来', '啥意思', '叫']) assert.ok(QUESTION_WORDS.has(w), w);
});

test('a colloquial word the passage lacks no longer pulls an answerable question under the threshold', () => {
  const tokens = ['梨树', '红色', '商圈', '哪条', '街', '搞'];
  const stats: Record<string, number> = { 梨树: 3, 红色: 2, 商圈: 4, 哪条: 5, 街: 2, 搞: 4 };
  const text = [passage('以梨树步行街为核心区域的红色商圈1个')];
  const plain = questionCoverage(tokens, text, (t) => stats[t] ?? 0);
  // 哪条 and 搞 are missing: (3 + 2 + 4 + 2) / 20.
  assert.deepEqual(plain, { coverage: 11 / 20, missing: ['哪条', '搞'] });
  const gated = questionCoverage(['梨树', '商圈', '围着', '哪条', '搞'], text, gateWeight((t) => stats[t] ?? 4));
  // 围着 (4) is still missing; 哪条 and 搞 weigh nothing and are not reported: 7 / 11.
  assert.deepEqual(gated, { coverage: 7 / 11, missing: ['围着'] });
  assert.ok(gated.coverage >= MIN_COVERAGE);
});

test('the word list format: spaces or lines, # comments, lower case', () => {
  assert.deepEqual([...parseWordList('# note\n搞 弄  # stand-ins\n\nAI 咋\n')], ['搞', '弄', 'ai', '咋']);
});

test('gateDecision: the lexical share decides alone without a threshold or a dense list; with both, a close candidate rescues a share from 0.3', () => {
  const t = 0.7;
  const cases: Array<[number, number | null, number | null, { pass: boolean; denseRescued: boolean }]> = [
    [0.5, null, null, { pass: true, denseRescued: false }],
    [0.49, 0.99, null, { pass: false, denseRescued: false }],
    [0.49, null, t, { pass: false, denseRescued: false }],
    [0.49, 0.7, t, { pass: true, denseRescued: true }],
    [0.3, 0.95, t, { pass: true, denseRescued: true }],
    [0.29, 0.95, t, { pass: false, denseRescued: false }],
    [0.4, 0.69, t, { pass: false, denseRescued: false }],
    [0.8, 0.1, t, { pass: true, denseRescued: false }],
  ];
  for (const [coverage, similarity, minSimilarity, expected] of cases) {
    assert.deepEqual(gateDecision(coverage, similarity, { minSimilarity }), expected, `${coverage} ${similarity} ${minSimilarity}`);
  }
});

test('a figure counts as present in the other script or spacing (18 = 十八, 六个月 = 6个月, 0.5％ = 0.5%)', () => {
  const w = (t: string) => ({ 入党: 1, 18: 2, 岁: 1, 六个月: 2, 以上: 1, '0.5%': 2, 党费: 1 })[t] ?? 0;
  const rule = passage('年满十八岁可以申请入党；预备期满6个月以上；月工资收入3000元以下的，缴纳党费0.5％。');
  assert.deepEqual(questionCoverage(['入党', '18', '岁'], [rule], w), { coverage: 1, missing: [] });
  assert.deepEqual(questionCoverage(['六个月', '以上'], [rule], w), { coverage: 1, missing: [] });
  assert.deepEqual(questionCoverage(['党费', '0.5%'], [rule], w), { coverage: 1, missing: [] });
  // Another figure is still missing.
  assert.deepEqual(questionCoverage(['入党', '16', '岁'], [rule], (t) => (t === '16' ? 2 : w(t))), { coverage: 2 / 4, missing: ['16'] });
});
