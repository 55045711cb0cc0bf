/**
 * `npm start`: the channels CHANNELS names (wechaty, wecom, mp; default wechaty) in one
 * long-running process over one knowledge base, built first when there is none. A chosen channel
 * without its credentials stops start-up naming the variable; one that fails later is retried
 * while the others answer (channel-runner.ts). SIGINT/SIGTERM stop them all cleanly.
 */
import { loadConfig } from '../config.ts';
import { configLogger } from './config-logger.ts';
import { openOrBuild } from './open-or-build.ts';
import { runMain } from './run-main.ts';
import { checkChannels, startChannels, type RunningChannels } from './start-channels.ts';

/** A stop that hangs (a puppet waiting on the network) must not keep the process forever. */
const FORCED_EXIT_MS = 15_000;

await runMain(async () => {
  const config = loadConfig();
  const logger = configLogger(config);
  // Before the knowledge base is built or loaded: a missing Token should not cost a long ingest.
  checkChannels(config);

  const kb = await openOrBuild(config, logger);
  const starting = startChannels({ config, logger, asker: kb });
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
        // A signal during start-up waits for the channels to be up, then stops them all.
        const running = await starting.catch(() => undefined);
        await running?.stop(); // also flushes the question log
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

  let running: RunningChannels;
  try {
    running = await starting;
  } catch (err) {
    await kb.close();
    throw err;
  }
  logger.info('channels started', { channels: config.channels, states: running.runner.states });
});
