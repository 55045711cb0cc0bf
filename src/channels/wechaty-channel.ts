/**
 * The personal WeChat account (Wechaty) as one of the channels `npm start` runs: the bot of
 * wechat-bot.ts with its login QR code, re-login logs and the empty-BOT_ROOMS warning.
 */
import type { Asker } from '../answer/types.ts';
import type { Clock } from '../chat/clock.ts';
import type { QaLog } from '../chat/qa-log.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Channel } from './channel.ts';
import { showLoginQr } from './login-qr.ts';
import { createBot, type CreateBotOptions, type TongxinBot } from './wechat-bot.ts';

export interface WechatyChannel extends Channel {
  readonly name: 'wechaty';
  readonly bot: TongxinBot;
}

export interface CreateWechatyChannelOptions {
  config: Config;
  /** Shared with the other channels; never closed here. */
  asker: Asker;
  logger: Logger;
  clock?: Clock;
  qaLog?: QaLog;
  /** A puppet instance (tests: wechaty-puppet-mock); default WECHATY_PUPPET. */
  puppet?: CreateBotOptions['puppet'];
}

export async function createWechatyChannel(options: CreateWechatyChannelOptions): Promise<WechatyChannel> {
  const { config } = options;
  const logger = options.logger.child({ channel: 'wechaty' });
  const bot = await createBot({
    config,
    logger,
    asker: options.asker,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.qaLog ? { qaLog: options.qaLog } : {}),
    ...(options.puppet ? { puppet: options.puppet } : {}),
  });
  showLoginQr(bot, logger);
  let loggedInOnce = false;
  bot.on('login', () => {
    if (loggedInOnce) logger.info('logged in again after a logout or reconnect');
    loggedInOnce = true;
  });
  return {
    name: 'wechaty',
    bot,
    start: async () => {
      await bot.start();
      logger.info('bot started', {
        puppet: config.wechaty.puppet,
        rooms: config.bot.rooms,
        privateChat: config.bot.privateChat,
        logDir: config.bot.logDir,
      });
      // The default answers no group at all; staff who forgot BOT_ROOMS would see a silent bot.
      if (config.bot.rooms.length === 0) {
        logger.warn('BOT_ROOMS is empty: the bot answers in no group' + (config.bot.privateChat ? ', only in private chat' : ' and BOT_PRIVATE=off: it answers no one') + '; set BOT_ROOMS to group names, or * for every group');
      }
    },
    stop: () => bot.stop(), // also stops the engine and flushes the question log
  };
}
