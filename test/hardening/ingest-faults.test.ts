/**
 * `npm run ingest` (scripts/ingest.ts in a child process) against an index folder it cannot
 * write: read-only, and on a full file system (a small tmpfs). It must exit 1 with a message that
 * names the index folder, and the previous index must still load with the same generation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, cp, mkdtemp, readdir, rm, statfs, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { ingest } from '../../src/index/ingest.ts';
import { openKnowledgeBase } from '../../src/knowledge-base.ts';
import { BUNDLED_CORPUS } from '../helpers/kb-fixture.ts';
import { runScript } from '../helpers/run-script.ts';

const config = loadConfig({ env: { EMBEDDING_PROVIDER: 'none' }, dotenvDir: false });
interface Run {
  code: number | null;
  stderr: string;
  /** The error line runMain prints for a known error. */
  message: string;
}

/** scripts/ingest.ts as `npm run ingest` runs it; under the file modes when `obeyFileModes`. */
async function runIngest(corpusDir: string, indexDir: string, cwd: string, obeyFileModes: boolean): Promise<Run> {
  const r = await runScript('scripts/ingest.ts', ['--corpus', corpusDir, '--index', indexDir], { cwd, obeyFileModes, env: { LOG_FORMAT: 'json' } });
  return { code: r.code, stderr: r.stderr, message: r.stderr.split('\n').find((l) => l.startsWith('Tongxin: ')) ?? '' };
}

async function generationOf(indexDir: string): Promise<string> {
  const kb = await openKnowledgeBase({ indexDir, config, embedder: null, chatModel: null });
  try {
    assert.equal((await kb.ask('在职党员到社区报到的比例是多少？')).refused, false);
    return kb.stats().generation;
  } finally {
    await kb.close();
  }
}

test('a read-only index folder: exit 1 naming the folder, the old index intact', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'tongxin-ro-'));
  try {
    const corpusDir = path.join(root, 'corpus');
    const indexDir = path.join(root, 'index');
    await cp(BUNDLED_CORPUS, corpusDir, { recursive: true });
    await ingest({ corpusDir, indexDir, config, embedder: null });
    const before = await generationOf(indexDir);
    await writeFile(path.join(corpusDir, 'new.md'), '---\ntitle: 新文档\n---\n\n社区新开设了党员活动室。');

    // Root ignores file modes: the ingest runs under them.
    await chmod(indexDir, 0o555);
    const r = await runIngest(corpusDir, indexDir, root, true);
    await chmod(indexDir, 0o755);

    assert.equal(r.code, 1, r.stderr);
    const lock = path.join(indexDir, 'ingest.lock');
    assert.ok(r.message.startsWith(`Tongxin: cannot create ${lock}: EACCES: permission denied`), r.stderr);
    assert.equal(r.stderr.includes('    at '), false, 'a known error prints no stack');
    assert.equal(await generationOf(indexDir), before);
    assert.deepEqual((await readdir(indexDir)).sort(), [before, 'manifest.json']);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a full file system (tmpfs): every fill level fails cleanly or succeeds; the old index survives', async (t) => {
  const mountPoint = await mkdtemp(path.join(os.tmpdir(), 'tongxin-full-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0755', 'tmpfs', mountPoint], { encoding: 'utf8' });
  if (mounted.error || mounted.status !== 0) {
    await rm(mountPoint, { recursive: true, force: true });
    const why = mounted.error?.message ?? mounted.stderr.trim();
    t.skip(`cannot mount a 1 MB tmpfs to fill (needs root and CAP_SYS_ADMIN): ${why}`);
    return;
  }
  const work = await mkdtemp(path.join(os.tmpdir(), 'tongxin-full-work-'));
  try {
    const corpusDir = path.join(work, 'corpus');
    const indexDir = path.join(mountPoint, 'index');
    const filler = path.join(mountPoint, 'filler');
    await cp(BUNDLED_CORPUS, corpusDir, { recursive: true });
    await ingest({ corpusDir, indexDir, config, embedder: null });
    let current = await generationOf(indexDir);

    // Free space left for the ingest: none, a little, and about one generation (15–60 KB files).
    const failures: string[] = [];
    for (const [i, free] of [0, 4096, 16_384, 40_960, 81_920, 1_000_000].entries()) {
      await writeFile(path.join(corpusDir, `new-${i}.md`), `---\ntitle: 新文档${i}\n---\n\n社区第${i}次开设了党员活动室。`);
      await rm(filler, { force: true });
      const fs = await statfs(mountPoint);
      const available = fs.bavail * fs.bsize;
      await writeFile(filler, Buffer.alloc(Math.max(0, available - free)));
      const r = await runIngest(corpusDir, indexDir, work, false);
      const after = await generationOf(indexDir);
      const entries = (await readdir(indexDir)).sort();
      if (r.code === 0) {
        assert.notEqual(after, current, `free ${free}: a new generation`);
        // The previous generation is kept for processes still loading it.
        assert.deepEqual(entries, [current, after, 'manifest.json'].sort(), `free ${free}`);
        current = after;
        continue;
      }
      failures.push(`${free}: ${r.message}`);
      assert.equal(r.code, 1, `free ${free}: ${r.stderr}`);
      assert.ok(r.message.includes(indexDir), `free ${free}: one clear line naming the index folder: ${r.stderr}`);
      assert.match(r.message, /ENOSPC/, `free ${free}`);
      assert.equal(r.stderr.includes('    at '), false, `free ${free}: a known error prints no stack`);
      assert.equal(after, current, `free ${free}: the old index still loads`);
      // Nothing half-written is left behind: no new generation, no temporary manifest, no lock.
      assert.deepEqual(entries, [current, 'manifest.json'].sort(), `free ${free}`);
    }
    t.diagnostic(`failed cleanly: ${failures.join(' | ')}`);
    assert.ok(failures.length >= 2, 'the small fill levels fail');

    // With room again the next ingest succeeds.
    await rm(filler, { force: true });
    await writeFile(path.join(corpusDir, 'last.md'), '---\ntitle: 最后\n---\n\n最后一次更新。');
    const r = await runIngest(corpusDir, indexDir, work, false);
    assert.equal(r.code, 0, r.stderr);
    assert.notEqual(await generationOf(indexDir), current);
  } finally {
    const un = spawnSync('umount', [mountPoint], { encoding: 'utf8' });
    if (un.status !== 0) spawnSync('umount', ['-l', mountPoint]);
    await rm(mountPoint, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  }
});
