/**
 * openOrBuild builds a knowledge base only where there is none. A manifest that exists but is
 * damaged, of another format or unreadable is not "none": it is reported with the fix, and
 * nothing is built over it (a build would hide the damage and, with an API provider, cost money).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openOrBuild } from '../../src/channels/open-or-build.ts';
import { IndexError } from '../../src/errors.ts';
import { silentLogger } from '../../src/log.ts';
import { buildKbFixture, type KbFixture } from '../helpers/kb-fixture.ts';
import { runScript } from '../helpers/run-script.ts';

let kb: KbFixture;
let manifestFile: string;
let good: string;

before(async () => {
  kb = await buildKbFixture({ docs: { 'room.md': '---\ntitle: 活动室\n---\n\n社区新开设了党员活动室，每周三开放。' } });
  manifestFile = path.join(kb.indexDir, 'manifest.json');
  good = await readFile(manifestFile, 'utf8');
});
after(() => kb.cleanup());

/** The index folder's entries and manifest bytes: unchanged when nothing was built. */
async function snapshot(): Promise<unknown> {
  const entries = (await readdir(kb.indexDir)).sort();
  const manifest = await readFile(manifestFile, 'utf8').catch((err: NodeJS.ErrnoException) => err.code);
  return { entries, manifest };
}

test('npm run console with a damaged manifest: exit 1 naming it and the rebuild command; nothing is built', async () => {
  await writeFile(manifestFile, good.slice(0, good.length / 2));
  try {
    const before = await snapshot();
    const r = await runScript('src/channels/console.ts', [], { cwd: kb.dir, input: '' });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '');
    const message = r.stderr.split('\n').find((l) => l.startsWith('Tongxin: '));
    assert.equal(message, `Tongxin: ${manifestFile} is not valid JSON; rebuild with: npm run ingest -- --rebuild`);
    assert.ok(!r.stderr.includes('no knowledge base yet'), r.stderr);
    assert.deepEqual(await snapshot(), before);
  } finally {
    await writeFile(manifestFile, good);
  }
});

test('a manifest of another format or one that cannot be read is reported, not built over', async () => {
  await writeFile(manifestFile, JSON.stringify({ ...JSON.parse(good), formatVersion: 99 }));
  const before = await snapshot();
  await assert.rejects(openOrBuild(kb.config, silentLogger, kb.indexDir), (err: unknown) => {
    assert.ok(err instanceof IndexError);
    assert.deepEqual(
      [err.code, err.message],
      ['INDEX_INCOMPATIBLE', `Tongxin: ${manifestFile} has index format 99, this version reads 1; rebuild with: npm run ingest -- --rebuild`],
    );
    return true;
  });
  assert.deepEqual(await snapshot(), before);

  // A folder where the manifest should be: it exists, and reading it fails (EISDIR).
  await rm(manifestFile);
  await mkdir(manifestFile);
  const beforeUnreadable = await snapshot();
  await assert.rejects(openOrBuild(kb.config, silentLogger, kb.indexDir), (err: unknown) => {
    assert.ok(err instanceof IndexError);
    assert.deepEqual([err.code, err.message], ['INDEX_CORRUPT', `Tongxin: cannot read ${manifestFile}: EISDIR: illegal operation on a directory, read`]);
    return true;
  });
  assert.deepEqual(await snapshot(), beforeUnreadable);
  await rm(manifestFile, { recursive: true });
  await writeFile(manifestFile, good);
});
