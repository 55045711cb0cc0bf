/**
 * The WeCom (企业微信) AI bot edge: a thin adapter from the SDK's callbacks to the channel-free
 * ChatEngine. A text message becomes an IncomingMessage and the engine's replies go back as
 * stream replies on the message's req_id; the enter_chat event gets the 帮助 text as the welcome;
 * pictures, files, voice and mixed messages get one polite text. Nothing here decides what to
 * answer. Protocol details stay in this folder.
 */
import type { BaseMessage, WSClient, WsFrame } from '@wecom/aibot-node-sdk';
import type { Asker } from '../../answer/types.ts';
import { loadBlocklist } from '../../chat/blocklist.ts';
import { ChatEngine } from '../../chat/chat-engine.ts';
import { systemClock, type Clock } from '../../chat/clock.ts';
import { Cooldown } from '../../chat/cooldown.ts';
import { LruCache } from '../../chat/lru-cache.ts';
import { QaLog } from '../../chat/qa-log.ts';
import { helpText, REPLIES } from '../../chat/replies.ts';
import type { Config } from '../../config.ts';
import type { Logger } from '../../log.ts';
import type { Channel } from '../channel.ts';
import { configLogger } from '../config-logger.ts';
import { checkWecomConfig } from './check-config.ts';
import { replyError, StreamReply } from './stream-reply.ts';
import { WecomConnection, type WecomConnectionOptions, type WecomState, type WecomTiming } from './wecom-connection.ts';
import { readMessage } from './wecom-message.ts';

export { checkWecomConfig } from './check-config.ts';
export type { WecomState, WecomTiming } from './wecom-connection.ts';

/**
 * One stream message holds up to 20480 bytes (document 101463): 4000 characters is 16000 bytes
 * even at four bytes each, so an answer is one message, not three 500-character ones as on WeChat.
 */
export const WECOM_MAX_REPLY_CHARS = 4_000;

/**
 * The engine's settings on WeCom, from the BOT_* ones. A WeCom reply answers one message (its
 * req_id) through an official API, so what protects a personal WeChat account does not apply,
 * while WeCom's own limit does: 30 messages a minute (1000 an hour) to one conversation, replies
 * and pushes together (document 101463).
 * - roomIntervalMs 2000: at most 30 a minute to a group or a person, WeCom's cap.
 * - maxPerMinute 600: WeCom has no account-wide cap like WeChat's; this only bounds the work.
 * - jitterMs 0: the jitter makes a personal account look human; a bot need not.
 * - rooms `*`: WeCom delivers only from groups the bot was added to, and names no group, so
 *   adding the bot to a group is the allowlist (BOT_ROOMS is for WeChat topics).
 * - keywords none: WeCom delivers a group message only when it @-mentions the bot, so 帮助 must
 *   not offer a keyword that would never reach it.
 * Kept as set: the per-person cooldown, the queue size, private chats, admins, the blocklist.
 */
export function wecomEngineSettings(bot: Config['bot']): Config['bot'] {
  return { ...bot, rooms: ['*'], keywords: [], roomIntervalMs: 2_000, maxPerMinute: 600, jitterMs: 0 };
}

export interface CreateWecomChannelOptions {
  /** Settings; WECOM_BOT_ID and WECOM_BOT_SECRET must be set (checkWecomConfig). */
  config: Config;
  /** The answering core, shared with other channels; this channel never closes it. */
  asker: Asker;
  /** Default: configLogger(config), which masks WECOM_BOT_SECRET. */
  logger?: Logger;
  /** Pacing, cooldowns and the holding frame's timer; default the system clock. */
  clock?: Clock;
  /** The question log; default one over BOT_LOG_DIR. */
  qaLog?: QaLog;
  /** SDK timings; tests on loopback shorten them. */
  timing?: WecomTiming;
  /** Options for the `ws` socket, e.g. `{ ca }` for a private deployment's certificate. */
  wsOptions?: WecomConnectionOptions['wsOptions'];
}

export interface WecomChannel extends Channel {
  readonly name: 'wecom';
  /** The engine behind the channel (status, tests). */
  readonly engine: ChatEngine;
  /** The connection: idle, connecting, online, lost (reconnecting), replaced, auth-failed, stopped. */
  readonly state: WecomState;
}

