/**
 * classifyLoadFailure on real errors: from the loaders, the file system and the runtime. What a
 * file can cause is a quiet skip reason; anything else is flagged unexpected, for staff to report.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { classifyLoadFailure } from '../../src/corpus/load-failure.ts';
import { loadDocument } from '../../src/corpus/load-document.ts';
import { loadHtml } from '../../src/corpus/loaders/html.ts';
import { LoadError } from '../../src/errors.ts';
import { deeplyNestedHtml, pageDamagedPdf, PROC_SELF_MEM } from '../helpers/bad-files.ts';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures');

/** What `run` threw; fails when it did not throw. */
async function thrown(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  return assert.fail('did not throw');
}

test('what a file can cause is a quiet skip reason', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tongxin-load-failure-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'page-damaged.pdf'), await pageDamagedPdf());

  const corrupt = await thrown(() => loadDocument(path.join(FIXTURES, 'docs', 'corrupt.pdf'), FIXTURES));
  const pageDamaged = await thrown(() => loadDocument(path.join(dir, 'page-damaged.pdf'), dir));
  assert.ok(pageDamaged instanceof LoadError);
  assert.equal((pageDamaged.cause as Error).name, 'UnknownErrorException');
  const gone = await thrown(() => readFile(path.join(dir, 'gone.md')));
  const goneLoading = await thrown(() => loadDocument(path.join(dir, 'gone.md'), dir));
  const folder = await thrown(() => readFile(dir));
  assert.deepEqual([corrupt, pageDamaged, gone, goneLoading, folder].map(classifyLoadFailure), [
    { reason: 'corrupt pdf (invalid structure)', unexpected: false },
    { reason: 'corrupt pdf (cannot be parsed)', unexpected: false },
    { reason: 'file not found', unexpected: false },
    { reason: 'file not found', unexpected: false },
    { reason: 'not a regular file', unexpected: false },
  ]);
});

test('a bug, a missing module or an I/O error is unexpected, and its reason asks for a report', async () => {
  const overflow = await thrown(() => loadHtml(Buffer.from(deeplyNestedHtml()), 'deep.html'));
  const typeError = await thrown(() => (JSON.parse('null') as { title: string }).title);
  // A variable, so the type checker does not resolve it: the module is missing on purpose.
  const missing = './no-such-loader.ts';
  const missingModule = await thrown(() => import(missing));
  assert.deepEqual([overflow, typeError, missingModule].map(classifyLoadFailure), [
    { reason: 'unexpected error (Maximum call stack size exceeded); please report it', unexpected: true },
    { reason: "unexpected error (Cannot read properties of null (reading 'title')); please report it", unexpected: true },
    {
      reason: `unexpected error (Cannot find module '${path.join(import.meta.dirname, 'no-such-loader.ts')}' imported from ${import.meta.filename}); please report it`,
      unexpected: true,
    },
  ]);
});

test('EIO, read directly or through loadDocument, is unexpected', { skip: process.platform !== 'linux' && 'needs /proc' }, async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tongxin-load-failure-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await symlink(PROC_SELF_MEM, path.join(dir, 'mem.txt'));
  const direct = await thrown(() => readFile(PROC_SELF_MEM));
  const wrapped = await thrown(() => loadDocument(path.join(dir, 'mem.txt'), dir));
  assert.ok(wrapped instanceof LoadError, 'loadDocument wraps it');
  const eio = { reason: 'unexpected error (EIO: i/o error, read); please report it', unexpected: true };
  assert.deepEqual([direct, wrapped].map(classifyLoadFailure), [eio, eio]);
});
