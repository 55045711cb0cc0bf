/**
 * The 公众号 edge: an HTTP callback server (behind the office's HTTPS reverse proxy) that takes
 * WeChat's pushes, lets through only what MpGate opens, and answers each message in its own
 * response (a passive reply) within WeChat's 5 s. Retries of one message share one engine call.
 */
import { randomInt } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Asker } from '../../answer/types.ts';
import { loadBlocklist } from '../../chat/blocklist.ts';
import { passiveReplyPacing } from '../../chat/channel-pacing.ts';
import { ChatEngine, type IncomingMessage } from '../../chat/chat-engine.ts';
import { systemClock, type Clock } from '../../chat/clock.ts';
import { LruCache } from '../../chat/lru-cache.ts';
import { QaLog } from '../../chat/qa-log.ts';
import type { Config } from '../../config.ts';
import { TongxinError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { Channel } from '../channel.ts';
import { checkMpConfig } from './check-config.ts';
import { MpGate, MpRefusal } from './mp-gate.ts';
import { MP_REPLIES } from './mp-replies.ts';
import { textReplyXml, type MpFields } from './mp-xml.ts';

/** WeChat waits 5 s for a passive reply (被动回复用户消息); 0.5 s is left for the network. */
export const REPLY_WITHIN_MS = 4_500;
/** A text reply holds at most 2048 bytes (被动回复用户消息, 回复文本消息). */
export const MAX_REPLY_BYTES = 2_048;
/** Pushed messages are a few hundred bytes; anything far larger is not from WeChat. */
export const MAX_BODY_BYTES = 64 * 1024;
/** WeChat retries a push three times, 5 s apart (消息推送): 20 s covers them all. */
const WECHAT_RETRY_SPAN_MS = 20_000;
/** Replies kept for retries: a minute covers every retry of a push. */
const RETRY_TTL_MS = 60_000;
const RETRY_CAPACITY = 20_000;

export interface MpChannelOptions {
  config: Config;
  asker: Asker;
  logger: Logger;
  /** Time source for signatures' window, pacing and message ages; default the system clock. */
  clock?: Clock;
  /** Reply deadline after a request arrives; default REPLY_WITHIN_MS (tests of the deadline). */
  replyWithinMs?: number;
  /** The question log, shared when several channels run (npm start); default one over BOT_LOG_DIR. */
  qaLog?: QaLog;
}

export interface MpChannel extends Channel {
  readonly engine: ChatEngine;
  /** Where the server listens once started (MP_PORT=0 picks a free port). */
  address(): AddressInfo;
}

/** Builds the 公众号 channel, not yet listening; `start()` opens the server. Throws a ConfigError (checkMpConfig). */
export async function createMpChannel(options: MpChannelOptions): Promise<MpChannel> {
  const { config, asker } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger.child({ channel: 'mp' });
  const mp = config.mp;
  const { token, appId, aesKey } = checkMpConfig(config);
  const replyWithinMs = options.replyWithinMs ?? REPLY_WITHIN_MS;

  const engine = new ChatEngine({
    asker,
    // Every 公众号 message is a private one: BOT_PRIVATE is about the personal account's chats.
    settings: { ...config.bot, privateChat: true },
    clock,
    logger,
    blocklist: await loadBlocklist(config.bot.blocklistFile),
    qaLog: options.qaLog ?? new QaLog({ dir: config.bot.logDir, logger }),
    channel: 'mp',
    howToAsk: MP_REPLIES.howToAsk,
    pacing: passiveReplyPacing({
      maxPerPersonPerMinute: mp.maxPerMinute,
      maxReplyBytes: MAX_REPLY_BYTES,
      // Leaves time for the offline answer's own reply to go out; only with a model configured.
      ...(config.llm.enabled ? { answerWithinMs: replyWithinMs - 500 } : {}),
    }),
  });
  const gate = new MpGate({ token, appId, aesKey, clock });
  /** Reply text per message key: a retry of a message in flight waits for the same reply. */
  const replies = new LruCache<string, Promise<string | null>>({ capacity: RETRY_CAPACITY, ttlMs: RETRY_TTL_MS, clock });

  /** The reply, or the busy notice when it is not ready by the deadline (the engine was overloaded). */
  const within = async (work: Promise<string | null>, key: string): Promise<string | null> => {
    const abort = new AbortController();
    const LATE = Symbol('late');
    try {
      const first = await Promise.race([work, clock.sleep(replyWithinMs, abort.signal).then((): typeof LATE => LATE, (): typeof LATE => LATE)]);
      if (first !== LATE) return first;
      logger.warn('passive reply not ready within the deadline; sent the busy notice', { key, withinMs: replyWithinMs });
      return MP_REPLIES.late;
    } finally {
      abort.abort();
    }
  };

  /** The reply text for one opened message; null: answer `success` (nothing shown). */
  const replyFor = async (f: MpFields): Promise<string | null> => {
    const person = f.FromUserName!;
    const base: Omit<IncomingMessage, 'id' | 'text'> = {
      isText: true,
      fromSelf: false,
      timestamp: Number(f.CreateTime) * 1000,
      talker: { id: person, name: '' },
      mentionedByPayload: false,
      botNames: [],
    };
    if (f.MsgType === 'text') {
      const { outcome, parts } = await engine.respond({ ...base, id: f.MsgId ?? `${person}:${f.CreateTime}`, text: f.Content ?? '' });
      logger.debug('message', { outcome });
      return parts.length > 0 ? parts.join('\n\n') : null;
    }
    if (f.MsgType === 'event') {
      if (f.Event !== 'subscribe') return null; // unsubscribe, menu clicks, scans …: nothing to say
      const { parts } = await engine.respond({ ...base, id: `${person}:${f.CreateTime}:subscribe`, text: '帮助' });
      return MP_REPLIES.welcome + (parts[0] ?? '');
    }
    return MP_REPLIES.notText;
  };

  const answer = async (f: MpFields): Promise<string | null> => {
    for (const name of ['FromUserName', 'ToUserName', 'CreateTime', 'MsgType'] as const) {
      if (!f[name]) throw new MpRefusal(400, `message without ${name}`);
    }
    if (!/^\d{1,12}$/.test(f.CreateTime!)) throw new MpRefusal(400, 'CreateTime is not a number');
    // WeChat's documented dedupe keys: MsgId for messages, FromUserName + CreateTime for events.
    const key = f.MsgId ? `msg:${f.MsgId}` : `event:${f.FromUserName}:${f.CreateTime}:${f.Event ?? f.MsgType}`;
    let reply = replies.get(key);
    if (reply) {
      logger.info('WeChat retry of a message in flight or answered; same reply', { key });
    } else {
      reply = replyFor(f).catch((err: unknown) => {
        logger.error('answering a 公众号 message failed', { err });
        return MP_REPLIES.late;
      });
      replies.set(key, reply);
    }
    return within(reply, key);
  };

  const respond = async (req: http.IncomingMessage, body: Buffer): Promise<{ status: number; type: string; body: string }> => {
    const url = new URL(req.url ?? '/', 'http://mp.invalid');
    const opened = gate.open(req.method ?? '', url.searchParams, body);
    if (opened.kind === 'verify') {
      logger.info('server address verified by WeChat (基本配置 → 服务器配置)');
      return { status: 200, type: 'text/plain; charset=utf-8', body: opened.echostr };
    }
    const f = opened.fields;
    const text = await answer(f);
    if (text === null) return { status: 200, type: 'text/plain; charset=utf-8', body: 'success' };
    const xml = textReplyXml({ toUser: f.FromUserName!, fromUser: f.ToUserName!, createTime: Math.floor(clock.now() / 1000), content: text });
    if (!opened.encrypted) return { status: 200, type: 'application/xml; charset=utf-8', body: xml };
    const sealed = gate.seal(xml, String(Math.floor(clock.now() / 1000)), String(randomInt(1e9, 1e10)));
    return { status: 200, type: 'application/xml; charset=utf-8', body: sealed };
  };

  const server = http.createServer((req, res) => {
    const send = (status: number, type: string, body: string) => {
      if (res.headersSent) return;
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    const refuse = (err: MpRefusal) => {
      logger.warn('公众号 request refused', { status: err.status, reason: err.reason, ip: req.socket.remoteAddress });
      send(err.status, 'text/plain; charset=utf-8', err.status === 413 ? 'too large' : 'refused');
    };
    const url = new URL(req.url ?? '/', 'http://mp.invalid');
    if (url.pathname !== mp.path) return refuse(new MpRefusal(404, `path ${url.pathname} is not MP_PATH`));
    if (req.method !== 'GET' && req.method !== 'POST') return refuse(new MpRefusal(405, `method ${req.method}`));
    // Too large: answered 413 at once and the rest read and dropped, so the client hears the
    // status rather than a reset; past 16 times the limit the connection is cut.
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    const tooLarge = (what: string) => {
      over = true;
      res.setHeader('connection', 'close');
      refuse(new MpRefusal(413, what));
    };
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) tooLarge(`body of ${declared} bytes`);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 16 * MAX_BODY_BYTES) req.destroy();
      if (over) return;
      if (size > MAX_BODY_BYTES) tooLarge(`body over ${MAX_BODY_BYTES} bytes`);
      else chunks.push(chunk);
    });
    req.on('error', (err) => logger.warn('公众号 request stream failed', { err }));
    req.on('end', () => {
      if (over) return;
      respond(req, Buffer.concat(chunks)).then(
        (r) => send(r.status, r.type, r.body),
        (err: unknown) => {
          if (err instanceof MpRefusal) return refuse(err);
          logger.error('公众号 request failed', { err });
          send(500, 'text/plain; charset=utf-8', 'error');
        },
      );
    });
  });
  // Slow or stuck clients do not hold sockets: WeChat sends the whole push at once.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.on('clientError', (err, socket) => {
    logger.warn('公众号 client error', { err });
    socket.destroy();
  });

  let started = false;
  let stopping: Promise<void> | undefined;
  return {
    name: 'mp',
    engine,
    address: () => server.address() as AddressInfo,
    start: async () => {
      await new Promise<void>((resolve, reject) => {
        const onError = (err: NodeJS.ErrnoException) =>
          reject(
            new TongxinError('BAD_INPUT', `公众号 server cannot listen on ${mp.host}:${mp.port} (${err.code ?? err.message}): change MP_HOST or MP_PORT`, { cause: err }),
          );
        server.once('error', onError);
        server.listen(mp.port, mp.host, () => {
          server.off('error', onError);
          resolve();
        });
      });
      started = true;
      // A question pushed while the server was down comes again in WeChat's retries (3, 5 s
      // apart): it is not backlog, the follower is still waiting for it.
      engine.markLogin(clock.now() - WECHAT_RETRY_SPAN_MS);
      engine.start();
      const { port } = server.address() as AddressInfo;
      logger.info('公众号 callback listening', {
        host: mp.host,
        port,
        path: mp.path,
        mode: aesKey ? 'compatible or safe (encrypted)' : 'plaintext',
        maxPerMinute: mp.maxPerMinute,
      });
    },
    stop: () =>
      (stopping ??= (async () => {
        if (started) {
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          server.closeAllConnections();
          await closed;
        }
        await engine.close();
      })()),
  };
}
