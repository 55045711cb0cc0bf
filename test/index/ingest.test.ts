import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { ingest } from '../../src/index/ingest.ts';
import { loadIndex } from '../../src/index/load-index.ts';
import { readManifest, writeManifestAtomic } from '../../src/index/manifest.ts';
import { acquireIndexLock, LOCK_FILE } from '../../src/index/index-lock.ts';
import { IndexError } from '../../src/errors.ts';
import { openKnowledgeBase } from '../../src/knowledge-base.ts';
import { TransformersEmbedder } from '../../src/embed/transformers-embedder.ts';
import { deeplyNestedHtml, pageDamagedPdf, PROC_SELF_MEM } from '../helpers/bad-files.ts';
import { tinyModelDir, TINY_MODEL_DIMENSION } from '../helpers/tiny-model.ts';

const config = loadConfig({ env: { EMBEDDING_PROVIDER: 'none' }, dotenvDir: false });
let root: string;

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tongxin-ingest-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

async function freshCorpus(name: string): Promise<string> {
  const dir = path.join(root, name);
  await cp('corpus', dir, { recursive: true });
  return dir;
}

test('first ingest adds every document; a second run reports all unchanged and writes nothing', async () => {
  const corpus = await freshCorpus('c1');
  const index = path.join(root, 'i1');
  const first = await ingest({ corpusDir: corpus, indexDir: index, config, embedder: null });
  assert.equal(first.docs, 11);
  assert.equal(first.added, 11);
  assert.deepEqual([first.changed, first.removed, first.unchanged, first.skipped.length], [0, 0, 0, 0]);
  assert.equal(first.dense, false);
  assert.ok(first.passages >= 11);
  const second = await ingest({ corpusDir: corpus, indexDir: index, config, embedder: null });
  assert.deepEqual(
    [second.added, second.changed, second.removed, second.unchanged, second.written, second.generation],
    [0, 0, 0, 11, false, first.generation],
  );
  const loaded = await loadIndex(index, { withVectors: false });
  assert.equal(loaded.passages.length, first.passages);
  assert.equal(loaded.manifest.embedding, null);
});

test('changed, added, removed and bad files are counted; unchanged passages are reused verbatim', async () => {
  const corpus = await freshCorpus('c2');
  const index = path.join(root, 'i2');
  const first = await ingest({ corpusDir: corpus, indexDir: index, config, embedder: null });
  const before = await loadIndex(index, { withVectors: false });

  await writeFile(path.join(corpus, 'work-points.md'), '---\ntitle: 工作要点（修订）\n---\n\n新版工作要点：每季度召开一次党建联席会议。\n');
  await rm(path.join(corpus, 'lunyu-upright.md'));
  await mkdir(path.join(corpus, 'sub'));
  await copyFile('test/fixtures/docs/gbk.txt', path.join(corpus, 'sub', 'gbk.txt'));
  await copyFile('test/fixtures/docs/notice.docx', path.join(corpus, 'sub', 'notice.docx'));
  await copyFile('test/fixtures/docs/notice.pdf', path.join(corpus, 'sub', 'notice-pdf.pdf'));
  await copyFile('test/fixtures/docs/article.html', path.join(corpus, 'sub', 'article.html'));
  await copyFile('test/fixtures/docs/empty.txt', path.join(corpus, 'empty.txt'));
  await copyFile('test/fixtures/docs/corrupt.pdf', path.join(corpus, 'corrupt.pdf'));
  await copyFile('test/fixtures/docs/unsupported.xyz', path.join(corpus, 'unsupported.xyz'));
  await writeFile(path.join(corpus, '.DS_Store'), 'hidden files are not documents');

  const second = await ingest({ corpusDir: corpus, indexDir: index, config, embedder: null });
  assert.deepEqual([second.added, second.changed, second.removed, second.unchanged], [4, 1, 1, 9]);
  assert.deepEqual(second.skipped.map((s) => s.path), ['corrupt.pdf', 'empty.txt', 'unsupported.xyz']);
  for (const s of second.skipped) assert.ok(s.reason.length > 0 && !s.reason.includes('\n'), s.reason);
  assert.equal(second.skipped.find((s) => s.path === 'unsupported.xyz')!.reason, 'unsupported file type .xyz');

  const after = await loadIndex(index, { withVectors: false });
  const ids = after.manifest.documents.map((d) => d.docId);
  for (const id of ['sub/gbk', 'sub/notice', 'sub/notice-pdf', 'sub/article']) assert.ok(ids.includes(id), id);
  assert.ok(!ids.includes('lunyu-upright'));
  // The unchanged main article has the same passages as before.
  const text = (idx: typeof before) => idx.passages.filter((p) => p.docId === 'lishu-five-ones').map((p) => p.text);
  assert.deepEqual(text(after), text(before));
  assert.ok(after.passages.some((p) => p.docId === 'work-points' && p.text.includes('每季度召开一次党建联席会议')));
  // Only the current and the previous generation are kept.
  const third = await ingest({ corpusDir: corpus, indexDir: index, config, embedder: null, rebuild: true });
  const gens = (await readdir(index)).filter((n) => n.startsWith('gen-')).sort();
  assert.deepEqual(gens, [second.generation, third.generation].sort());
  assert.ok(!gens.includes(first.generation));
});

