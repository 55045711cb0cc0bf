// Questions asking for a phone number, a link, a named site or an amount: refused when no candidate holds one, answered
// when one does. Unit cases on real strings, then the whole answerer on real corpora.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { lackingAnswerForm } from '../../src/answer/answer-form.ts';
import { REFUSAL_TEXT } from '../../src/answer/answer-text.ts';
import { buildKbFixture, type KbFixture } from '../helpers/kb-fixture.ts';

test('a phone question needs seven or more digits, separators allowed', () => {
  const q = '社区党群服务中心的电话是多少？';
  assert.equal(lackingAnswerForm(q, ['社区党群服务中心每周一至周五开放。']), 'phone');
  assert.equal(lackingAnswerForm(q, ['服务中心共接待群众3000余人。']), 'phone');
  assert.equal(lackingAnswerForm(q, ['咨询电话：0434-5221234。']), null);
  assert.equal(lackingAnswerForm(q, ['热线 12345678']), null);
  assert.equal(lackingAnswerForm('有没有联系方式？', ['联系人：王书记，13912345678']), null);
});

test('a link question needs a URL or a passage that names the download, site or code', () => {
  const q = '“梨树微心愿”平台怎么下载？';
  assert.equal(lackingAnswerForm(q, ['县委组织部研发了“梨树微心愿”平台。']), 'link');
  assert.equal(lackingAnswerForm(q, ['扫描二维码即可使用“梨树微心愿”平台。']), null);
  assert.equal(lackingAnswerForm(q, ['平台地址 https://example.cn/wish']), null);
  assert.equal(lackingAnswerForm('有APP吗', ['县里开发了手机App。']), null);
  assert.equal(lackingAnswerForm('有APP吗', ['县里开发了平台。']), 'link');
});

test('a which-site question needs a URL or a named site, not talk of websites', () => {
  const q = '评估结果在哪个网站公布？';
  assert.equal(lackingAnswerForm(q, ['推动党史学习教育进机关、进校园、进网站。']), 'site');
  assert.equal(lackingAnswerForm(q, ['用好互联网技术，通过党史网站（频道）、网上纪念馆等网络平台。']), 'site');
  assert.equal(lackingAnswerForm(q, ['评估结果在共产党员网公布。']), null);
  assert.equal(lackingAnswerForm(q, ['结果在本单位门户网站公示。']), null);
  assert.equal(lackingAnswerForm('报名网址是什么？', ['报名请登录 www.example.gov.cn 。']), null);
});

test('an amount question needs an amount of money or a share, in any script', () => {
  const q = '每个月公务交通补贴发多少？';
  assert.equal(lackingAnswerForm(q, ['按照有关规定发放公务交通补贴，不得变相发放福利。']), 'amount');
  // A count or a date is not an amount.
  assert.equal(lackingAnswerForm(q, ['2013年起，全市共有3000人领取补贴。']), 'amount');
  assert.equal(lackingAnswerForm(q, ['公务交通补贴每月发放八百元。']), null);
  assert.equal(lackingAnswerForm('住宿标准是多少钱？', ['每人每天不超过350元。']), null);
  assert.equal(lackingAnswerForm('党费交多少？', ['按月工资收入的0.5%交纳党费。']), null);
  assert.equal(lackingAnswerForm('党费交多少？', ['按月工资收入的百分之一交纳党费。']), null);
});

test('other questions are never refused by form', () => {
  // A count asked with 收 or 发 is not an amount.
  assert.equal(lackingAnswerForm('去年接收多少名预备党员？', []), null);
  assert.equal(lackingAnswerForm('一共发多少份文件？', []), null);
  assert.equal(lackingAnswerForm('在职党员到社区报到的比例是多少？', []), null);
  assert.equal(lackingAnswerForm('appraisal 是什么意思？', []), null);
});

