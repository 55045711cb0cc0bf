// Questions about this year are answered only from passages that name it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { namesYear, presentWord, speaksOfPresent } from '../../src/answer/present-time.ts';
import { REFUSAL_TEXT } from '../../src/answer/answer-text.ts';
import type { KnowledgeBase } from '../../src/knowledge-base.ts';
import { buildKbFixture, type KbFixture } from '../helpers/kb-fixture.ts';

test('calendar words ask about the present; 现在 asks for the rule in force', () => {
  assert.equal(presentWord('扶余市今年一共脱贫了多少户？'), '今年');
  assert.equal(presentWord('今天支部几点开会？'), '今天');
  assert.equal(presentWord('现在党费按什么标准交？'), null);
  assert.equal(presentWord('今天的路口镇是由哪两个乡镇合并的？'), null);
  assert.equal(presentWord('2019年脱贫了多少户？'), null);
});

test('a year is named in either script, never inside a longer number', () => {
  assert.equal(namesYear('2026年3月1日起施行', 2026), true);
  assert.equal(namesYear('二〇二六年十二月', 2026), true);
  assert.equal(namesYear('编号120263', 2026), false);
  assert.equal(namesYear('2019年，梨树县脱贫300户。', 2026), false);
  // A passage saying 今年 itself speaks of its own year; 近年来 does not.
  assert.equal(speaksOfPresent('今年社区共组织活动12次。', '今年', 2026), true);
  assert.equal(speaksOfPresent('近年来，扶余市委在脱贫攻坚中…', '今年', 2026), false);
});

const YEAR = new Date().getFullYear();
let kb: KbFixture;
let base: KnowledgeBase;
before(async () => {
  kb = await buildKbFixture({
    docs: {
      'lishu.md': '# 梨树县脱贫攻坚\n\n2019年，梨树县全县脱贫户数为300户，贫困发生率降至0.5%。',
      'fuyu.md': `# 扶余市脱贫攻坚\n\n${YEAR}年，扶余市脱贫1200户，全部实现“两不愁三保障”。`,
    },
  });
  base = await kb.open();
});
after(() => kb.cleanup());

test('今年 is refused from a document of another year, answered from one of this year', async () => {
  // The gate alone would answer: 今年 is the only term of the question the passage lacks.
  const old = await base.ask('梨树县全县今年脱贫户数是多少？');
  assert.ok(old.explain.coverage >= 0.5, String(old.explain.coverage));
  assert.equal(old.refused, true);
  assert.equal(old.body, REFUSAL_TEXT);
  assert.equal(old.explain.lacking, 'this-year');
  const now = await base.ask('扶余市今年脱贫了多少户？');
  assert.equal(now.refused, false);
  assert.ok(now.body.includes('1200户'), now.body);
  // Without 今年 the old document answers as before.
  const asked = await base.ask('梨树县2019年脱贫了多少户？');
  assert.ok(asked.body.includes('300户'), asked.body);
});