test('two files with the same docId: the second is skipped with a reason', async () => {
  const corpus = path.join(root, 'c3');
  await mkdir(corpus);
  await writeFile(path.join(corpus, 'notice.md'), '# 通知\n\n社区党员大会于周五召开。');
  await writeFile(path.join(corpus, 'notice.txt'), '社区党员大会于周六召开。');
  const r = await ingest({ corpusDir: corpus, indexDir: path.join(root, 'i3'), config, embedder: null });
  assert.equal(r.docs, 1);
  assert.deepEqual(r.skipped, [{ path: 'notice.txt', reason: 'same document id as notice.md (two files differ only by extension)' }]);
});

test('a file added beside an indexed one with the same docId: the incremental run keeps what a rebuild keeps', async () => {
  const corpus = path.join(root, 'c12');
  await mkdir(corpus);
  await writeFile(path.join(corpus, 'notice.txt'), '社区党员大会于周六召开。');
  await writeFile(path.join(corpus, 'other.md'), '# 其他\n\n党员活动室每天开放。');
  const index = path.join(root, 'i12');
  await ingest({ corpusDir: corpus, indexDir: index, config, embedder: null });
  await writeFile(path.join(corpus, 'notice.md'), '# 通知\n\n社区党员大会于周五召开。');

  const incremental = await ingest({ corpusDir: corpus, indexDir: index, config, embedder: null });
  const skip = [{ path: 'notice.txt', reason: 'same document id as notice.md (two files differ only by extension)' }];
  assert.deepEqual(incremental.skipped, skip);
  assert.deepEqual(
    [incremental.docs, incremental.added, incremental.changed, incremental.removed, incremental.unchanged],
    [2, 1, 0, 1, 1],
  );
  const fresh = path.join(root, 'i12-fresh');
  await ingest({ corpusDir: corpus, indexDir: fresh, config, embedder: null });
  const [a, b] = [await loadIndex(index, { withVectors: false }), await loadIndex(fresh, { withVectors: false })];
  assert.deepEqual(a.manifest.documents.map((d) => [d.docId, d.path]), [['notice', 'notice.md'], ['other', 'other.md']]);
  assert.deepEqual(a.manifest.documents, b.manifest.documents);
  assert.deepEqual(a.manifest.skipped, b.manifest.skipped);
  assert.deepEqual(a.passages, b.passages);
  // Nothing changes on the next run: the same file stays skipped for the same reason.
  const again = await ingest({ corpusDir: corpus, indexDir: index, config, embedder: null });
  assert.deepEqual([again.written, again.skipped], [false, skip]);
});

