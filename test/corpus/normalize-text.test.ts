import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeLine, normalizeText } from '../../src/corpus/normalize-text.ts';
import { TextBuilder } from '../../src/corpus/text-builder.ts';
import { joiner } from '../../src/corpus/cjk.ts';

test('normalizeLine: whitespace of every width collapsed, invisible characters removed', () => {
  assert.equal(normalizeLine('\u3000\u3000第一条\u3000\u3000党员\u00A0\u00A0应当\t报到 '), '第一条 党员 应当 报到');
  assert.equal(normalizeLine('党\u0000员\u200B报\uFEFF到\u0007'), '党员报到');
  assert.equal(normalizeLine('soft\u00ADhyphen and\u2003em space'), 'softhyphen and em space');
  // Kangxi radicals from some PDFs fold to the ordinary ideographs; full-width punctuation stays.
  assert.equal(normalizeLine('⼀⼈⼀档，（试⾏）'), '一人一档，（试行）');
});

test('normalizeText: line ends, blank-line runs, trimming', () => {
  assert.equal(normalizeText('\r\n\r\n  标题\r\n\r\n\r\n\r\n正文一\r正文二\f第二页\n\n\n'), '标题\n\n正文一\n正文二\n第二页');
  assert.equal(normalizeText('a\n \u3000 \nb'), 'a\n\nb');
  assert.equal(normalizeText(''), '');
  assert.equal(normalizeText(' \n\u3000\n'), '');
});

test('TextBuilder: headings with exact offsets, breaks collapsed, output already normalized', () => {
  const b = new TextBuilder();
  b.heading(1, '  社区\u3000党建 ');
  b.add('第一段').add('  继续').endLine();
  b.endLine(true).endLine(true).endLine(true);
  b.add('第二段').endLine();
  b.heading(7, '超出范围的级别');
  b.heading(2, '   '); // empty: dropped
  b.addLines('行一\n\n\n行二\r\n行三');
  const { text, headings } = b.build();
  assert.equal(text, '社区 党建\n\n第一段 继续\n\n第二段\n\n超出范围的级别\n\n行一\n\n行二\n行三');
  assert.deepEqual(headings, [
    { start: 0, level: 1, text: '社区 党建' },
    { start: 20, level: 6, text: '超出范围的级别' },
  ]);
  for (const h of headings) assert.equal(text.slice(h.start, h.start + h.text.length), h.text);
  assert.equal(normalizeText(text), text);
});

test('joiner: nothing between Chinese characters, a space around Latin', () => {
  assert.equal(joiner('党员', '报到'), '');
  assert.equal(joiner('登录', 'www'), ' ');
  assert.equal(joiner('Party', 'Service'), ' ');
  assert.equal(joiner('通知。', '各'), '');
  assert.equal(joiner('a ', 'b'), '');
  assert.equal(joiner('', 'b'), '');
});
