import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toWecomMarkdown } from '../../../src/channels/wecom/wecom-markdown.ts';
import { REPLIES } from '../../../src/chat/replies.ts';

test('the source block of an answer becomes a bold heading and a bulleted list', () => {
  const answer = '党小组会一般每月召开1次[1]。\n\n来源：\n[1]《三会一课制度》三会一课，第1/1段\n[2]《党费收缴办法》第2/5段';
  assert.equal(
    toWecomMarkdown(answer),
    '党小组会一般每月召开1次[1]。\n\n**来源**\n- [1]《三会一课制度》三会一课，第1/1段\n- [2]《党费收缴办法》第2/5段',
  );
});

test('the heading of a 原文 N reply is bold; other texts pass through unchanged', () => {
  assert.equal(toWecomMarkdown('【来源 1】《三会一课制度》第1/1段\n正文第一句。\n来源：见上'), '**【来源 1】《三会一课制度》第1/1段**\n正文第一句。\n来源：见上');
  for (const text of [REPLIES.busy, REPLIES.noSource, '来源：\n不是来源列表的一行', '']) assert.equal(toWecomMarkdown(text), text);
});