test('a missing corpus folder is a clear error', async () => {
  await assert.rejects(
    ingest({ corpusDir: path.join(root, 'nope'), indexDir: path.join(root, 'i4'), config, embedder: null }),
    /corpus folder .*nope does not exist/,
  );
});

test('a second ingest while one holds the lock is refused; a stale lock is taken over', async () => {
  const corpus = await freshCorpus('c5');
  const index = path.join(root, 'i5');
  await mkdir(index, { recursive: true });
  // Held by another live process (our parent stands in for it).
  await writeFile(path.join(index, LOCK_FILE), JSON.stringify({ pid: process.ppid, since: '2026-01-01T00:00:00Z' }));
  await assert.rejects(ingest({ corpusDir: corpus, indexDir: index, config, embedder: null }), (err: IndexError) => {
    assert.equal(err.code, 'INDEX_LOCKED');
    assert.equal(err.message, `Tongxin: another ingest (pid ${process.ppid}, since 2026-01-01T00:00:00Z) is updating ${index}; wait for it to finish`);
    return true;
  });
  // A lock left by a process that no longer exists.
  await writeFile(path.join(index, LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 12345, since: '2026-01-01T00:00:00Z' }));
  const r = await ingest({ corpusDir: corpus, indexDir: index, config, embedder: null });
  assert.equal(r.added, 11);
  await assert.rejects(readFile(path.join(index, LOCK_FILE)), /ENOENT/);
  // Held by this process: refused the same way, and free again once released.
  const lock = await acquireIndexLock(index);
  await assert.rejects(ingest({ corpusDir: corpus, indexDir: index, config, embedder: null }), (err: IndexError) => {
    assert.equal(err.code, 'INDEX_LOCKED');
    assert.match(err.message, new RegExp(`^Tongxin: another ingest \\(pid ${process.pid}, since `));
    return true;
  });
  await lock.release();
  // A lock naming our own pid that this process does not hold: a killed ingest whose pid was reused.
  await writeFile(path.join(index, LOCK_FILE), JSON.stringify({ pid: process.pid, since: '2026-01-01T00:00:00Z' }));
  const again = await ingest({ corpusDir: corpus, indexDir: index, config, embedder: null, rebuild: true });
  assert.equal(again.added, 11);
  await assert.rejects(readFile(path.join(index, LOCK_FILE)), /ENOENT/);
});

test('two ingests started together in one process: one builds the index, the other is refused', async () => {
  const corpus = await freshCorpus('c10');
  const index = path.join(root, 'i10');
  await ingest({ corpusDir: corpus, indexDir: index, config, embedder: null });
  await writeFile(path.join(corpus, 'new.md'), '---\ntitle: 新文档\n---\n\n社区新开设了党员活动室。');
  // Through a second spelling of the same folder too: the lock is per folder, not per string.
  const results = await Promise.allSettled([
    ingest({ corpusDir: corpus, indexDir: index, config, embedder: null }),
    ingest({ corpusDir: corpus, indexDir: path.join(root, 'c10', '..', 'i10'), config, embedder: null, rebuild: true }),
  ]);
  const ok = results.filter((r) => r.status === 'fulfilled');
  const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  assert.equal(ok.length, 1);
  assert.equal(refused.length, 1);
  const err = refused[0]!.reason as IndexError;
  assert.equal(err.code, 'INDEX_LOCKED');
  assert.match(err.message, new RegExp(`^Tongxin: another ingest \\(pid ${process.pid}, since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\) is updating .*i10; wait for it to finish$`));
  // The lock is gone, the manifest names a generation that is on disk, and it answers.
  const names = await readdir(index);
  assert.ok(!names.includes(LOCK_FILE));
  const m = await readManifest(index);
  assert.ok(names.includes(m!.generation), `${m!.generation} is in ${names.join(', ')}`);
  assert.equal(m!.documents.length, 12);
  const kb = await openKnowledgeBase({ indexDir: index, config, embedder: null, chatModel: null });
  assert.match((await kb.ask('在职党员到社区报到的比例是多少？')).body, /91\.43%/);
  await kb.close();
  // Once the first has finished, the next ingest runs.
  const next = await ingest({ corpusDir: corpus, indexDir: index, config, embedder: null, rebuild: true });
  assert.equal(next.docs, 12);
});

