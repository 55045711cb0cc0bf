/**
 * npm run ask -- [--index DIR] [--json] [--explain] [--offline] "问题"
 * npm run ask -- --batch [--index DIR] < questions.jsonl   (lines {"id","q"}; one JSON answer per line)
 */
import { createInterface } from 'node:readline';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { configLogger } from './config-logger.ts';
import { openKnowledgeBase } from '../knowledge-base.ts';
import { describeError, TongxinError } from '../errors.ts';
import { parseArgs } from './cli-args.ts';
import { answerJson } from './answer-json.ts';
import { runMain } from './run-main.ts';

await runMain(async () => {
  const args = parseArgs(process.argv.slice(2), { flags: ['json', 'explain', 'batch', 'offline'], values: ['index'] });
  const config = loadConfig();
  const logger = configLogger(config);
  const indexDir = path.resolve(args.values.get('index') ?? config.indexDir);
  const question = args.positionals.join(' ');
  if (!args.flags.has('batch') && !question.trim()) {
    throw new TongxinError('BAD_INPUT', 'usage: npm run ask -- [--json] [--explain] "问题"');
  }
  const kb = await openKnowledgeBase({ indexDir, config, logger });
  const explain = args.flags.has('explain');
  const offline = args.flags.has('offline');
  try {
    if (args.flags.has('batch')) {
      const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
      let line = 0;
      for await (const raw of rl) {
        line++;
        if (!raw.trim()) continue;
        let id: unknown = null;
        try {
          const obj = JSON.parse(raw) as { id?: unknown; q?: unknown };
          id = obj?.id ?? null;
          if (typeof obj?.q !== 'string') throw new Error('needs a string field "q"');
          const a = await kb.ask(obj.q, { offline });
          process.stdout.write(JSON.stringify(answerJson(a, { explain, id })) + '\n');
        } catch (err) {
          process.stdout.write(JSON.stringify({ id, line, error: describeError(err) }) + '\n');
        }
      }
      return;
    }
    const a = await kb.ask(question, { offline });
    if (args.flags.has('json')) {
      process.stdout.write(JSON.stringify(answerJson(a, { explain })) + '\n');
    } else {
      process.stdout.write(a.answer + '\n');
      if (explain) process.stdout.write('\n' + JSON.stringify(a.explain, null, 1) + '\n');
    }
  } finally {
    await kb.close();
  }
});
