/**
 * A real 公众号 channel on loopback (port 0) over a real knowledge base, with WeChat's side
 * played by WeChatPush and the engine's calls to the core counted by a RecordingAsker.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Asker } from '../../../src/answer/types.ts';
import { createMpChannel, type MpChannel } from '../../../src/channels/mp/mp-channel.ts';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/log.ts';
import { RecordingAsker } from '../../helpers/recording-asker.ts';
import { LEXICAL_ENV } from '../wechat-harness.ts';
import { APP_ID, ENCODING_AES_KEY, MP_PATH, TOKEN, WeChatPush, type Mode } from './wechat-push.ts';

export interface MpHarness {
  channel: MpChannel;
  wechat: WeChatPush;
  asker: RecordingAsker;
  logs: Array<{ level: string; msg: string; [k: string]: unknown }>;
  logDir: string;
  /** Log lines of refused requests, by reason. */
  refusals(): string[];
  stop(): Promise<void>;
}

/** `mode` decides MP_ENCODING_AES_KEY: empty for plaintext, set for compatible and safe. */
export async function startMp(options: { asker: Asker; mode: Mode; env?: Record<string, string>; replyWithinMs?: number }): Promise<MpHarness> {
  const logDir = await mkdtemp(path.join(os.tmpdir(), 'tongxin-mplog-'));
  const config = loadConfig({
    env: {
      ...LEXICAL_ENV,
      CHANNELS: 'mp',
      MP_TOKEN: TOKEN,
      MP_APP_ID: APP_ID,
      MP_ENCODING_AES_KEY: options.mode === 'plaintext' ? '' : ENCODING_AES_KEY,
      MP_HOST: '127.0.0.1',
      MP_PORT: '0',
      MP_PATH,
      BOT_LOG_DIR: logDir,
      BOT_RELOAD_POLL_MS: '3600000',
      ...options.env,
    },
    dotenvDir: false,
  });
  const logs: MpHarness['logs'] = [];
  const logger = createLogger({ level: 'debug', format: 'json', write: (l) => logs.push(JSON.parse(l)) });
  const asker = new RecordingAsker(options.asker);
  const channel = await createMpChannel({
    config,
    asker,
    logger,
    ...(options.replyWithinMs !== undefined ? { replyWithinMs: options.replyWithinMs } : {}),
  });
  await channel.start();
  const wechat = new WeChatPush(channel.address().port);
  return {
    channel,
    wechat,
    asker,
    logs,
    logDir,
    refusals: () => logs.filter((l) => l.msg === '公众号 request refused').map((l) => String(l.reason)),
    stop: async () => {
      wechat.close();
      await channel.stop();
      await rm(logDir, { recursive: true, force: true });
    },
  };
}
