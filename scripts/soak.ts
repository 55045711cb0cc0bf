/**
 * npm run soak -- [--seconds N] [--sample-seconds N] [--json]
 *                 [--heap-bytes-per-question B] [--heap-floor-mb N] [--rss-bytes-per-question B] [--rss-floor-mb N]
 *
 * A real Wechaty on wechaty-puppet-mock answers mock residents in a room without pause for N
 * seconds (default SOAK_SECONDS, else 300), printing RSS and heap every 10 s as a table. Exits 1
 * when a reply is missing, doubled or wrong, or when heapUsed or RSS (after a forced GC) grew
 * between the end of the warm-up and the end by more than the bound per question answered in
 * between, or its floor (defaults in scripts/lib/soak-bounds.ts: 256 B and 3 MB for the heap,
 * 1 KB and 16 MB for RSS). With --json the table goes to stderr and stdout gets one JSON report.
 * Offline: no model, lexical index.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../src/channels/cli-args.ts';
import { runMain } from '../src/channels/run-main.ts';
import { TongxinError } from '../src/errors.ts';
import { DEFAULT_SOAK_BOUNDS, memoryLimits, perQuestion, soakFailures, type SoakBounds } from './lib/soak-bounds.ts';
import { runSoak, type SoakSample } from './lib/soak-run.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

await runMain(async () => {
  const args = parseArgs(process.argv.slice(2), {
    flags: ['json'],
    values: ['seconds', 'sample-seconds', 'heap-bytes-per-question', 'heap-floor-mb', 'rss-bytes-per-question', 'rss-floor-mb'],
  });
  // SOAK_SECONDS is a knob of this script alone, not of the bot, so it is not in config.ts.
  const seconds = positive('--seconds', args.values.get('seconds') ?? process.env.SOAK_SECONDS ?? '300');
  const sampleSeconds = positive('--sample-seconds', args.values.get('sample-seconds') ?? '10');
  const bound = (name: string, fallback: number) => positive(`--${name}`, args.values.get(name) ?? String(fallback));
  const bounds: SoakBounds = {
    heapBytesPerQuestion: bound('heap-bytes-per-question', DEFAULT_SOAK_BOUNDS.heapBytesPerQuestion),
    heapFloorMB: bound('heap-floor-mb', DEFAULT_SOAK_BOUNDS.heapFloorMB),
    rssBytesPerQuestion: bound('rss-bytes-per-question', DEFAULT_SOAK_BOUNDS.rssBytesPerQuestion),
    rssFloorMB: bound('rss-floor-mb', DEFAULT_SOAK_BOUNDS.rssFloorMB),
  };
  const json = args.flags.has('json');
  const table = (line: string) => (json ? process.stderr : process.stdout).write(line + '\n');

  table(`soak: ${seconds} s, samples every ${sampleSeconds} s`);
  table(row(['t (s)', 'RSS MB', 'heapUsed MB', 'heapTotal MB', 'external MB', 'asked', 'replied']));
  const report = await runSoak({
    seconds,
    sampleMs: sampleSeconds * 1000,
    corpusDir: path.join(ROOT, 'corpus'),
    onSample: (s: SoakSample) => table(row([s.t, s.rssMB, s.heapUsedMB, s.heapTotalMB, s.externalMB, s.asked, s.replied])),
    log: (line) => process.stderr.write(line + '\n'),
  });

  const failures = soakFailures(report, bounds);
  const limits = memoryLimits(report.questionsAfterWarmup, bounds);
  const q = report.questionsAfterWarmup;
  const growth = (what: string, from: number, to: number, by: number, limit: number) =>
    `${what} ${from} -> ${to} MB (${by >= 0 ? '+' : ''}${by} MB, ${perQuestion(by, q)} B/question; limit ${limit} MB)`;
  table(
    `${report.asked} questions, ${report.replied} replies (${report.missing} missing, ${report.duplicates} doubled, ${report.wrong} wrong), ` +
      `${report.errors} error log lines; after GC, from the end of the warm-up to the end (${q} questions): ` +
      growth('heapUsed', report.heapAfterWarmupMB, report.heapEndMB, report.heapGrowthMB, limits.heapMB) +
      ', ' +
      growth('RSS (from its low)', report.rssLowMB, report.rssEndMB, report.rssGrowthMB, limits.rssMB) +
      (report.gcForced ? '' : ' [GC could not be forced: readings are noisy]'),
  );
  table(failures.length ? `FAIL: ${failures.join('; ')}` : 'PASS');
  if (json) process.stdout.write(JSON.stringify({ ...report, bounds, limits, pass: failures.length === 0 }) + '\n');
  if (failures.length) process.exitCode = 1;
});

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new TongxinError('BAD_INPUT', `${name} must be a positive number, got ${value}`);
  return n;
}

function row(cells: Array<string | number>): string {
  return cells.map((c, i) => String(c).padStart(i === 0 ? 6 : 13)).join('');
}
