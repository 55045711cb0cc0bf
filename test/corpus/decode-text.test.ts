import { test } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import { canonicalCharset, decodeText, UndecodableError } from '../../src/corpus/decode-text.ts';

const TEXT = '关于开展党员志愿服务活动的通知。各党支部：为丰富党员活动形式，经研究，决定开展志愿服务活动。';

test('UTF-8, with and without BOM', () => {
  assert.deepEqual(decodeText(Buffer.from(TEXT)), { text: TEXT, encoding: 'utf-8' });
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]);
  assert.deepEqual(decodeText(bom), { text: TEXT, encoding: 'utf-8' });
  assert.deepEqual(decodeText(Buffer.from('plain ASCII')), { text: 'plain ASCII', encoding: 'utf-8' });
});

test('UTF-16 little and big endian with BOM (their NUL bytes are not binary)', () => {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('A党员', 'utf16le')]);
  assert.deepEqual(decodeText(le), { text: 'A党员', encoding: 'utf-16le' });
  const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('A党员', 'utf16le').swap16()]);
  assert.deepEqual(decodeText(be), { text: 'A党员', encoding: 'utf-16be' });
});

test('GBK and GB18030 are detected without a declaration', () => {
  assert.deepEqual(decodeText(iconv.encode(TEXT, 'gbk')), { text: TEXT, encoding: 'gb18030' });
  // 镕 and 堃 lie outside GB2312 (GBK extension); a few of them do not break detection.
  const names = '朱镕基同志和王堃同志参加了本次社区党员大会。' + TEXT;
  assert.equal(decodeText(iconv.encode(names, 'gbk')).text, names);
  const astral = TEXT + '𠮷';
  assert.equal(decodeText(iconv.encode(astral, 'gb18030')).text, astral);
});

test('Big5 is recognised when jschardet names it', () => {
  const big5 = '關於開展黨員志願服務活動的通知。各黨支部：為豐富黨員活動形式，經研究，決定在全社區開展黨員志願服務活動。';
  assert.deepEqual(decodeText(iconv.encode(big5, 'big5')), { text: big5, encoding: 'big5' });
});

test('a declared charset is used when the bytes are not UTF-8, ignored when they are', () => {
  assert.deepEqual(decodeText(iconv.encode(TEXT, 'gbk'), { declared: 'GB2312' }), { text: TEXT, encoding: 'gb18030' });
  assert.deepEqual(decodeText(Buffer.from(TEXT), { declared: 'gbk' }), { text: TEXT, encoding: 'utf-8' });
  // A page that says UTF-8 but is GBK: the bytes win.
  assert.deepEqual(decodeText(iconv.encode(TEXT, 'gbk'), { declared: 'utf-8' }), { text: TEXT, encoding: 'gb18030' });
  assert.deepEqual(decodeText(iconv.encode(TEXT, 'gbk'), { declared: 'no-such-charset' }), { text: TEXT, encoding: 'gb18030' });
});

test('binary data and unknown encodings are refused', () => {
  assert.throws(() => decodeText(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x41])), {
    name: 'UndecodableError',
    message: 'binary content (NUL bytes)',
  });
  // Latin-1 accents are not GB text, and jschardet's guess is not Big5.
  const latin1 = Buffer.from('Résumé: café crème, déjà vu, naïve élève, à côté, où être.', 'latin1');
  assert.throws(() => decodeText(latin1), UndecodableError);
  // Mostly control characters through a declared single-byte charset.
  const controls = Buffer.from(Array.from({ length: 64 }, (_, i) => (i % 2 ? 0x01 : 0xe9)));
  assert.throws(() => decodeText(controls, { declared: 'latin1' }), {
    message: 'binary content (mostly invalid latin1)',
  });
});

test('canonicalCharset widens the GB family and knows iconv-lite names', () => {
  assert.equal(canonicalCharset('GB2312'), 'gb18030');
  assert.equal(canonicalCharset(' "gbk" '), 'gb18030');
  assert.equal(canonicalCharset('UTF8'), 'utf-8');
  assert.equal(canonicalCharset('Big5'), 'big5');
  assert.equal(canonicalCharset('windows-1252'), 'windows-1252');
  assert.equal(canonicalCharset('klingon'), undefined);
});
