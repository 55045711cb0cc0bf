/**
 * Soak: `npm run soak` (scripts/soak.ts) in a child process with --expose-gc, SOAK_SECONDS=30.
 * A real Wechaty on the mock puppet answers mock residents without pause; every reply must
 * arrive once and match the core's answer, and heapUsed and RSS after a forced GC may grow from
 * the end of the warm-up to the end only by the per-question bounds of scripts/lib/soak-bounds.ts
 * (or their floors). Bounds on memory per question, not on time: a slow machine answers fewer
 * questions and is allowed proportionally less growth.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_SOAK_BOUNDS, memoryLimits, soakFailures, type SoakBounds } from '../../scripts/lib/soak-bounds.ts';
import type { SoakReport } from '../../scripts/lib/soak-run.ts';
import { REPO_ROOT } from '../helpers/kb-fixture.ts';

const SECONDS = 30;

test('soak bounds: growth per question answered, with a floor for GC noise', () => {
  const ok = { missing: 0, duplicates: 0, wrong: 0 };
  assert.deepEqual(memoryLimits(1_000), { heapMB: 3, rssMB: 16 });
  // 256 B and 1 KB a question: the floors give way past about 12,300 and 16,400 questions.
  assert.deepEqual(memoryLimits(28_725), { heapMB: 7, rssMB: 28.1 });
  // Measured: the 30 s test (+0.9 MB over ~1,900) and the 300 s soak (+1.9 MB heap, +6 MB RSS).
  assert.deepEqual(soakFailures({ ...ok, questionsAfterWarmup: 1_900, heapGrowthMB: 0.9, rssGrowthMB: -14 }), []);
  assert.deepEqual(soakFailures({ ...ok, questionsAfterWarmup: 27_800, heapGrowthMB: 1.9, rssGrowthMB: 6 }), []);
  // A leak of 10 KB a question, which the old 30 MB bound let through in a 30 s run.
  assert.deepEqual(soakFailures({ ...ok, questionsAfterWarmup: 1_900, heapGrowthMB: 18.6, rssGrowthMB: 12 }), [
    'heapUsed grew 18.6 MB over 1900 questions (10265 B each; limit 3 MB)',
  ]);
  // The same rate over a long soak fails both; a native leak shows in RSS alone.
  assert.equal(soakFailures({ ...ok, questionsAfterWarmup: 28_725, heapGrowthMB: 280, rssGrowthMB: 290 }).length, 2);
  assert.deepEqual(soakFailures({ ...ok, questionsAfterWarmup: 28_725, heapGrowthMB: 2, rssGrowthMB: 40 }), [
    'RSS grew 40 MB over 28725 questions (1460 B each; limit 28.1 MB)',
  ]);
  assert.deepEqual(soakFailures({ missing: 1, duplicates: 2, wrong: 3, questionsAfterWarmup: 0, heapGrowthMB: 0, rssGrowthMB: 0 }), [
    '1 replies missing',
    '2 replies doubled',
    "3 replies differ from the core's answer",
  ]);
});

test(`soak: ${SECONDS} s of questions in a room, every reply once, memory growth within the per-question bounds`, async (t) => {
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'tongxin-soak-test-'));
  try {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', import.meta.resolve('tsx'), path.join(REPO_ROOT, 'scripts/soak.ts'), '--json'],
      {
        cwd,
        env: { ...process.env, SOAK_SECONDS: String(SECONDS), EMBEDDING_PROVIDER: 'none', OPENAI_API_KEY: '', OPENAI_BASE_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    const last = stdout.trim().split('\n').at(-1) ?? '';
    let report: SoakReport & { pass: boolean; bounds: SoakBounds; limits: { heapMB: number; rssMB: number } };
    try {
      report = JSON.parse(last);
    } catch {
      assert.fail(`no JSON report (exit ${code}):\n${stdout}\n${stderr}`);
    }
    // The table the script printed, for whoever reads the test output.
    for (const line of stderr.split('\n').filter((l) => /^\s*(t \(s\)|\d+\s)/.test(l))) t.diagnostic(line);
    t.diagnostic(
      `after GC, over ${report.questionsAfterWarmup} questions after warm-up: heapUsed ${report.heapAfterWarmupMB} -> ${report.heapEndMB} MB ` +
        `(limit +${report.limits.heapMB}), RSS (from its low) ${report.rssLowMB} -> ${report.rssEndMB} MB (limit +${report.limits.rssMB})`,
    );

    assert.equal(report.seconds, SECONDS);
    assert.equal(report.gcForced, true);
    assert.ok(report.asked >= 30, `only ${report.asked} questions: the contacts did not keep asking`);
    assert.equal(report.replied, report.asked, 'every question answered');
    assert.equal(report.missing, 0);
    assert.equal(report.duplicates, 0, 'no reply twice');
    assert.equal(report.wrong, 0, "every reply is the core's answer to its question");
    assert.equal(report.errors, 0, stderr);
    assert.ok(report.samples.length >= SECONDS / 10, 'a sample every 10 s');
    assert.deepEqual(report.bounds, DEFAULT_SOAK_BOUNDS);
    assert.ok(report.questionsAfterWarmup > 0 && report.questionsAfterWarmup <= report.replied);
    assert.ok(report.rssLowMB <= report.rssAfterWarmupMB);
    assert.deepEqual(report.limits, memoryLimits(report.questionsAfterWarmup));
    assert.ok(report.heapGrowthMB <= report.limits.heapMB, `heapUsed grew ${report.heapGrowthMB} MB over ${report.questionsAfterWarmup} questions`);
    assert.ok(report.rssGrowthMB <= report.limits.rssMB, `RSS grew ${report.rssGrowthMB} MB over ${report.questionsAfterWarmup} questions`);
    assert.equal(report.pass, true);
    assert.equal(code, 0, stderr);
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
});
