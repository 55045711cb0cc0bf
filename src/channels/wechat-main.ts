/**
 * `npm start`: the WeChat bot as a long-running process. Builds the knowledge base when there
 * is none, shows the login QR code (terminal and URL), keeps the session under WECHATY_NAME,
 * logs logouts and re-logins, and stops cleanly on SIGINT/SIGTERM.
 */
import { loadConfig } from '../config.ts';
import { configLogger } from './config-logger.ts';
import { showLoginQr } from './login-qr.ts';
import { openOrBuild } from './open-or-build.ts';
import { runMain } from './run-main.ts';
import { createBot } from './wechat-bot.ts';

/** A stop that hangs (a puppet waiting on the network) must not keep the process forever. */
const FORCED_EXIT_MS = 15_000;

await runMain(async () => {
  const config = loadConfig();
  const logger = configLogger(config);

  const kb = await openOrBuild(config, logger);
  // A knowledge base passed in stays ours to close (after the bot stops, below).
  const bot = await createBot({ config, logger, asker: kb }).catch(async (err: unknown) => {
    await kb.close();
    throw err;
  });
  showLoginQr(bot, logger);
  let loggedInOnce = false;
  bot.on('login', () => {
    if (loggedInOnce) logger.info('logged in again after a logout or reconnect');
    loggedInOnce = true;
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    setTimeout(() => {
      logger.error('stop took too long; exiting');
      process.exit(1);
    }, FORCED_EXIT_MS).unref();
    try {
      try {
        await bot.stop(); // also flushes the question log
      } finally {
        await kb.close();
      }
      logger.info('stopped');
    } catch (err) {
      logger.error('stop failed', { err });
      process.exitCode = 1;
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

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
});
