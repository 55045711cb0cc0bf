import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { listCorpusFiles } from '../../src/index/corpus-walk.ts';
import { ingest } from '../../src/index/ingest.ts';
import { openKnowledgeBase } from '../../src/knowledge-base.ts';
import { runScript } from '../helpers/run-script.ts';

const config = loadConfig({ env: { EMBEDDING_PROVIDER: 'none' }, dotenvDir: false });
let root: string;

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tongxin-walk-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('symbolic links to files and folders, inside or outside the corpus, are followed; loops and broken links are listed', async () => {
  const base = path.join(root, 'links');
  const corpus = path.join(base, 'corpus');
  const shared = path.join(base, 'shared-folder');
  await mkdir(path.join(corpus, 'loop'), { recursive: true });
  await mkdir(path.join(shared, 'sub'), { recursive: true });
  await writeFile(path.join(shared, 'policy.md'), '---\ntitle: 共享制度\n---\n\n党员活动日定在每月十五日，地点是社区党群服务中心。');
  await writeFile(path.join(shared, 'sub', 'deep.md'), '# 深层\n\n共享文件夹里的第二份文件。');
  await writeFile(path.join(base, 'outside.md'), '# 外部\n\n链接进来的单个文件。');
  await writeFile(path.join(corpus, 'a.md'), '# 甲\n\n资料库里的普通文件。');
  await writeFile(path.join(corpus, 'loop', 'inner.md'), '# 内层\n\n循环文件夹里的文件。');
  await symlink(path.join(base, 'outside.md'), path.join(corpus, 'linked.md')); // absolute, to a file outside
  await symlink('a.md', path.join(corpus, 'alias.md')); // relative, to a file inside
  await symlink(shared, path.join(corpus, 'shared')); // a shared folder linked in
  await symlink('../shared-folder', path.join(corpus, 'shared-copy')); // the same folder a second way
  await symlink('..', path.join(corpus, 'loop', 'back')); // back to the corpus folder
  await symlink('.', path.join(corpus, 'loop', 'self'));
  await symlink(path.join(base, 'nowhere.md'), path.join(corpus, 'broken.md'));
  await symlink('chain-b', path.join(corpus, 'chain-a'));
  await symlink('chain-a', path.join(corpus, 'chain-b'));
  const fifo = spawnSync('mkfifo', [path.join(corpus, 'pipe')]);
  assert.equal(fifo.status, 0, 'mkfifo (coreutils) makes a named pipe');

  const skipped = [
    { path: 'broken.md', reason: `broken symbolic link: ${path.join(base, 'nowhere.md')} does not exist` },
    { path: 'chain-a', reason: 'symbolic link loop: chain-b leads back to itself' },
    { path: 'chain-b', reason: 'symbolic link loop: chain-a leads back to itself' },
    { path: 'loop/back', reason: 'symbolic link loop: leads back to the corpus folder' },
    { path: 'loop/self', reason: 'symbolic link loop: leads back to loop' },
    { path: 'pipe', reason: 'not a regular file (a pipe, socket or device)' },
    { path: 'shared-copy', reason: 'same folder as shared (reached again through a symbolic link)' },
  ];
  assert.deepEqual(await listCorpusFiles(corpus), {
    files: ['a.md', 'alias.md', 'linked.md', 'loop/inner.md', 'shared/policy.md', 'shared/sub/deep.md'],
    skipped,
  });

  const index = path.join(base, 'index');
  const r = await ingest({ corpusDir: corpus, indexDir: index, config, embedder: null });
  assert.deepEqual([r.docs, r.added, r.skipped], [6, 6, skipped]);
  const kb = await openKnowledgeBase({ indexDir: index, config, embedder: null, chatModel: null });
  try {
    const a = await kb.ask('党员活动日定在每月几号？');
    assert.equal(a.refused, false);
    assert.equal(a.citations[0]!.docId, 'shared/policy');
    assert.match(a.body, /每月十五日/);
  } finally {
    await kb.close();
  }
  // Nothing changed: the next run keeps the index as it is, links and all.
  const again = await ingest({ corpusDir: corpus, indexDir: index, config, embedder: null });
  assert.deepEqual([again.written, again.unchanged, again.skipped], [false, 6, skipped]);
});

test('an unreadable subfolder is skipped with a reason and the rest is indexed; an unreadable corpus folder stops', async () => {
  const base = path.join(root, 'perm');
  const corpus = path.join(base, 'corpus');
  const index = path.join(base, 'index');
  await mkdir(path.join(corpus, 'locked'), { recursive: true });
  await mkdir(index);
  await writeFile(path.join(corpus, 'readable.md'), '---\ntitle: 可读\n---\n\n党员活动室每天上午八点开放。');
  await writeFile(path.join(corpus, 'locked', 'secret.md'), '# 锁住\n\n读不到的内容。');
  // Root reads any folder whatever its mode: the ingest runs under the file modes.
  const run = () => runScript('scripts/ingest.ts', ['--corpus', corpus, '--index', index, '--json'], { cwd: base, obeyFileModes: true });
  try {
    await chmod(path.join(corpus, 'locked'), 0o000);
    const r = await run();
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.equal(report.docs, 1);
    assert.deepEqual(report.skipped, [
      { path: 'locked', reason: `unreadable folder: EACCES: permission denied, scandir '${path.join(corpus, 'locked')}'` },
    ]);

    // The corpus folder itself: a clear error, and the index built above is left as it was.
    const built = (await readdir(index)).sort();
    await chmod(corpus, 0o000);
    const denied = await run();
    assert.equal(denied.code, 1, denied.stderr);
    assert.ok(
      denied.stderr.includes(`Tongxin: cannot read corpus folder ${corpus}: EACCES: permission denied, scandir '${corpus}'; check its permissions`),
      denied.stderr,
    );
    assert.deepEqual((await readdir(index)).sort(), built);
  } finally {
    await chmod(corpus, 0o755);
    await chmod(path.join(corpus, 'locked'), 0o755);
  }
  const kb = await openKnowledgeBase({ indexDir: index, config, embedder: null, chatModel: null });
  try {
    assert.match((await kb.ask('党员活动室几点开放？')).body, /上午八点/);
  } finally {
    await kb.close();
  }
});
