import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeQuestion } from '../../src/answer/normalize-question.ts';
import { toSimplified } from '../../src/corpus/to-simplified.ts';

const text = (raw: string, max?: number) => normalizeQuestion(raw, max).text;

test('traditional characters become simplified; simplified text is unchanged', () => {
  assert.equal(text('黨員報到的比例是多少'), '党员报到的比例是多少');
  assert.equal(text('微心願一共發布了幾個？'), '微心愿一共发布了几个？');
  assert.equal(text('家裡老人一個人住'), '家里老人一个人住');
  assert.equal(text('在职党员到社区报到的比例是多少？'), '在职党员到社区报到的比例是多少？');
  assert.equal(toSimplified('龍山區關工委'), '龙山区关工委');
});

test('full-width ASCII folds, Chinese sentence punctuation stays', () => {
  assert.equal(text('２０１９年ＡＢＣ（１＋３）％＃'), '2019年ABC(1+3)%#');
  assert.equal(text('多少？！，；：。“对”'), '多少？！，；：。“对”');
  assert.equal(text('梨树县\u3000在职党员'), '梨树县 在职党员');
  assert.equal(text('多少?'), '多少?');
});

test('control characters become spaces; whitespace collapses and is trimmed', () => {
  assert.equal(text('a\u0000b\u0085c\td\r\ne\u007f'), 'a b c d e');
  assert.equal(text('  \n 党费 \t\t 怎么交？  '), '党费 怎么交？');
  assert.equal(text('a\u00a0\u2003b'), 'a b');
});

test('bidi controls and zero-width characters vanish', () => {
  assert.equal(text('党\u200b员\u202e报\u2066到\u200d\ufeff\u200e\u200f\u2069'), '党员报到');
});

test('HTML tags are removed, keeping their inner text', () => {
  assert.equal(text('<p>在职党员到社区报到的<b>比例</b>是多少？</p>'), '在职党员到社区报到的比例是多少？');
  assert.equal(text('<div class="q">一</div><div>二</div><br/>三'), '一 二 三');
  assert.equal(text('<script>alert(1)</script>'), 'alert(1)');
  assert.equal(text('问<!-- 注释 -->题'), '问 题');
  assert.equal(text('问题<!-- 没有结束'), '问题');
  // Not tags: a tag name starts with a letter.
  assert.equal(text('1<2 且 3>2'), '1<2 且 3>2');
});

test('entities are decoded once, after tags, and cannot smuggle controls', () => {
  assert.equal(text('&lt;b&gt;党员&lt;/b&gt;'), '<b>党员</b>');
  assert.equal(text('&amp;lt;'), '&lt;');
  assert.equal(text('&quot;一&quot; &#39;二&#39; &apos;三&apos;'), '"一" \'二\' \'三\'');
  assert.equal(text('A&nbsp;B'), 'A B');
  assert.equal(text('&#x41;&#66;&#x515A;'), 'AB党');
  assert.equal(text('x&#xD800;&#0;&#x110000;&#9999999;y'), 'xy');
  assert.equal(text('党&#8203;员&#x202E;'), '党员');
  assert.equal(text('&#1;a'), 'a');
  assert.equal(text('&foo; & &;'), '&foo; & &;');
});

test('Markdown emphasis and code marks are removed', () => {
  assert.equal(text('**累计**发布`微心愿`多少个'), '累计发布微心愿多少个');
  assert.equal(text('~~删除~~ __强调__ *斜体*'), '删除 强调 斜体');
  assert.equal(text('snake_case 1+3'), 'snake_case 1+3');
});

test('long questions are cut on a code-point boundary and flagged', () => {
  const r = normalizeQuestion('啊'.repeat(600));
  assert.deepEqual(r, { text: '啊'.repeat(500), truncated: true, empty: false });
  assert.deepEqual(normalizeQuestion('问'.repeat(500)), { text: '问'.repeat(500), truncated: false, empty: false });
  assert.deepEqual(normalizeQuestion('😀'.repeat(10), 3), { text: '😀😀😀', truncated: true, empty: true });
  assert.deepEqual(normalizeQuestion('abc def', 4), { text: 'abc', truncated: true, empty: false });
  assert.deepEqual(normalizeQuestion('abc', 0), { text: '', truncated: true, empty: true });
  assert.deepEqual(normalizeQuestion('abc', Number.NaN), { text: 'abc', truncated: false, empty: false });
  // Counted after cleaning: tags and spaces do not use up the allowance.
  assert.deepEqual(normalizeQuestion('<b>' + ' '.repeat(50) + '党员</b>', 2), { text: '党员', truncated: false, empty: false });
});

test('lone surrogates are dropped, pairs kept', () => {
  assert.equal(text('\uD800ab\uDC00c\uD83D\uDE00\uDBFF'), 'abc😀');
  assert.equal(text('\uDE00\uD83D'), '');
});

test('empty means nothing searchable is left', () => {
  for (const raw of ['', '   \n\t ', '？？？！！。。。', '😀😀😀👍🙏', '\u200b\u200b\ufeff\u200d', '<br><p></p>']) {
    assert.equal(normalizeQuestion(raw).empty, true, JSON.stringify(raw));
  }
  assert.deepEqual(normalizeQuestion('？？？'), { text: '？？？', truncated: false, empty: true });
  assert.equal(normalizeQuestion('7').empty, false);
  assert.equal(normalizeQuestion('党').empty, false);
  assert.deepEqual(normalizeQuestion(undefined as unknown as string), { text: '', truncated: false, empty: true });
});

test('100,000-character inputs are handled', () => {
  assert.deepEqual(normalizeQuestion('黨'.repeat(100_000)), { text: '党'.repeat(500), truncated: true, empty: false });
  assert.deepEqual(normalizeQuestion('<' + 'a'.repeat(99_999)), {
    text: '<' + 'a'.repeat(499),
    truncated: true,
    empty: false,
  });
  assert.deepEqual(normalizeQuestion(' '.repeat(99_999) + '问'), { text: '问', truncated: false, empty: false });
  assert.deepEqual(normalizeQuestion('<!--'.repeat(25_000)), { text: '', truncated: false, empty: true });
  assert.deepEqual(normalizeQuestion('\uD800'.repeat(100_000)), { text: '', truncated: false, empty: true });
});

test('random Unicode never throws and always yields well-formed, trimmed text', () => {
  // Deterministic LCG so a failure reproduces.
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0);
  const pool = '<>&#;x/!-*`_~ \n\t\u0000\u0085\u200b\u202e\ufeff\uff01\uff1f\u3000黨员';
  for (let i = 0; i < 300; i++) {
    let raw = '';
    const len = next() % 200;
    for (let j = 0; j < len; j++) {
      const r = next();
      raw += r % 3 === 0 ? pool[r % pool.length] : String.fromCharCode(r % 0x10000);
    }
    const max = 1 + (next() % 80);
    const out = normalizeQuestion(raw, max);
    assert.equal(out.text, out.text.trim());
    assert.doesNotMatch(out.text, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    assert.doesNotMatch(out.text, /[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/);
    assert.ok([...out.text].length <= max);
    assert.deepEqual(normalizeQuestion(raw, max), out);
  }
});
