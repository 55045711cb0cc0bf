// The ingest lock across processes: of several ingests taking over one stale lock at the same
// moment, exactly one holds it; the lock file is never seen empty.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LOCK_FILE, putBackLock } from '../../src/index/index-lock.ts';
import { createLogger } from '../../src/log.ts';
import { REPO_ROOT } from '../helpers/kb-fixture.ts';

const TSX_LOADER = import.meta.resolve('tsx');
const LOCK_MODULE = path.join(REPO_ROOT, 'src/index/index-lock.ts');

let root: string;
before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'tongxin-lock-'));
});
after(() => rm(root, { recursive: true, force: true }));

/** A child that waits for `go` on stdin, tries the lock, holds it `holdMs`, and prints the outcome. */
function contender(indexDir: string, holdMs: number): { go(): void; done: Promise<string> } {
  const code = `
    const { acquireIndexLock } = await import(${JSON.stringify(LOCK_MODULE)});
    process.stdin.once('data', async () => {
      try {
        const lock = await acquireIndexLock(${JSON.stringify(indexDir)});
        await new Promise((r) => setTimeout(r, ${holdMs}));
        await lock.release();
        process.stdout.write('held');
      } catch (err) {
        process.stdout.write(err.code ?? String(err));
      }
      process.exit(0);
    });
    process.stdout.write('ready');`;
  const child = spawn(process.execPath, ['--import', TSX_LOADER, '--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  let ready: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    if (out.startsWith('ready')) ready();
  });
  return {
    go: () => void isReady.then(() => child.stdin.write('go\n')),
    done: new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', () => resolve(out.replace(/^ready/, '')));
    }),
  };
}

test('four processes taking over one stale lock at once: exactly one holds it, the rest are refused', async () => {
  for (let round = 0; round < 3; round++) {
    const index = path.join(root, `i${round}`);
    await mkdir(index, { recursive: true });
    // Left by an ingest that was killed: its pid no longer exists.
    await writeFile(path.join(index, LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 4242, since: '2026-01-01T00:00:00Z' }));
    const children = Array.from({ length: 4 }, () => contender(index, 1500));
    for (const c of children) c.go();
    const outcomes = (await Promise.all(children.map((c) => c.done))).sort();
    assert.deepEqual(outcomes, ['INDEX_LOCKED', 'INDEX_LOCKED', 'INDEX_LOCKED', 'held'], `round ${round}`);
    // Nothing is left behind: no lock, no private or stale copies.
    assert.deepEqual(await readdir(index), []);
  }
});

test('a lock written by an older version and left empty is stale and taken over', async () => {
  const index = path.join(root, 'empty');
  await mkdir(index, { recursive: true });
  await writeFile(path.join(index, LOCK_FILE), '');
  const c = contender(index, 10);
  c.go();
  assert.equal(await c.done, 'held');
  assert.deepEqual(await readdir(index), []);
});

test("a live ingest's lock moved aside by mistake goes back; when it cannot, that is logged as an error", async () => {
  const dir = path.join(root, 'put-back');
  await mkdir(dir);
  const file = path.join(dir, LOCK_FILE);
  const live = JSON.stringify({ pid: 4242, since: '2026-11-29T08:00:00.000Z' });
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ format: 'json', write: (l) => lines.push(JSON.parse(l)) });

  const aside = `${file}.1.0a0b0c0d.stale`;
  await writeFile(aside, live);
  await putBackLock(aside, file, logger);
  assert.deepEqual([await readdir(dir), await readFile(file, 'utf8'), lines], [[LOCK_FILE], live, []]);

  // A third ingest took the lock in the meantime: the link back fails with EEXIST.
  const third = JSON.stringify({ pid: 5151, since: '2026-11-29T08:00:01.000Z' });
  await writeFile(file, third);
  await writeFile(aside, live);
  await putBackLock(aside, file, logger);
  assert.deepEqual([await readdir(dir), await readFile(file, 'utf8')], [[LOCK_FILE], third]);
  assert.deepEqual(
    lines.map(({ time: _time, ...rest }) => rest),
    [
      {
        level: 'error',
        msg: "could not put back another ingest's lock: until that ingest ends, a second one is not kept out",
        file,
        pid: 4242,
        err: { name: 'Error', message: `EEXIST: file already exists, link '${aside}' -> '${file}'`, code: 'EEXIST' },
      },
    ],
  );
});
