import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkReply,
  extractNumbers,
  isDecline,
  normalizeCitations,
  sourceNumberKeys,
  stripMarkdown,
  stripThinking,
} from '../../src/answer/grounding.ts';
import type { NumberedPassage } from '../../src/answer/llm-composer.ts';
import { LlmError } from '../../src/errors.ts';

const PASSAGES: NumberedPassage[] = [
  {
    n: 1,
    title: '社区党建工作要点',
    heading: '网格化管理',
    text: '2019年3月起，全区推行“三级网格”管理，共划分网格126个，配备专职网格员1,250名。',
  },
  { n: 2, title: '党员志愿服务办法', heading: '服务时长', text: '党员每年参加志愿服务不少于24小时，完成率达到95%以上的支部予以表扬。' },
  { n: 3, title: '党费收缴管理规定', heading: '', text: '党费按月缴纳，每月5日前交至所在支部，自2020.7.1起执行。' },
];
const OPTS = { maxBodyChars: 400 };

function rejects(reply: string, message: string, opts = OPTS): void {
  assert.throws(
    () => checkReply(reply, PASSAGES, opts),
    (err: unknown) => err instanceof LlmError && err.code === 'LLM_FAILED' && err.message === message,
  );
}

test('stripMarkdown keeps plain text and drops headings, bullets, emphasis, fences, links, rules', () => {
  const md = [
    '## 回答',
    '**网格**共划分*126个*[1]。',
    '- 第一条[1]',
    '* 第二条[2]',
    '1. 第三条[3]',
    '2、第四条[3]',
    '```text',
    '代码行',
    '```',
    '> 引用一句',
    '---',
    '见`附件`与[通知](http://example.org/a)',
    '',
  ].join('\n');
  assert.equal(
    stripMarkdown(md),
    ['回答', '网格共划分126个[1]。', '第一条[1]', '第二条[2]', '第三条[3]', '第四条[3]', '代码行', '引用一句', '见附件与通知'].join('\n'),
  );
});

test('stripThinking removes closed and unfinished reasoning blocks', () => {
  assert.equal(stripThinking('<think>先想想</think>答案[1]'), '答案[1]');
  assert.equal(stripThinking('答案[1]<think>没想完'), '答案[1]');
});

test('normalizeCitations rewrites 【n】, [1,2], [1-3], drops unknown numbers and repeats', () => {
  const r = normalizeCitations('网格126个【1】，员额[1,2]。时长 [2][2]。另见[9]。范围[1-3]，又见［2、7］。', new Set([1, 2, 3]));
  assert.deepEqual(r, {
    text: '网格126个[1]，员额[1][2]。时长[2]。另见。范围[1][2][3]，又见[2]。',
    cited: [1, 2, 3],
    dropped: [9, 7],
  });
});

test('normalizeCitations leaves a bracketed year alone', () => {
  assert.deepEqual(normalizeCitations('文号[2019]5号[1]', new Set([1])), {
    text: '文号[2019]5号[1]',
    cited: [1],
    dropped: [],
  });
});

test('extractNumbers folds separators, decimals, percents, full-width digits and date units', () => {
  assert.deepEqual(extractNumbers('２０１９年3月5号起，共1,250名，占95.0%，约3.50元，三级网格一张网[1]'), [
    { text: '2019年', key: '2019年' },
    { text: '3月', key: '3月' },
    { text: '5号', key: '5日' },
    { text: '1,250', key: '1250' },
    { text: '95.0%', key: '95%' },
    { text: '3.50', key: '3.5' },
  ]);
});

test('sourceNumberKeys adds bare numbers and the parts of numeric dates', () => {
  assert.deepEqual([...sourceNumberKeys('2019-03-05发布，比例95%')].sort(), ['2019', '2019年', '3', '3月', '5', '5日', '95', '95%']);
});

test('isDecline: the sentinel, quoted or not, and short uncited refusals', () => {
  assert.equal(isDecline('无法回答'), true);
  assert.equal(isDecline('“无法回答。”'), true);
  assert.equal(isDecline('抱歉，资料中没有提到相关内容。'), true);
  assert.equal(isDecline('资料中没有提到具体时间，但网格共126个[1]。'), false);
  assert.equal(isDecline('网格共126个。'), false);
});

test('checkReply keeps a grounded answer with its cited passages', () => {
  assert.deepEqual(checkReply('全区自2019年3月起推行“三级网格”管理[1]，配备专职网格员1250名[1]。党费每月5号前缴纳【3】。', PASSAGES, OPTS), {
    kind: 'answer',
    body: '全区自2019年3月起推行“三级网格”管理[1]，配备专职网格员1250名[1]。党费每月5号前缴纳[3]。',
    cited: [1, 3],
  });
});

test('checkReply accepts a date written numerically in the source and Chinese numerals as words', () => {
  assert.deepEqual(checkReply('党费规定自2020年7月1日起执行，实行一张网管理[3]。', PASSAGES, OPTS), {
    kind: 'answer',
    body: '党费规定自2020年7月1日起执行，实行一张网管理[3]。',
    cited: [3],
  });
});

test('checkReply checks quantities in Chinese numerals against either form in the source', () => {
  // 一千二百五十 is the 1,250 of passage 1; 一百二十六 its 126.
  assert.deepEqual(checkReply('配备专职网格员一千二百五十名，划分网格一百二十六个[1]。', PASSAGES, OPTS), {
    kind: 'answer',
    body: '配备专职网格员一千二百五十名，划分网格一百二十六个[1]。',
    cited: [1],
  });
  rejects('配备专职网格员三千名[1]。', 'Tongxin: invented number 三千');
  rejects('二〇一八年起推行三级网格[1]。', 'Tongxin: invented number 二〇一八年');
  assert.equal(checkReply('二〇一九年起推行三级网格[1]。', PASSAGES, OPTS).kind, 'answer');
});