/** Builds the channel, not yet connected; throws a ConfigError when the credentials are missing. */
export async function createWecomChannel(options: CreateWecomChannelOptions): Promise<WecomChannel> {
  const { config, asker } = options;
  const credentials = checkWecomConfig(config);
  const logger = (options.logger ?? configLogger(config)).child({ channel: 'wecom' });
  const clock = options.clock ?? systemClock;
  const settings = wecomEngineSettings(config.bot);
  const engine = new ChatEngine({
    asker,
    settings,
    clock,
    logger,
    blocklist: await loadBlocklist(settings.blocklistFile),
    qaLog: options.qaLog ?? new QaLog({ dir: settings.logDir, logger }),
    maxReplyChars: WECOM_MAX_REPLY_CHARS,
    channel: 'wecom',
  });
  /** Replies whose holding-frame timer runs (armed, not answered yet); cancelled on stop. */
  const pending = new Set<StreamReply>();
  /** Message ids of non-text messages and events answered, so a redelivery is not answered twice. */
  const seen = new LruCache<string, true>({ capacity: 10_000, ttlMs: 3_600_000, clock });
  /** One text-only notice per person per cooldown pause: a burst of pictures gets one. */
  const notices = new Cooldown({ ms: settings.cooldownMs, clock });

  const connection = new WecomConnection({
    ...credentials,
    logger,
    ...(options.timing ? { timing: options.timing } : {}),
    ...(options.wsOptions ? { wsOptions: options.wsOptions } : {}),
    onClient: (client) => subscribe(client),
    onOnline: (first) => {
      if (!first) return;
      engine.markLogin();
      engine.start();
    },
  });

  const newReply = (client: WSClient, frame: WsFrame, receivedAt: number, messageId: string): StreamReply => {
    const reply = new StreamReply({
      sender: client,
      frame,
      clock,
      logger: logger.child({ messageId }),
      newStreamId: () => connection.newStreamId(),
      receivedAt,
      onAnswered: () => pending.delete(reply),
    });
    return reply;
  };

  const onMessage = async (client: WSClient, frame: WsFrame<BaseMessage>): Promise<void> => {
    const receivedAt = clock.now();
    const read = readMessage(frame.body, receivedAt);
    if (!read.ok) {
      logger.warn('wecom message callback unreadable; not answered', { reason: read.reason, reqId: frame.headers?.req_id });
      return;
    }
    const { msg } = read;
    const reply = newReply(client, frame, receivedAt, msg.id);
    if (!msg.isText) {
      const msgtype = frame.body?.msgtype;
      if (seen.has(msg.id) || !notices.ready(msg.talker.id, 'decline')) {
        logger.debug('wecom non-text message: notice withheld', { messageId: msg.id, msgtype });
        return;
      }
      seen.set(msg.id, true);
      notices.record(msg.talker.id, 'decline');
      logger.debug('wecom non-text message: text-only notice', { messageId: msg.id, msgtype });
      await reply.port(REPLIES.textOnly, { mention: false });
      return;
    }
    const outcome = await engine.handle(msg, reply.port);
    logger.debug('message', { messageId: msg.id, chat: read.chat, outcome });
    // Only a queued question or command may take long; a decline goes out at once, and an
    // ignored message (a duplicate, a withheld decline …) gets no reply to hold a place for.
    if ((outcome === 'queued' || outcome === 'command') && reply.holdIfSlow()) pending.add(reply);
  };

  const onEnterChat = async (client: WSClient, frame: WsFrame): Promise<void> => {
    const id = frame.body?.msgid;
    if (typeof id === 'string') {
      if (seen.has(id)) return;
      seen.set(id, true);
    }
    let stats;
    try {
      stats = asker.stats();
    } catch (err) {
      logger.warn('stats unavailable for the welcome', { err });
    }
    // WeCom takes the welcome only within 5 s of the event (document 101463), so it skips the pacer.
    await client.replyWelcome(frame, { msgtype: 'text', text: { content: helpText(stats, settings.keywords) } });
    logger.debug('wecom welcome sent', { messageId: id });
  };

  const subscribe = (client: WSClient) => {
    // The SDK calls listeners synchronously and ignores their promises: every failure is caught here.
    client.on('message', (frame) =>
      void onMessage(client, frame).catch((err) => logger.error('wecom message handler failed', { err, reqId: frame.headers?.req_id })),
    );
    client.on('event.enter_chat', (frame) =>
      void onEnterChat(client, frame).catch((err) => logger.warn('wecom welcome not delivered', { err: replyError(err) })),
    );
    client.on('event', (frame) => {
      const type = frame.body?.event?.eventtype;
      if (type !== 'enter_chat' && type !== 'disconnected_event') logger.debug('wecom event ignored', { eventtype: type });
    });
  };

  let stopping: Promise<void> | undefined;
  return {
    name: 'wecom',
    engine,
    get state() {
      return connection.state;
    },
    start: () => connection.start(),
    stop: () =>
      (stopping ??= (async () => {
        connection.stop();
        for (const reply of pending) reply.close();
        pending.clear();
        await engine.close();
      })()),
  };
}
