/**
 * The WeChat edge: a thin adapter from Wechaty events to the channel-free ChatEngine. Rooms,
 * contacts and messages become plain IncomingMessage values; replies go back through room.say
 * (mentioning the asker) or contact.say. Nothing here decides what to answer.
 */
import { types, WechatyBuilder, type Contact, type Message, type Room, type Wechaty } from 'wechaty';
import type { Asker } from '../answer/types.ts';
import { loadBlocklist } from '../chat/blocklist.ts';
import { ChatEngine, type IncomingMessage, type ReplyPort } from '../chat/chat-engine.ts';
import { systemClock, type Clock } from '../chat/clock.ts';
import { QaLog } from '../chat/qa-log.ts';
import { loadConfig, type Config } from '../config.ts';
import { TongxinError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { configLogger } from './config-logger.ts';
import { repeatedErrorLog } from './repeated-error-log.ts';

export interface CreateBotOptions {
  /** A puppet instance (tests: wechaty-puppet-mock) or a puppet package name. Default WECHATY_PUPPET. */
  puppet?: Wechaty['puppet'] | string;
  /** Knowledge base folder opened when no `asker` is given. Default INDEX_DIR. */
  indexDir?: string;
  /** Variables that win over the environment and `.env`, e.g. `{ BOT_ROOMS: '党员之家' }`. */
  env?: Record<string, string | undefined>;
  /** Settings already loaded (npm start reads them once); then `env` is not allowed. */
  config?: Config;
  /** The answering core; default: the knowledge base at `indexDir`, closed when the bot stops. */
  asker?: Asker;
  logger?: Logger;
  /** Time source for pacing, cooldowns and message ages; default the system clock. */
  clock?: Clock;
  /** Uniform in [0, 1) for the send jitter; default Math.random. */
  random?: () => number;
  /** The question log, shared when several channels run (npm start); default one over BOT_LOG_DIR. */
  qaLog?: QaLog;
}

/** What createBot adds to the Wechaty instance, for callers that need the engine (tests, status). */
export interface TongxinBot extends Wechaty {
  readonly tongxin: { engine: ChatEngine; config: Config };
}

/**
 * Builds the bot, not yet started: call `await bot.start()`. `bot.stop()` also stops the reload
 * polling, flushes the question log and closes a knowledge base this function opened.
 */
export async function createBot(options: CreateBotOptions = {}): Promise<TongxinBot> {
  if (options.config && options.env) {
    throw new TongxinError('BAD_INPUT', 'createBot takes either config or env, not both: env would be ignored');
  }
  const config = options.config ?? loadConfig({ overrides: options.env ?? {} });
  const logger = options.logger ?? configLogger(config);
  const clock = options.clock ?? systemClock;

  let ownedKb: { close(): Promise<void> } | undefined;
  let asker = options.asker;
  if (!asker) {
    const { openKnowledgeBase } = await import('../knowledge-base.ts');
    const kb = await openKnowledgeBase({ indexDir: options.indexDir ?? config.indexDir, config, logger });
    asker = kb;
    ownedKb = kb;
  }

  const engine = new ChatEngine({
    asker,
    settings: config.bot,
    clock,
    logger,
    blocklist: await loadBlocklist(config.bot.blocklistFile),
    qaLog: options.qaLog ?? new QaLog({ dir: config.bot.logDir, logger }),
    ...(options.random ? { random: options.random } : {}),
  });

  const puppet = options.puppet ?? config.wechaty.puppet;
  const bot =
    typeof puppet === 'string'
      ? WechatyBuilder.build({
          // The name keys the memory card (<name>.memory-card.json), so a restart needs no new scan.
          name: config.wechaty.name,
          puppet: puppet as never,
          ...(config.wechaty.puppetToken ? { puppetOptions: { token: config.wechaty.puppetToken } } : {}),
        })
      : WechatyBuilder.build({ puppet });

  // Only for the count in the logs: each message's own topic decides whether it is answered.
  const resolveRooms = async (on: 'login' | 'ready') => {
    try {
      for (const room of await bot.Room.findAll()) engine.rooms.update(room.id, await room.topic());
      logger.info('rooms resolved', { on, allowed: engine.rooms.allowedIds().length, wanted: config.bot.rooms });
    } catch (err) {
      logger.error('listing rooms failed; rooms resolve on their first message', { err, on });
    }
  };
  bot.on('login', async (user) => {
    engine.markLogin();
    logger.info('logged in', { name: user.name() });
    await resolveRooms('login');
  });
  // wechat4u logs in before its contacts load and makes up topics from member names until then;
  // `ready` says the contacts are in, so the topics read now are the real ones.
  bot.on('ready', () => resolveRooms('ready'));
  bot.on('logout', (user, reason) => logger.warn('logged out', { name: user.name(), reason }));
  bot.on('room-topic', (room, newTopic, oldTopic) => {
    engine.rooms.update(room.id, newTopic);
    logger.info('room topic changed', { from: oldTopic, to: newTopic, allowed: engine.rooms.isAllowed(room.id) });
  });
  // Wechaty turns async failures into `error` events; without a listener Node would crash.
  bot.on('error', repeatedErrorLog(logger, 'wechaty error', clock));
  bot.on('start', () => engine.start());
  bot.on('message', async (message) => {
    const context = { messageId: message.id };
    try {
      // A warning: the engine answers what could be read (see toIncoming).
      const incoming = await toIncoming(bot, message, (step, err) =>
        logger.warn('reading a message failed', { ...context, step, err, room: message.room()?.id ?? null }),
      );
      const outcome = await engine.handle(incoming, replyPort(message));
      logger.debug('message', { ...context, outcome });
    } catch (err) {
      // Only the payload getters can land here (the engine never throws), and without a payload
      // there is no telling who wrote the message, so there is no one to answer.
      logger.error('message handler failed', { ...context, err });
    }
  });

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await engine.close();
      await ownedKb?.close();
    })());
  // Wrap stop so callers (npm start on SIGINT) get the flush with the stop they already call.
  const stopWechaty = bot.stop.bind(bot);
  bot.stop = async () => {
    try {
      await stopWechaty();
    } finally {
      await close();
    }
  };
  return Object.assign(bot, { tongxin: { engine, config } });
}

