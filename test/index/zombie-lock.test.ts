// A lock left by an ingest killed with its process group must not block the next ingest, also
// while the killed process is a zombie that nothing has reaped (kill(pid, 0) succeeds on it).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { isAlive, LOCK_FILE } from '../../src/index/index-lock.ts';
import { ingest } from '../../src/index/ingest.ts';
import { REPO_ROOT } from '../helpers/kb-fixture.ts';

const hasProc = existsSync('/proc/self/stat');
const config = loadConfig({ env: { EMBEDDING_PROVIDER: 'none' }, dotenvDir: false });
let root: string;
let corpus: string;
before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'tongxin-zombie-'));
  corpus = path.join(root, 'corpus');
  await mkdir(corpus);
  // Enough text that an ingest is still reading when it is killed a moment after it took the lock.
  const para = '社区党组织定期召开支部党员大会，组织党员开展志愿服务，推动在职党员到社区报到。';
  for (let i = 0; i < 600; i++) await writeFile(path.join(corpus, `doc-${i}.md`), `# 文件${i}\n\n${para.repeat(40)}\n`);
});
after(() => rm(root, { recursive: true, force: true }));

function procState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(check(), `timed out waiting for ${what}`);
}

test('a killed ingest left as an unreaped zombie does not block the next ingest', { skip: !hasProc && 'needs /proc (Linux)' }, async () => {
  const index = path.join(root, 'index-zombie');
  // sh starts the ingest in the background and then becomes `sleep`, which never waits for its
  // children: once killed, the ingest stays a zombie for as long as `sleep` runs.
  const ingestCmd = `${JSON.stringify(process.execPath)} --import tsx test/helpers/ingest-child.ts ${JSON.stringify(corpus)} ${JSON.stringify(index)}`;
  const holder = spawn('sh', ['-c', `${ingestCmd} >/dev/null 2>&1 & echo $!; exec sleep 120`], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  try {
    const pid = await new Promise<number>((resolve) => holder.stdout.setEncoding('utf8').once('data', (d: string) => resolve(Number(d.trim()))));
    const lockFile = path.join(index, LOCK_FILE);
    await waitFor(() => existsSync(lockFile), 'the ingest to take its lock');
    assert.equal(JSON.parse(await readFile(lockFile, 'utf8')).pid, pid);
    process.kill(pid, 'SIGKILL');
    await waitFor(() => procState(pid) === 'Z', 'the killed ingest to become a zombie');
    // What the old check saw: the zombie answers kill(pid, 0).
    assert.doesNotThrow(() => process.kill(pid, 0));
    assert.equal(isAlive(pid), false);

    const report = await ingest({ corpusDir: corpus, indexDir: index, config, embedder: null });
    assert.equal(report.docs, 600);
    assert.equal(report.written, true);
  } finally {
    process.kill(-holder.pid!, 'SIGKILL');
  }
});

test('npm run ingest killed with its whole process group a second in: the next one runs at once', async () => {
  const index = path.join(root, 'index-group');
  let killed = 0;
  for (let round = 0; round < 3; round++) {
    const run = spawn('npm', ['run', '--silent', 'ingest', '--', '--corpus', corpus, '--index', index, '--rebuild'], {
      cwd: REPO_ROOT,
      stdio: 'ignore',
      detached: true,
      env: { ...process.env, EMBEDDING_PROVIDER: 'none', LOG_LEVEL: 'error' },
    });
    await waitFor(() => existsSync(path.join(index, LOCK_FILE)), 'the ingest to take its lock');
    // Mid-build: the lock is held for the whole build. On a fast machine the build can end first
    // (ESRCH: the group is gone); that round then only shows the next run is fine.
    await new Promise((r) => setTimeout(r, 300 + 300 * round));
    try {
      process.kill(-run.pid!, 'SIGKILL');
      killed++;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
    const next = spawnSync('npm', ['run', '--silent', 'ingest', '--', '--corpus', corpus, '--index', index, '--json'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, EMBEDDING_PROVIDER: 'none', LOG_LEVEL: 'error' },
    });
    assert.equal(next.status, 0, `round ${round}: ${next.stderr}`);
    assert.equal(JSON.parse(next.stdout.trim().split('\n').at(-1)!).docs, 600);
  }
  assert.ok(killed >= 1, 'no round killed the ingest while it ran');
});

test('a live process is alive, a finished one is not', () => {
  assert.equal(isAlive(process.pid), true);
  const done = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  assert.equal(isAlive(Number(done.stdout)), false);
});