let bundled: KbFixture;
let withPhone: KbFixture;
let subsidy: KbFixture;
before(async () => {
  bundled = await buildKbFixture();
  withPhone = await buildKbFixture({
    docs: {
      'service-centre.md':
        '---\ntitle: 梨树县党群服务中心\n---\n\n梨树县党群服务中心设在梨树镇。咨询电话：0434-5221234，工作日上午八点半至下午五点。\n',
    },
  });
  subsidy = await buildKbFixture({
    docs: {
      'thrift.md':
        '---\ntitle: 厉行节约条例\n---\n\n第二十七条 普通公务出行由公务人员自主选择，实行社会化提供。按照有关规定发放公务交通补贴，不得以公务交通补贴的名义变相发放福利。\n\n' +
        '第二十八条 公务用车实行政府集中采购，应当选用国产汽车。\n',
      'meals.md': '---\ntitle: 会务管理办法\n---\n\n第五条 工作餐按照规定每月统一安排，不得另发现金。会议用餐每人每天不超过一百二十元。\n',
      'lodging.md': '---\ntitle: 差旅费管理办法\n---\n\n第十条 工作人员出差住宿费标准为每人每天三百五十元。\n',
    },
  });
});
after(async () => {
  await bundled.cleanup();
  await withPhone.cleanup();
  await subsidy.cleanup();
});

test('an article that orders a subsidy paid but gives no amount does not answer how much', async () => {
  const kb = await subsidy.open();
  const a = await kb.ask('车改以后每个月公务交通补贴发多少？');
  assert.deepEqual({ refused: a.refused, lacking: a.explain.lacking }, { refused: true, lacking: 'amount' });
  // The article was found: only the amount is missing.
  assert.equal(a.retrieved[0]!.docId, 'thrift');
  // Another sentence of the passage gives an amount, of something else: the quote must hold it.
  const c = await kb.ask('工作餐每月发多少？');
  assert.equal(c.retrieved[0]!.docId, 'meals');
  assert.equal(c.explain.lacking, null);
  assert.deepEqual({ answer: c.answer, refused: c.refused }, { answer: REFUSAL_TEXT, refused: true });
  const b = await kb.ask('出差住宿费标准是多少钱？');
  assert.equal(b.refused, false);
  assert.equal(b.explain.lacking, null);
  assert.match(b.body, /每人每天三百五十元/);
});

test('bundled corpus: the phone of an office it describes is refused, with the reason in explain', async () => {
  const kb = await bundled.open();
  const a = await kb.ask('长春市委党史研究室的电话是多少？');
  assert.deepEqual({ answer: a.answer, refused: a.refused, citations: a.citations }, { answer: REFUSAL_TEXT, refused: true, citations: [] });
  assert.equal(a.explain.lacking, 'phone');
  // The office's passage was found and covers the question's words well: only the form is missing.
  assert.equal(a.retrieved[0]!.docId, 'changchun-party-history');
  assert.ok(a.explain.coverage >= 0.5, String(a.explain.coverage));
});

test('bundled corpus: how to download a platform it only names is refused; what it does is answered', async () => {
  const kb = await bundled.open();
  const a = await kb.ask('“梨树微心愿”平台怎么下载？');
  assert.equal(a.refused, true);
  assert.equal(a.explain.lacking, 'link');
  const b = await kb.ask('“梨树微心愿”平台是哪个部门研发的？');
  assert.equal(b.refused, false);
  assert.equal(b.explain.lacking, null);
  assert.match(b.body, /县委组织部研发了“梨树微心愿”平台/);
});

test('a corpus that gives the number answers the phone question with it, cited', async () => {
  const kb = await withPhone.open();
  const a = await kb.ask('党群服务中心的电话是多少？');
  assert.equal(a.refused, false);
  // The sentence with the number is quoted although the other one repeats more of the question.
  assert.equal(a.body, '梨树县党群服务中心设在梨树镇。[1]咨询电话：0434-5221234，工作日上午八点半至下午五点。[1]');
  assert.deepEqual(a.citations.map((c) => c.docId), ['service-centre']);
});
