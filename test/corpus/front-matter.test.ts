import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFrontMatter } from '../../src/corpus/front-matter.ts';

test('flat fields, quotes, comments, lists and a full-width colon', () => {
  const src = [
    '\uFEFF---',
    'title: "关于\\"两学一做\\"的通知"',
    "source: '某街道''党工委'",
    'region: 示例区   # a comment',
    '来源：示例网',
    'tags: [党建, "报到"]',
    'nested:',
    '  child: ignored',
    '- list item ignored',
    'empty:',
    '---',
    '# 正文',
  ].join('\r\n');
  const fm = parseFrontMatter(src);
  assert.deepEqual(fm.fields, {
    title: '关于"两学一做"的通知',
    source: "某街道'党工委",
    region: '示例区',
    来源: '示例网',
    tags: '党建, 报到',
  });
  assert.equal(fm.body, '# 正文');
});

test('no front matter, or an unclosed one, leaves the text alone', () => {
  assert.deepEqual(parseFrontMatter('# 标题\n---\n'), { fields: {}, body: '# 标题\n---\n' });
  assert.deepEqual(parseFrontMatter('---\ntitle: x\n正文'), { fields: {}, body: '---\ntitle: x\n正文' });
  assert.deepEqual(parseFrontMatter('---\ntitle: x\n...\n正文'), { fields: { title: 'x' }, body: '正文' });
  assert.deepEqual(parseFrontMatter('---\ntitle: x\n---'), { fields: { title: 'x' }, body: '' });
});
