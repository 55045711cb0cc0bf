/**
 * npm run soak -- [--seconds N] [--sample-seconds N] [--max-growth-mb N] [--json]
 *
 * A real Wechaty on wechaty-puppet-mock answers mock residents in a room without pause for N
 * seconds (default SOAK_SECONDS, else 300), printing RSS and heap every 10 s as a table. Exits 1
 * when a reply is missing, doubled or wrong, or heapUsed (after a forced GC) grew by more than
 * --max-growth-mb (default 30) between the end of the warm-up and the end. With --json the
 * table goes to stderr and stdout gets one JSON report. Offline: no model, lexical index.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../src/channels/cli-args.ts';
import { runMain } from '../src/channels/run-main.ts';
import { TongxinError } from '../src/errors.ts';
import { runSoak, type SoakSample } from './lib/soak-run.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

await runMain(async () => {
  const args = parseArgs(process.argv.slice(2), { flags: ['json'], values: ['seconds', 'sample-seconds', 'max-growth-mb'] });
  // SOAK_SECONDS is a knob of this script alone, not of the bot, so it is not in config.ts.
  const seconds = positive('--seconds', args.values.get('seconds') ?? process.env.SOAK_SECONDS ?? '300');
  const sampleSeconds = positive('--sample-seconds', args.values.get('sample-seconds') ?? '10');
  const maxGrowthMB = positive('--max-growth-mb', args.values.get('max-growth-mb') ?? '30');
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

  const failures = [
    report.missing ? `${report.missing} replies missing` : '',
    report.duplicates ? `${report.duplicates} replies doubled` : '',
    report.wrong ? `${report.wrong} replies differ from the core's answer` : '',
    report.heapGrowthMB > maxGrowthMB ? `heapUsed grew ${report.heapGrowthMB} MB (> ${maxGrowthMB} MB)` : '',
  ].filter(Boolean);
  table(
    `${report.asked} questions, ${report.replied} replies (${report.missing} missing, ${report.duplicates} doubled, ${report.wrong} wrong), ` +
      `${report.errors} error log lines; heapUsed after GC ${report.heapAfterWarmupMB} MB after warm-up, ` +
      `${report.heapEndMB} MB at the end (${report.heapGrowthMB >= 0 ? '+' : ''}${report.heapGrowthMB} MB)` +
      (report.gcForced ? '' : ' [GC could not be forced: readings are noisy]'),
  );
  table(failures.length ? `FAIL: ${failures.join('; ')}` : 'PASS');
  if (json) process.stdout.write(JSON.stringify({ ...report, maxGrowthMB, pass: failures.length === 0 }) + '\n');
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
