import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkDocument } from '../../src/corpus/chunk.ts';
import type { SourceDocument } from '../../src/corpus/document.ts';
import { articleText } from '../../src/answer/article-text.ts';
import { sourceText } from '../../src/chat/replies.ts';

const clause = (i: number) => `党支部应当按照第${i}项规定定期召开支部党员大会，并认真做好会议记录。`;
const longArticle = '第三条 ' + Array.from({ length: 24 }, (_, i) => clause(i + 1)).join('');
const text = ['第一章 总则', '第一条 为了规范工作，制定本条例。', '第二章 组织生活', longArticle, '第四条 党小组会一般每月召开1次。'].join('\n');
const doc: SourceDocument = { docId: 'd', path: 'd.md', format: 'md', title: '条例', meta: {}, text, headings: [], marks: [], dropped: {} };
const passages = chunkDocument(doc).map((p, id) => ({ ...p, id }));

test('原文 N of a passage holding part of a long article shows the whole article, once', () => {
  const parts = passages.filter((p) => p.loc.article === '第三条');
  assert.ok(parts.length >= 2, 'the article is cut into several passages');
  const whole = '第二章 组织生活\n' + longArticle;
  for (const p of parts) assert.equal(articleText(passages, p.id), whole);
  const c = { ...parts[1]!, n: 2, part: 3, parts: 5, articleText: articleText(passages, parts[1]!.id) };
  assert.equal(sourceText(c), `【来源 2】《条例》第二章 第三条\n${whole}`);
});

test('a passage that holds its article whole, or no article, has no separate article text', () => {
  const first = passages.find((p) => p.loc.article === '第一条')!;
  const fourth = passages.find((p) => p.loc.article === '第四条')!;
  assert.equal(articleText(passages, first.id), undefined);
  assert.equal(articleText(passages, fourth.id), undefined);
  assert.equal(sourceText({ ...fourth, n: 1, part: 1, parts: 1 }), '【来源 1】《条例》第二章 第四条\n第四条 党小组会一般每月召开1次。');
});
