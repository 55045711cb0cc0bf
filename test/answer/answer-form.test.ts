// Questions asking for a phone number or a link: refused when no candidate holds one, answered
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

test('other questions are never refused by form', () => {
  assert.equal(lackingAnswerForm('在职党员到社区报到的比例是多少？', []), null);
  assert.equal(lackingAnswerForm('appraisal 是什么意思？', []), null);
});

let bundled: KbFixture;
let withPhone: KbFixture;
before(async () => {
  bundled = await buildKbFixture();
  withPhone = await buildKbFixture({
    docs: {
      'service-centre.md':
        '---\ntitle: 梨树县党群服务中心\n---\n\n梨树县党群服务中心设在梨树镇。咨询电话：0434-5221234，工作日上午八点半至下午五点。\n',
    },
  });
});
after(async () => {
  await bundled.cleanup();
  await withPhone.cleanup();
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