test('two manifest writes at once in one process both complete; no temporary file is left', async () => {
  const index = path.join(root, 'i11');
  await mkdir(index);
  const manifest = (generation: string) => ({
    formatVersion: 1, generation, builtAt: '2026-01-01T00:00:00Z', chunkerVersion: 1, lexicalFormat: 1,
    embedding: null, documents: [], passages: 0, skipped: [],
  });
  await Promise.all([writeManifestAtomic(index, manifest('gen-a')), writeManifestAtomic(index, manifest('gen-b'))]);
  assert.deepEqual(await readdir(index), ['manifest.json']);
  assert.ok(['gen-a', 'gen-b'].includes((await readManifest(index))!.generation));
});

/**
 * A corpus of `docs` documents (~11 KB each) of real Chinese sentences from the bundled corpus,
 * mixed by a fixed-seed generator, plus known.md holding the one fact the kill test asks about.
 * Sentences naming that fact's words are left out so no filler competes with it.
 */
async function bigCorpus(dir: string, docs: number): Promise<void> {
  let text = '';
  for (const n of (await readdir('corpus')).sort()) text += (await readFile(path.join('corpus', n), 'utf8')).replace(/^---[\s\S]*?---/, '');
  const sentences = text
    .split(/(?<=[。！？])/)
    .map((s) => s.replace(/\s+/g, ''))
    .filter((s) => s.length > 8 && !/驿站|开放|闭馆/.test(s));
  let seed = 1;
  // Park–Miller: the same corpus on every run, so timings and answers are comparable.
  const pick = () => sentences[(seed = (seed * 48271) % 2147483647) % sentences.length]!;
  await mkdir(dir);
  for (let d = 0; d < docs; d++) {
    const paras = Array.from({ length: 8 }, () => Array.from({ length: 6 }, pick).join(''));
    await writeFile(path.join(dir, `filler-${String(d).padStart(4, '0')}.md`), `---\ntitle: 资料${d}\n---\n\n${paras.join('\n\n')}\n`);
  }
  await writeFile(path.join(dir, 'known.md'), '---\ntitle: 同心驿站开放时间\n---\n\n同心驿站每周二至周六上午九点至下午五点开放，周日和周一闭馆。\n');
}

interface ChildRun {
  /** Exit code, or null when killed. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  ms: number;
}

/** When to SIGKILL the child: `ms` after it starts, or as soon as its new generation holds `file`. */
type KillAt = { ms: number } | { file: string };

/**
 * Runs test/helpers/ingest-child.ts and kills it at `killAt`. A file trigger polls the index
 * folder once the child says it is about to write, for a generation folder not in `old` holding
 * that file: a kill then lands while the generation is being written, whatever the disk's speed.
 */
function runIngestChild(corpus: string, index: string, killAt?: KillAt, old: ReadonlySet<string> = new Set()): Promise<ChildRun> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/ingest-child.ts', corpus, index], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let poll: NodeJS.Timeout | undefined;
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = killAt && 'ms' in killAt ? setTimeout(() => child.kill('SIGKILL'), killAt.ms) : undefined;
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    if (!killAt || !('file' in killAt) || poll || !stdout.includes('"phase":"write"')) return;
    poll = setInterval(() => {
      const fresh = readdirSync(index).filter((n) => n.startsWith('gen-') && !old.has(n));
      if (fresh.some((g) => existsSync(path.join(index, g, killAt.file)))) {
        child.kill('SIGKILL');
        clearInterval(poll);
      }
    }, 1);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ code, signal, stderr, ms: performance.now() - started });
    });
  });
}