/**
 * Reads a message for the engine. Every puppet call may fail (the network, a payload not loaded
 * yet); a failure is reported, the rest is still read and the message marked `partlyRead`. The
 * calls only help decide whether the message is for the bot (its text comes with the payload), so
 * the engine answers it when that can still be told: a puppet glitch costs no answer.
 */
async function toIncoming(
  bot: Wechaty,
  message: Message,
  failed: (step: string, err: unknown) => void,
): Promise<IncomingMessage> {
  // Payload getters: Wechaty emits a message only once its payload is loaded.
  const room = message.room();
  const talker = message.talker();
  const self = message.self();
  const isText = message.type() === types.Message.Text;
  const me = bot.isLoggedIn ? bot.currentUser : undefined;
  const botNames: string[] = me ? [me.name()] : [];
  const failedSteps: string[] = [];
  const attempt = async <T>(step: string, call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call();
    } catch (err) {
      failed(step, err);
      failedSteps.push(step);
      return undefined;
    }
  };
  let topic: string | undefined;
  let mentioned = false;
  // Own and non-text messages are never answered: the puppet need not be asked about them.
  if (room && isText && !self) {
    topic = await attempt('room.topic', () => room.topic());
    mentioned = (await attempt('message.mentionSelf', () => message.mentionSelf())) ?? false;
    if (me) {
      const alias = await attempt('room.alias', () => room.alias(me));
      if (alias) botNames.push(alias);
    }
  }
  return {
    id: message.id,
    text: isText ? message.text() : '',
    isText,
    fromSelf: self,
    timestamp: message.date().getTime(),
    talker: { id: talker.id, name: talker.name() },
    ...(room ? { room: topic === undefined ? { id: room.id } : { id: room.id, topic } } : {}),
    mentionedByPayload: mentioned,
    botNames,
    ...(failedSteps.length > 0 ? { partlyRead: { steps: failedSteps } } : {}),
  };
}

function replyPort(message: Message): ReplyPort {
  return async (text, { mention }) => {
    // Read when sending, so a failing getter is a failed send (logged by the engine), not a throw here.
    const room: Room | undefined = message.room();
    const talker: Contact = message.talker();
    if (room) {
      if (mention) await room.say(text, talker);
      else await room.say(text);
    } else {
      await talker.say(text);
    }
  };
}
