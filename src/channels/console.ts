/**
 * npm run console: ask questions in a terminal (or through a pipe) on the same core the bot uses.
 * Commands: 帮助, 原文 N (the full passage of citation N of the last answer), 退出.
 */
import { createInterface } from 'node:readline';
import { loadConfig } from '../config.ts';
import { configLogger } from './config-logger.ts';
import type { Answer } from '../answer/types.ts';
import { citationLocation } from '../answer/answer-text.ts';
import { openOrBuild } from './open-or-build.ts';
import { runMain } from './run-main.ts';

const HELP = [
  '直接输入问题即可，例如：在职党员到社区报到的比例是多少？',
  '原文 N —— 查看上一条回答中第 N 个来源的完整段落',
  '帮助 —— 显示本说明',
  '退出 —— 结束',
].join('\n');

await runMain(async () => {
  const config = loadConfig();
  const logger = configLogger(config);
  const kb = await openOrBuild(config, logger);
  const s = kb.stats();
  const interactive = Boolean(process.stdin.isTTY);
  const out = (text: string) => process.stdout.write(text + '\n');
  if (interactive) {
    out(`同心党建问答（控制台）：${s.documents} 篇文档，${s.passages} 个段落，向量检索${s.dense ? '已开启' : '未开启'}。输入“帮助”查看用法。`);
  }
  const rl = createInterface({ input: process.stdin, output: interactive ? process.stdout : undefined, terminal: interactive });
  let last: Answer | null = null;
  const prompt = () => interactive && rl.prompt();
  rl.setPrompt('问> ');
  prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (!line) {
      prompt();
      continue;
    }
    if (/^(退出|exit|quit)$/i.test(line)) break;
    if (/^(帮助|help|\?)$/i.test(line)) {
      out(HELP);
    } else if (/^原文\s*\d+$/.test(line)) {
      const n = Number(line.replace(/\D/g, ''));
      const c = last?.citations.find((x) => x.n === n);
      out(c ? `[${c.n}]《${c.title}》${citationLocation(c)}\n${c.text}` : last ? `上一条回答没有第 ${n} 个来源。` : '还没有回答可以查看原文，请先提问。');
    } else {
      try {
        last = await kb.ask(line);
        out(last.answer);
      } catch (err) {
        logger.error('question failed', { err });
        out('抱歉，系统暂时出了点问题，请稍后再试。');
      }
    }
    out('');
    prompt();
  }
  rl.close();
  await kb.close();
});