test('an ingest killed at any moment, mid-write too, leaves the last good index loading and answering', async (t) => {
  const corpus = path.join(root, 'c6');
  const index = path.join(root, 'i6');
  // ~16 MB: an incremental ingest takes a few seconds here, most of it tokenizing, then ~60 ms of writes.
  await bigCorpus(corpus, 1500);
  await ingest({ corpusDir: corpus, indexDir: index, config, embedder: null });
  const question = '同心驿站什么时候开放？';
  const ask = async () => {
    const kb = await openKnowledgeBase({ indexDir: index, config, embedder: null, chatModel: null });
    try {
      const a = await kb.ask(question);
      return { generation: kb.stats().generation, passages: kb.stats().passages, body: a.body, citations: a.citations };
    } finally {
      await kb.close();
    }
  };
  const reference = await ask();
  assert.match(reference.body, /每周二至周六上午九点至下午五点开放/);
  assert.equal(reference.citations[0]!.docId, 'known');

  // Every run has something to write: one changed document.
  let round = 0;
  const change = () => writeFile(path.join(corpus, 'changing.md'), `---\ntitle: 变动\n---\n\n第${++round}轮修改的内容。\n`);
  await change();
  const clean = await runIngestChild(corpus, index);
  assert.equal(clean.code, 0, clean.stderr);
  let good = (await ask()).generation;
  assert.notEqual(good, reference.generation);

  // Kills spread over a run's measured length, and kills as each file of the new generation appears
  // (the writes take ~60 ms here, after ~2 s of tokenizing).
  const kills: KillAt[] = [
    ...[0.1, 0.3, 0.5, 0.7, 0.9].map((f) => ({ ms: Math.round(f * clean.ms) })),
    ...['lexical.json', 'lexical.bin', 'passages.json'].map((file) => ({ file })),
  ];
  const outcomes: string[] = [];
  let landed = 0;
  let halfWritten = 0;
  const current = new Set([reference.generation, good]);
  const debris = new Set<string>();
  for (const killAt of kills) {
    await change();
    const r = await runIngestChild(corpus, index, killAt, new Set([...current, ...debris]));
    const what = `kill ${JSON.stringify(killAt)}`;
    if (r.signal === 'SIGKILL') landed++;
    else assert.equal(r.code, 0, `${what}: the child failed on its own: ${r.stderr}`);
    const before = halfWritten;
    // The manifest names the last good generation, or the new one when the kill came after the swap.
    const now = await ask();
    assert.deepEqual(now, { ...reference, generation: now.generation, passages: reference.passages + 1 }, what);
    good = now.generation;
    current.add(good);
    // A generation folder the manifest never named, with files in it: the kill landed mid-write.
    for (const g of (await readdir(index)).filter((n) => n.startsWith('gen-') && !current.has(n) && !debris.has(n))) {
      debris.add(g);
      if ((await readdir(path.join(index, g))).length > 0) halfWritten++;
    }
    outcomes.push(`${what}: ${r.signal ?? `exit ${r.code}`}${halfWritten > before ? ', mid-write' : ''}`);
  }
  t.diagnostic(outcomes.join('; '));
  assert.ok(landed >= kills.length - 2, `most kills land before the child exits (${landed} of ${kills.length})`);
  // The three file triggers land mid-write every time here; one miss is allowed on a busy machine.
  assert.ok(halfWritten >= 2, `kills land while a generation is being written (${halfWritten} did)`);

  // After the kills an ingest still runs (the stale lock is taken over), succeeds and clears the debris.
  await change();
  const r = await ingest({ corpusDir: corpus, indexDir: index, config, embedder: null });
  assert.deepEqual([r.docs, r.written], [1502, true]);
  assert.deepEqual((await readdir(index)).sort(), [good, r.generation, 'manifest.json'].sort());
  assert.deepEqual(await ask(), { ...reference, generation: r.generation, passages: reference.passages + 1 });
});

