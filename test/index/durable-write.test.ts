/**
 * syncDir ignores only a file system that cannot fsync a directory at all; a failing disk (EIO)
 * fails the ingest, and never costs the index in use. The EIO is a real one: strace injects it
 * into the fsync calls on the index folder of a real `npm run ingest`.
 */
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { syncDir } from '../../src/index/durable-write.ts';
import { ingest } from '../../src/index/ingest.ts';
import { readManifest } from '../../src/index/manifest.ts';
import { openKnowledgeBase } from '../../src/knowledge-base.ts';
import { REPO_ROOT } from '../helpers/kb-fixture.ts';

const config = loadConfig({ env: { EMBEDDING_PROVIDER: 'none' }, dotenvDir: false });
const TSX_LOADER = import.meta.resolve('tsx');
const QUESTION = '党员大会多久召开一次？';
let root: string;

before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'tongxin-durable-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('syncDir flushes a folder, and fails for one that does not exist', async () => {
  await syncDir(root);
  await assert.rejects(syncDir(path.join(root, 'missing')), { code: 'ENOENT' });
});

test('a file system that cannot fsync a folder (procfs: EINVAL) is not an error', { skip: process.platform !== 'linux' && 'needs /proc' }, async () => {
  // The premise, checked: fsync on a procfs folder fails with EINVAL.
  const fd = openSync('/proc/self', 'r');
  try {
    assert.throws(() => fsyncSync(fd), { code: 'EINVAL' });
  } finally {
    closeSync(fd);
  }
  await syncDir('/proc/self');
});

/** A one-document index, then a second document in the corpus, so the next ingest writes. */
async function indexToGrow(name: string): Promise<{ corpusDir: string; indexDir: string; generation: string }> {
  const corpusDir = path.join(root, `${name}-corpus`);
  const indexDir = path.join(root, `${name}-index`);
  await mkdir(corpusDir);
  await writeFile(path.join(corpusDir, 'room.md'), '---\ntitle: 活动室\n---\n\n社区新开设了党员活动室，每周三开放。');
  const { generation } = await ingest({ corpusDir, indexDir, config, embedder: null });
  await writeFile(path.join(corpusDir, 'meeting.md'), '---\ntitle: 党员大会\n---\n\n党员大会每季度召开一次。');
  return { corpusDir, indexDir, generation };
}

/**
 * `npm run ingest` under strace, the `when`-th fsync of `indexDir` itself (every one when
 * omitted) failing with EIO. One libuv thread: strace counts calls per thread.
 */
function ingestWithFailingFsync(t: TestContext, corpusDir: string, indexDir: string, when?: number): { code: number | null; message: string } | null {
  const probe = spawnSync('strace', ['-f', '-o', '/dev/null', 'true'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    t.skip(`strace cannot trace here (install strace; ptrace must be allowed): ${probe.error?.message ?? probe.stderr.trim()}`);
    return null;
  }
  const inject = `fsync:error=EIO${when ? `:when=${when}` : ''}`;
  const script = path.join(REPO_ROOT, 'scripts/ingest.ts');
  const r = spawnSync(
    'strace',
    ['-f', '-qq', '-o', '/dev/null', '-P', indexDir, '-e', 'trace=fsync', '-e', `inject=${inject}`, process.execPath, '--import', TSX_LOADER, script, '--corpus', corpusDir, '--index', indexDir],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, EMBEDDING_PROVIDER: 'none', OPENAI_API_KEY: '', OPENAI_BASE_URL: '', LOG_FORMAT: 'json', UV_THREADPOOL_SIZE: '1' },
    },
  );
  return { code: r.status, message: r.stderr.split('\n').find((l) => l.startsWith('Tongxin: ')) ?? r.stderr };
}

async function answerFrom(indexDir: string): Promise<{ generation: string; refused: boolean }> {
  const kb = await openKnowledgeBase({ indexDir, config, embedder: null, chatModel: null });
  try {
    return { generation: kb.stats().generation, refused: (await kb.ask(QUESTION)).refused };
  } finally {
    await kb.close();
  }
}

test('EIO flushing the index folder before the manifest swap: exit 1, the previous index in use and nothing left behind', async (t) => {
  const { corpusDir, indexDir, generation } = await indexToGrow('before-swap');
  const r = ingestWithFailingFsync(t, corpusDir, indexDir);
  if (!r) return;
  assert.deepEqual(r, { code: 1, message: `Tongxin: cannot write the new index in ${indexDir} (EIO: i/o error, fsync); the previous index is unchanged` });
  assert.deepEqual(await answerFrom(indexDir), { generation, refused: true });
  assert.deepEqual((await readdir(indexDir)).filter((n) => n.startsWith('gen-')), [generation]);
});

test('EIO flushing the index folder after the manifest swap: exit 1 saying so, and the new index stays in use', async (t) => {
  const { corpusDir, indexDir, generation } = await indexToGrow('after-swap');
  // The first flush of the folder is before the swap, the second after it.
  const r = ingestWithFailingFsync(t, corpusDir, indexDir, 2);
  if (!r) return;
  const manifest = path.join(indexDir, 'manifest.json');
  assert.deepEqual(r, {
    code: 1,
    message: `Tongxin: ${manifest} names the new index now, but flushing ${indexDir} failed (EIO: i/o error, fsync): the disk may be failing, and after a power cut the previous manifest could come back`,
  });
  const current = (await readManifest(indexDir))!.generation;
  assert.notEqual(current, generation);
  assert.deepEqual(await answerFrom(indexDir), { generation: current, refused: false });
});
