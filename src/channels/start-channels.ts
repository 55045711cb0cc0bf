/**
 * The channels CHANNELS names, built over one knowledge base and one question log and run by a
 * ChannelRunner. Adding a channel is one line in each table below. Channel modules load lazily,
 * so a process without Wechaty or WeCom never loads their libraries.
 */
import type { Asker } from '../answer/types.ts';
import type { Clock } from '../chat/clock.ts';
import { QaLog } from '../chat/qa-log.ts';
import type { ChannelChoice, Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Channel } from './channel.ts';
import { ChannelRunner } from './channel-runner.ts';
import { checkMpConfig } from './mp/check-config.ts';
import { checkWecomConfig } from './wecom/check-config.ts';
import type { CreateWechatyChannelOptions } from './wechaty-channel.ts';

export interface ChannelContext {
  config: Config;
  asker: Asker;
  logger: Logger;
  qaLog: QaLog;
  clock?: Clock;
  /** Tests: a wechaty-puppet-mock instance instead of WECHATY_PUPPET. */
  wechatyPuppet?: CreateWechatyChannelOptions['puppet'];
}

/** Each channel's credential check: cheap, no library loaded, run before the knowledge base opens. */
const CHECKS: Record<ChannelChoice, (config: Config) => unknown> = {
  wechaty: () => undefined,
  wecom: checkWecomConfig,
  mp: checkMpConfig,
};

const FACTORIES: Record<ChannelChoice, (c: ChannelContext) => Promise<Channel>> = {
  wechaty: async (c) =>
    (await import('./wechaty-channel.ts')).createWechatyChannel({ ...c, ...(c.wechatyPuppet ? { puppet: c.wechatyPuppet } : {}) }),
  wecom: async (c) => (await import('./wecom/wecom-channel.ts')).createWecomChannel(c),
  mp: async (c) => (await import('./mp/mp-channel.ts')).createMpChannel(c),
};

/** Throws the first chosen channel's ConfigError (naming the variable) before anything starts. */
export function checkChannels(config: Config): void {
  for (const name of config.channels) CHECKS[name](config);
}

export interface RunningChannels {
  runner: ChannelRunner;
  channels: Channel[];
  /** Stops every channel and flushes the question log; the knowledge base stays the caller's. */
  stop(): Promise<void>;
}

/** Builds the chosen channels and starts them; resolves once each started or failed its first try. */
export async function startChannels(options: Omit<ChannelContext, 'qaLog'> & { runner?: { firstRetryMs?: number; maxRetryMs?: number } }): Promise<RunningChannels> {
  const { config, logger } = options;
  checkChannels(config);
  const context: ChannelContext = { ...options, qaLog: new QaLog({ dir: config.bot.logDir, logger }) };
  const channels: Channel[] = [];
  try {
    for (const name of config.channels) channels.push(await FACTORIES[name](context));
  } catch (err) {
    await Promise.all(channels.map((c) => c.stop().catch((e: unknown) => logger.error('channel failed to stop', { channel: c.name, err: e }))));
    throw err;
  }
  const runner = new ChannelRunner(channels, { logger, ...(options.clock ? { clock: options.clock } : {}), ...options.runner });
  await runner.start();
  return {
    runner,
    channels,
    stop: async () => {
      await runner.stop();
      await context.qaLog.flush();
    },
  };
}