test('an amount written with 万 matches in either script', () => {
  const wan: NumberedPassage[] = [{ n: 1, title: '志愿服务', heading: '', text: '全市注册志愿者3万名，服务时长2.5万小时。' }];
  assert.equal(checkReply('全市注册志愿者三万名，服务两万五千小时[1]。', wan, OPTS).kind, 'answer');
  assert.equal(checkReply('全市注册志愿者3万名[1]。', wan, OPTS).kind, 'answer');
  assert.throws(() => checkReply('全市注册志愿者四万名[1]。', wan, OPTS), /invented number 四万/);
  const chinese: NumberedPassage[] = [{ n: 1, title: '志愿服务', heading: '', text: '全市注册志愿者三万名。' }];
  assert.equal(checkReply('全市注册志愿者3万名[1]。', chinese, OPTS).kind, 'answer');
  assert.throws(() => checkReply('全市注册志愿者4万名[1]。', chinese, OPTS), /invented number 4/);
});

test('checkReply: sentinel means declined', () => {
  assert.deepEqual(checkReply('无法回答', PASSAGES, OPTS), { kind: 'declined' });
  assert.deepEqual(checkReply('<think>资料里没有</think>\n无法回答。', PASSAGES, OPTS), { kind: 'declined' });
});

test('checkReply rejects empty, uncited and invented replies with the reason', () => {
  rejects('  \n ', 'Tongxin: empty reply');
  rejects('<think>想了很久</think>', 'Tongxin: empty reply');
  rejects('党费每月5日前缴纳[9]。', 'Tongxin: no valid citation (markers [9] name no passage)');
  rejects('党费每月5日前缴纳。', 'Tongxin: no valid citation');
  rejects('完成率达到98%的支部予以表扬[2]。', 'Tongxin: invented number 98%');
  // 126 is a count in passage 1, not a percent.
  rejects('网格覆盖率126%[1]。', 'Tongxin: invented number 126%');
  // 24 is in passage 2, but the answer cites only passage 1.
  rejects('党员每年服务24小时[1]。', 'Tongxin: invented number 24');
  rejects('2018年起推行三级网格[1]。', 'Tongxin: invented number 2018年');
});

test('checkReply cuts an overlong body at the last sentence that fits', () => {
  const reply = '共划分网格126个[1]。配备网格员1,250名[1]。党费每月5日前缴纳[3]。';
  assert.deepEqual(checkReply(reply, PASSAGES, { maxBodyChars: 30 }), {
    kind: 'answer',
    body: '共划分网格126个[1]。配备网格员1,250名[1]。',
    cited: [1],
  });
  rejects(reply, 'Tongxin: reply too long (41 chars) and no cited sentence fits', { maxBodyChars: 5 });
});

test('a figure written in words in the source supports the same figure in digits, and a changed one is caught', () => {
  const p: NumberedPassage[] = [{ n: 1, title: '支部工作条例', heading: '第十条', text: '支部委员会由六至八名委员组成，任期两年；预备期为一年，满一个月后考察。' }];
  assert.equal(checkReply('支部委员会由6-8名委员组成，任期2年[1]。', p, OPTS).kind, 'answer');
  assert.equal(checkReply('预备期满1个月后考察[1]。', p, OPTS).kind, 'answer');
  // 三年 is a lone numeral, which chineseQuantities leaves alone; the canonical form catches it.
  assert.throws(() => checkReply('支部委员会任期三年[1]。', p, OPTS), (e: unknown) => e instanceof LlmError && e.message === 'Tongxin: invented number 3年');
  assert.throws(() => checkReply('预备期满3个月后考察[1]。', p, OPTS), (e: unknown) => e instanceof LlmError && e.message === 'Tongxin: invented number 3');
});

test('a figure changed in words is caught before a unit of money or date, at either end of a range, in an article number and in a share', () => {
  const p: NumberedPassage[] = [{ n: 1, title: '党费工作规定', heading: '第十一条', text: '每月五日前缴纳，每人五元；支部委员会由六至八名委员组成；须经到会党员三分之二以上同意；详见第十一条。' }];
  const invented = (reply: string, figure: string) =>
    assert.throws(() => checkReply(reply, p, OPTS), (e: unknown) => e instanceof LlmError && e.message === `Tongxin: invented number ${figure}`, reply);
  assert.equal(checkReply('每月5日前缴纳，每人5元；由6-8名委员组成；须经2/3以上同意；见第11条[1]。', p, OPTS).kind, 'answer');
  invented('每月十日前缴纳[1]。', '10日');
  invented('每人七元[1]。', '7元');
  invented('由四至八名委员组成[1]。', '4-8名');
  invented('须经四分之三以上同意[1]。', '3/4');
  invented('详见第九条[1]。', '第9条');
});

test('the label the model was shown supports the article it names', () => {
  // The second part of a long article: its text does not repeat 第十二条, its label does.
  const part = { n: 1, title: '支部工作条例', heading: '', text: '（二）党员人数超过五十名的，可以设立党总支部。' };
  const reply = '按第十二条，党员人数超过五十名的可以设立党总支部[1]。';
  assert.equal(checkReply(reply, [{ ...part, label: '第三章 第十二条' }], OPTS).kind, 'answer');
  assert.throws(() => checkReply(reply, [part], OPTS), (e: unknown) => e instanceof LlmError && e.message === 'Tongxin: invented number 十二');
});
