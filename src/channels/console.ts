/**
 * npm run console: ask questions in a terminal (or through a pipe) on the same core the bot uses.
 * Commands as in the chat: 帮助, 原文 N (the full passage of source N of the last answer); and 退出.
 */
import { createInterface } from 'node:readline';
import { loadConfig } from '../config.ts';
import { configLogger } from './config-logger.ts';
import type { Answer } from '../answer/types.ts';
import { parseCommand } from '../chat/command.ts';
import { REPLIES, sourceReply } from '../chat/replies.ts';
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
  let last: Answer | null = null;
  const reply = async (line: string): Promise<string> => {
    const command = parseCommand(line);
    if (command?.kind === 'help') return HELP;
    if (command?.kind === 'source') return sourceReply(last?.citations ?? [], command.n);
    // 状态 and 重载 are the bot's staff commands; here, as any other text, they are questions.
    try {
      last = await kb.ask(line);
      return last.answer;
    } catch (err) {
      logger.error('question failed', { err });
      return REPLIES.error;
    }
  };
  const rl = createInterface({ input: process.stdin, output: interactive ? process.stdout : undefined, terminal: interactive });
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
    out(await reply(line));
    out('');
    prompt();
  }
  rl.close();
  await kb.close();
});
