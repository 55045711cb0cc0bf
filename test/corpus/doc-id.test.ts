import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { corpusPath, docIdOf } from '../../src/corpus/doc-id.ts';
import { hashContent } from '../../src/corpus/content-hash.ts';

test('corpus paths are /-separated on POSIX and Windows', () => {
  assert.equal(corpusPath('/srv/corpus/policies/2024/通知.pdf', '/srv/corpus', path.posix), 'policies/2024/通知.pdf');
  assert.equal(corpusPath('/srv/corpus/a.md', '/srv/corpus/', path.posix), 'a.md');
  assert.equal(corpusPath('C:\\corpus\\policies\\2024\\通知.pdf', 'C:\\corpus', path.win32), 'policies/2024/通知.pdf');
  assert.equal(corpusPath('c:\\Corpus\\A.md', 'C:\\corpus', path.win32), 'A.md');
});

test('files outside the corpus, or the corpus itself, have no corpus path', () => {
  assert.equal(corpusPath('/srv/other/a.md', '/srv/corpus', path.posix), undefined);
  assert.equal(corpusPath('/srv/corpus', '/srv/corpus', path.posix), undefined);
  assert.equal(corpusPath('D:\\corpus\\a.md', 'C:\\corpus', path.win32), undefined);
});

test('docIdOf drops the extension only', () => {
  assert.equal(docIdOf('policies/2024/通知.pdf'), 'policies/2024/通知');
  assert.equal(docIdOf('a.b/readme'), 'a.b/readme');
  assert.equal(docIdOf('dir/.hidden'), 'dir/.hidden');
  assert.equal(docIdOf('archive.tar.gz'), 'archive.tar');
});

test('hashContent is the SHA-256 of the raw bytes', () => {
  assert.equal(hashContent(Buffer.from('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(hashContent(Buffer.alloc(0)), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});
