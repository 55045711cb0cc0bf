/**
 * Soak: `npm run soak` (scripts/soak.ts) in a child process with --expose-gc, SOAK_SECONDS=30.
 * A real Wechaty on the mock puppet answers mock residents without pause; every reply must
 * arrive once and match the core's answer, and heapUsed after a forced GC must not grow by more
 * than 30 MB from the end of the warm-up to the end. A bound on memory, not on time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { SoakReport } from '../../scripts/lib/soak-run.ts';
import { REPO_ROOT } from '../helpers/kb-fixture.ts';

const SECONDS = 30;
const MAX_GROWTH_MB = 30;

test(`soak: ${SECONDS} s of questions in a room, every reply once, heap growth under ${MAX_GROWTH_MB} MB`, async (t) => {
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'tongxin-soak-test-'));
  try {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', import.meta.resolve('tsx'), path.join(REPO_ROOT, 'scripts/soak.ts'), '--json', '--max-growth-mb', String(MAX_GROWTH_MB)],
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
    let report: SoakReport & { pass: boolean; maxGrowthMB: number };
    try {
      report = JSON.parse(last);
    } catch {
      assert.fail(`no JSON report (exit ${code}):\n${stdout}\n${stderr}`);
    }
    // The table the script printed, for whoever reads the test output.
    for (const line of stderr.split('\n').filter((l) => /^\s*(t \(s\)|\d+\s)/.test(l))) t.diagnostic(line);
    t.diagnostic(`heapUsed after GC: ${report.heapAfterWarmupMB} MB after warm-up, ${report.heapEndMB} MB at the end`);

    assert.equal(report.seconds, SECONDS);
    assert.equal(report.gcForced, true);
    assert.ok(report.asked >= 30, `only ${report.asked} questions: the contacts did not keep asking`);
    assert.equal(report.replied, report.asked, 'every question answered');
    assert.equal(report.missing, 0);
    assert.equal(report.duplicates, 0, 'no reply twice');
    assert.equal(report.wrong, 0, "every reply is the core's answer to its question");
    assert.equal(report.errors, 0, stderr);
    assert.ok(report.samples.length >= SECONDS / 10, 'a sample every 10 s');
    assert.ok(report.heapGrowthMB <= MAX_GROWTH_MB, `heapUsed grew ${report.heapGrowthMB} MB`);
    assert.equal(report.pass, true);
    assert.equal(code, 0, stderr);
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
});
