/**
 * Ingest during answering: a knowledge base answers a continuous stream of questions and polls
 * reload() while `npm run ingest` (scripts/ingest.ts in child processes) rewrites the index four
 * times with corpus changes. No ask may fail, every reply is an answer or a refusal, and the
 * swapped-in generations are the ones the ingests wrote.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, cp, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { REFUSAL_TEXT } from '../../src/answer/answer-text.ts';
import { loadConfig } from '../../src/config.ts';
import { ingest } from '../../src/index/ingest.ts';
import { readManifest } from '../../src/index/manifest.ts';
import { openKnowledgeBase } from '../../src/knowledge-base.ts';
import { BUNDLED_CORPUS } from '../helpers/kb-fixture.ts';
import { runScript } from '../helpers/run-script.ts';
import { REAL_QUESTIONS } from './hostile-questions.ts';

const MIN_ASKS = 2_000;
/** A bound on the loop, whatever happens to the ingests. */
const MAX_ASKS = 200_000;
const ROOM_QUESTION = '党员活动室每周几开放？';

test('2,000+ asks while four ingests swap the index: none fails, the generation follows the ingests', async (t) => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'tongxin-swap-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const corpusDir = path.join(root, 'corpus');
  const indexDir = path.join(root, 'index');
  await cp(BUNDLED_CORPUS, corpusDir, { recursive: true });
  const config = loadConfig({ env: { EMBEDDING_PROVIDER: 'none' }, dotenvDir: false });
  await ingest({ corpusDir, indexDir, config, embedder: null });
  const kb = await openKnowledgeBase({ indexDir, config, embedder: null, chatModel: null });
  t.after(() => kb.close());
  const first = kb.stats().generation;
  assert.equal((await kb.ask(ROOM_QUESTION)).refused, true, 'the room is not in the corpus yet');

  const changes: Array<() => Promise<void>> = [
    () => writeFile(path.join(corpusDir, 'room.md'), '---\ntitle: 党员活动室\n---\n\n社区新开设了党员活动室，党员活动室每周三开放。'),
    () => appendFile(path.join(corpusDir, 'work-points.md'), '\n\n积分每季度公示一次，接受群众监督。\n'),
    () => unlink(path.join(corpusDir, 'lunyu-upright.md')),
    () => writeFile(path.join(corpusDir, 'room2.md'), '---\ntitle: 党员活动室使用须知\n---\n\n党员活动室开放时请保持安静，用后关灯。'),
  ];
  const written: string[] = [];
  let ingesting = true;
  const ingests = (async () => {
    try {
      for (const change of changes) {
        await change();
        const r = await runScript('scripts/ingest.ts', ['--corpus', corpusDir, '--index', indexDir], { cwd: root });
        assert.equal(r.code, 0, r.stderr);
        written.push((await readManifest(indexDir))!.generation);
      }
    } finally {
      ingesting = false;
    }
  })();

  const swaps: string[] = [];
  const reloadErrors: unknown[] = [];
  const poll = setInterval(() => {
    kb.reload().then(
      // Polls that overlap share one reload, and each hears `true`: record the swap once.
      (swapped) => void (swapped && swaps.at(-1) !== kb.stats().generation && swaps.push(kb.stats().generation)),
      (err: unknown) => void reloadErrors.push(err),
    );
  }, 25);

  const seen = new Set<string>([first]);
  const failures: string[] = [];
  let asks = 0;
  let refused = 0;
  try {
    while ((asks < MIN_ASKS || ingesting) && asks < MAX_ASKS) {
      const q = asks % 7 === 6 ? ROOM_QUESTION : REAL_QUESTIONS[asks % REAL_QUESTIONS.length]!;
      asks++;
      try {
        const a = await kb.ask(q);
        if (a.refused) {
          refused++;
          if (a.answer !== REFUSAL_TEXT || a.citations.length) failures.push(`${q}: bad refusal ${a.answer}`);
        } else if (!a.answer.trim() || a.citations.length < 1) {
          failures.push(`${q}: answer without citations ${a.answer}`);
        }
      } catch (err) {
        failures.push(`${q}: ask rejected: ${String(err)}`);
      }
      seen.add(kb.stats().generation);
      // Let the child processes' events and the poll timer run between questions.
      await yieldToLoop();
    }
    await ingests;
  } finally {
    clearInterval(poll);
  }

  t.diagnostic(`${asks} asks (${refused} refused), swaps ${swaps.join(' ')}, written ${written.join(' ')}`);
  assert.deepEqual(failures, []);
  assert.ok(asks >= MIN_ASKS);
  assert.deepEqual(reloadErrors, [], 'a reader sees the old index or the new one, never a half-written one');
  assert.equal(written.length, changes.length);
  assert.ok(seen.size >= 2, 'the generation changed at least once while answering');
  for (const g of seen) assert.ok(g === first || written.includes(g), `${g} is a generation an ingest wrote`);
  // Each swap goes forward to a newer generation, never back and never twice to the same one.
  const order = swaps.map((g) => written.indexOf(g));
  assert.ok(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!)), `swaps ${swaps.join(' ')}`);

  // After the last ingest, one more poll brings the knowledge base up to date.
  await kb.reload();
  assert.equal(kb.stats().generation, written.at(-1));
  const room = await kb.ask(ROOM_QUESTION);
  assert.equal(room.refused, false);
  assert.ok(room.citations.some((c) => c.title === '党员活动室'), room.answer);
});
