/**
 * `npm run report [-- --days N --json]`: what residents asked the bot, from BOT_LOG_DIR.
 * Text (Chinese) for staff on stdout by default; `--json` prints the report object alone.
 */
import { parseArgs } from '../src/channels/cli-args.ts';
import { runMain } from '../src/channels/run-main.ts';
import { formatQaReport, readQaLogs, summarizeQa } from '../src/chat/qa-report.ts';
import { loadConfig } from '../src/config.ts';
import { configLogger } from '../src/channels/config-logger.ts';
import { TongxinError } from '../src/errors.ts';

await runMain(async () => {
  const args = parseArgs(process.argv.slice(2), { flags: ['json'], values: ['days', 'top', 'dir'] });
  const config = loadConfig();
  const logger = configLogger(config);
  const days = Number(args.values.get('days') ?? 7);
  const top = Number(args.values.get('top') ?? 10);
  if (!Number.isInteger(days) || days < 1) throw new TongxinError('BAD_INPUT', `--days must be a whole number ≥ 1, got ${args.values.get('days')}`);
  if (!Number.isInteger(top) || top < 1) throw new TongxinError('BAD_INPUT', `--top must be a whole number ≥ 1, got ${args.values.get('top')}`);
  const dir = args.values.get('dir') ?? config.bot.logDir;
  const { records, badLines, from, to } = await readQaLogs(dir, { days, now: Date.now() });
  if (badLines > 0) logger.warn('unreadable lines skipped in the question log', { badLines, dir });
  const report = summarizeQa(records, { from, to, top });
  process.stdout.write(args.flags.has('json') ? JSON.stringify(report, null, 2) + '\n' : formatQaReport(report) + '\n');
});