test('every file of a new generation, and its folder, is fsynced before the manifest rename (strace)', async (t) => {
  const probe = spawnSync('strace', ['-f', '-o', '/dev/null', 'true'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    t.skip(`strace cannot trace here (install strace; ptrace must be allowed): ${probe.error?.message ?? probe.stderr.trim()}`);
    return;
  }
  const modelDir = await tinyModelDir();
  const corpus = await freshCorpus('c13');
  const index = path.join(root, 'i13');
  const log = path.join(root, 'i13.strace');
  // -y names the file behind each descriptor; -s keeps whole paths in rename's arguments.
  const args = ['-f', '-y', '-s', '4096', '-e', 'trace=fsync,fdatasync,rename,renameat,renameat2', '-o', log];
  const child = spawnSync('strace', [...args, process.execPath, '--import', 'tsx', 'test/helpers/ingest-child.ts', corpus, index, modelDir], {
    encoding: 'utf8',
  });
  assert.equal(child.status, 0, child.stderr);
  const m = (await readManifest(index))!;
  const genDir = path.join(index, m.generation);
  const vectorsSha256 = createHash('sha256').update(await readFile(path.join(genDir, 'vectors.f32'))).digest('hex');
  assert.deepEqual(m.embedding, { id: `${modelDir}@q8/cls`, dimension: TINY_MODEL_DIMENSION, vectorsSha256 });
  const files = (await readdir(genDir)).sort();
  assert.deepEqual(files, ['lexical.bin', 'lexical.json', 'passages.json', 'vectors.f32', 'vectors.hnsw', 'vectors.json']);

  const lines = (await readFile(log, 'utf8')).split('\n');
  const swap = lines.findIndex((l) => /\brename(at2?)?\(.*"[^"]*\/manifest\.json\.\d+\.[0-9a-f]+\.tmp",.*"[^"]*\/manifest\.json"/.test(l) && l.includes(index));
  assert.ok(swap > 0, 'the manifest rename is in the trace');
  const syncedAt = (file: string) => lines.findIndex((l) => /\bf(data)?sync\(\d+</.test(l) && l.includes(`<${file}>`));
  for (const f of [...files.map((f) => path.join(genDir, f)), genDir, index]) {
    const at = syncedAt(f);
    assert.ok(at >= 0 && at < swap, `${f} is fsynced before the manifest rename (fsync at line ${at}, rename at ${swap})`);
  }
});

test('dense path: the tiny ONNX model embeds passages; vectors are reused for unchanged documents', async () => {
  const modelDir = await tinyModelDir();
  let embedded = 0;
  const make = () => {
    const e = new TransformersEmbedder({ model: modelDir, dtype: 'q8', pooling: 'cls', queryPrefix: '为这个句子生成表示以用于检索相关文章：', allowRemote: false });
    const embedPassages = e.embedPassages.bind(e);
    e.embedPassages = async (texts, onProgress) => {
      embedded += texts.length;
      return embedPassages(texts, onProgress);
    };
    return e;
  };
  const corpus = await freshCorpus('c7');
  const index = path.join(root, 'i7');
  const first = await ingest({ corpusDir: corpus, indexDir: index, config, embedder: make() });
  assert.equal(first.dense, true);
  assert.equal(embedded, first.passages);
  const m = await readManifest(index);
  const vectorsSha256 = createHash('sha256').update(await readFile(path.join(index, m!.generation, 'vectors.f32'))).digest('hex');
  assert.deepEqual(m!.embedding, { id: `${modelDir}@q8/cls`, dimension: TINY_MODEL_DIMENSION, vectorsSha256 });

  await writeFile(path.join(corpus, 'new.md'), '---\ntitle: 新文档\n---\n\n社区新开设了党员活动室。');
  embedded = 0;
  const second = await ingest({ corpusDir: corpus, indexDir: index, config, embedder: make() });
  assert.equal(second.added, 1);
  assert.equal(embedded, 1, 'only the new passage is embedded');

  const kb = await openKnowledgeBase({ indexDir: index, config, embedder: make(), chatModel: null });
  assert.equal(kb.stats().dense, true);
  const a = await kb.ask('在职党员到社区报到的比例是多少？');
  assert.match(a.body, /91\.43%/);
  assert.ok(a.explain.dense && a.explain.dense.length > 0, 'dense candidates are listed');
  assert.ok(a.retrieved.some((r) => r.dense !== undefined));

  // An index built with one model is refused under another, with the command that fixes it.
  const other = new TransformersEmbedder({ model: modelDir, dtype: 'q8', pooling: 'mean', allowRemote: false });
  await assert.rejects(openKnowledgeBase({ indexDir: index, config, embedder: other, chatModel: null }), (err: IndexError) => {
    assert.equal(err.code, 'INDEX_INCOMPATIBLE');
    assert.match(err.message, /npm run ingest -- --rebuild/);
    return true;
  });
  // Lexical-only opening of a dense index still answers.
  const lex = await openKnowledgeBase({ indexDir: index, config, embedder: null, chatModel: null });
  assert.equal(lex.stats().dense, false);
  assert.match((await lex.ask('在职党员到社区报到的比例是多少？')).body, /91\.43%/);
});

test('an unavailable model is one warning and a lexical index', async () => {
  const lines: string[] = [];
  const { createLogger } = await import('../../src/log.ts');
  const logger = createLogger({ format: 'json', write: (l) => lines.push(l) });
  const missing = new TransformersEmbedder({ model: path.join(root, 'no-such-model'), allowRemote: false });
  const r = await ingest({ corpusDir: await freshCorpus('c8'), indexDir: path.join(root, 'i8'), config, logger, embedder: missing });
  assert.equal(r.dense, false);
  const warnings = lines.map((l) => JSON.parse(l)).filter((l) => l.level === 'warn');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0].msg, /building the lexical index only/);
});

/** A logger at debug level whose lines land in `lines`, parsed. */
async function collectingLogger(): Promise<{ logger: import('../../src/log.ts').Logger; lines: Array<Record<string, unknown>> }> {
  const { createLogger } = await import('../../src/log.ts');
  const lines: Array<Record<string, unknown>> = [];
  return { logger: createLogger({ level: 'debug', format: 'json', write: (l) => lines.push(JSON.parse(l)) }), lines };
}

test('an embedder ingest made from config is closed when ingest ends, after success and after failure', async () => {
  const modelDir = await tinyModelDir();
  const local = loadConfig({
    env: { EMBEDDING_PROVIDER: 'local', EMBEDDING_MODEL: modelDir, EMBEDDING_POOLING: 'cls', ALLOW_REMOTE_MODELS: 'off' },
    dotenvDir: false,
  });
  const corpus = path.join(root, 'c-close');
  await mkdir(corpus);
  await writeFile(path.join(corpus, 'room.md'), '---\ntitle: 活动室\n---\n\n社区新开设了党员活动室，每周三开放。');
  const index = path.join(root, 'i-close');
  const modelEvents = (lines: Array<Record<string, unknown>>) => lines.filter((l) => l.component === 'embedder').map((l) => l.msg);

  const ok = await collectingLogger();
  const first = await ingest({ corpusDir: corpus, indexDir: index, config: local, logger: ok.logger });
  assert.equal(first.dense, true);
  assert.deepEqual(modelEvents(ok.lines), ['loading embedding model', 'embedding model loaded', 'embedding model unloaded']);

  // A failure after the model is loaded: the unchanged document's passages cannot be reused.
  await writeFile(path.join(corpus, 'new.md'), '---\ntitle: 新文档\n---\n\n党员大会每季度召开一次。');
  await writeFile(path.join(index, first.generation, 'passages.json'), '{"documents": [');
  const failed = await collectingLogger();
  await assert.rejects(ingest({ corpusDir: corpus, indexDir: index, config: local, logger: failed.logger }), (err: unknown) => {
    assert.ok(err instanceof IndexError && err.code === 'INDEX_CORRUPT', String(err));
    return true;
  });
  assert.deepEqual(modelEvents(failed.lines), ['loading embedding model', 'embedding model loaded', 'embedding model unloaded']);
});

test('an embedder passed in stays open: it belongs to the caller', async () => {
  const { logger, lines } = await collectingLogger();
  const embedder = new TransformersEmbedder({ model: await tinyModelDir(), dtype: 'q8', pooling: 'cls', allowRemote: false, logger });
  const corpus = path.join(root, 'c-passed');
  await mkdir(corpus);
  await writeFile(path.join(corpus, 'room.md'), '---\ntitle: 活动室\n---\n\n社区新开设了党员活动室，每周三开放。');
  const r = await ingest({ corpusDir: corpus, indexDir: path.join(root, 'i-passed'), config, embedder });
  assert.equal(r.dense, true);
  // Still loaded: a closed embedder would log "loading embedding model" again here.
  await embedder.embedQuery('活动室哪天开放？');
  assert.deepEqual(lines.map((l) => l.msg), ['loading embedding model', 'embedding model loaded']);
  await embedder.close();
  assert.deepEqual(lines.map((l) => l.msg), ['loading embedding model', 'embedding model loaded', 'embedding model unloaded']);
});

test('a file that fails unexpectedly is skipped with a reason to report and logged with its stack; an expected failure stays quiet', { skip: process.platform !== 'linux' && 'needs /proc' }, async () => {
  const corpus = path.join(root, 'c-unexpected');
  await mkdir(corpus);
  await writeFile(path.join(corpus, 'room.md'), '---\ntitle: 活动室\n---\n\n社区新开设了党员活动室，每周三开放。');
  await copyFile('test/fixtures/docs/corrupt.pdf', path.join(corpus, 'corrupt.pdf'));
  await writeFile(path.join(corpus, 'page-damaged.pdf'), await pageDamagedPdf());
  await writeFile(path.join(corpus, 'deep.html'), deeplyNestedHtml());
  await symlink(PROC_SELF_MEM, path.join(corpus, 'mem.txt'));
  const { logger, lines } = await collectingLogger();

  const r = await ingest({ corpusDir: corpus, indexDir: path.join(root, 'i-unexpected'), config, logger, embedder: null });
  assert.equal(r.docs, 1);
  assert.deepEqual(r.skipped, [
    { path: 'corrupt.pdf', reason: 'corrupt pdf (invalid structure)' },
    { path: 'deep.html', reason: 'unexpected error (Maximum call stack size exceeded); please report it' },
    { path: 'mem.txt', reason: 'unexpected error (EIO: i/o error, read); please report it' },
    { path: 'page-damaged.pdf', reason: 'corrupt pdf (cannot be parsed)' },
  ]);
  const errors = lines.filter((l) => l.level === 'error');
  assert.deepEqual(
    errors.map(({ msg, path, err, stack }) => ({ msg, path, err, stack: String(stack).split('\n')[0] })),
    [
      {
        msg: 'unexpected error reading a corpus file; it is skipped, please report this',
        path: 'deep.html',
        err: { name: 'RangeError', message: 'Maximum call stack size exceeded' },
        stack: 'RangeError: Maximum call stack size exceeded',
      },
      {
        msg: 'unexpected error reading a corpus file; it is skipped, please report this',
        path: 'mem.txt',
        err: { name: 'Error', message: 'EIO: i/o error, read', code: 'EIO' },
        stack: 'Error: EIO: i/o error, read',
      },
    ],
  );
  // The stack goes beyond its first line: where the loader failed.
  assert.match(String(errors[0]!.stack), /\n\s+at /);
});

test('npm run ingest --json prints one JSON report as the last stdout line', async () => {
  const corpus = await freshCorpus('c9');
  const index = path.join(root, 'i9');
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/ingest.ts', '--corpus', corpus, '--index', index, '--json'], {
      env: { ...process.env, EMBEDDING_PROVIDER: 'none' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`exit ${code}`))));
  });
  const last = JSON.parse(out.trim().split('\n').pop()!);
  assert.deepEqual(Object.keys(last), ['docs', 'added', 'changed', 'removed', 'unchanged', 'skipped', 'passages', 'documents', 'dense', 'seconds']);
  assert.equal(last.docs, 11);
  assert.equal(last.dense, false);
});
