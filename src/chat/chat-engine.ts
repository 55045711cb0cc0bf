import type { Answer, Asker, AskOptions, Citation, KnowledgeBaseStats } from '../answer/types.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Blocklist } from './blocklist.ts';
import { GROUP_CHAT_PACING, type ChannelPacing } from './channel-pacing.ts';
import type { Clock } from './clock.ts';
import { COOLDOWN_FREE_COMMANDS, parseCommand, STAFF_COMMANDS, type Command } from './command.ts';
import { ConversationQueue } from './conversation-queue.ts';
import { Cooldown } from './cooldown.ts';
import { fitReplyBytes } from './fit-reply.ts';
import { looksLikeFollowUp } from './follow-up.ts';
import { LruCache } from './lru-cache.ts';
import { Pacer } from './pacer.ts';
import type { QaEntry, QaLog } from './qa-log.ts';
import { RateLimit } from './rate-limit.ts';
import { ReloadPoller } from './reload-poller.ts';
import { helpText, reloadedText, REPLIES, sourceReply, statusText } from './replies.ts';
import { RoomAllowlist } from './room-allowlist.ts';
import { splitReply } from './split-reply.ts';
import { detectTrigger } from './trigger.ts';

/** A chat message as any channel sees it; the Wechaty edge fills this in. */
export interface IncomingMessage {
  id: string;
  text: string;
  /** Only text messages are read; images, voice, cards … are ignored. */
  isText: boolean;
  /** Sent by the bot's own account (never answered: no reply loop). */
  fromSelf: boolean;
  /** Send time, ms since the epoch. */
  timestamp: number;
  talker: { id: string; name: string };
  /**
   * Absent in a private chat. `topic` is absent when the puppet could not tell it; the room is
   * then allowed or not by the last topic seen.
   */
  room?: { id: string; topic?: string };
  /** The puppet reports an @-mention of the bot. */
  mentionedByPayload: boolean;
  /** The bot's name and room alias, for the text fallback on @-mentions. */
  botNames: string[];
  /**
   * Set when a channel call for the message's context failed (the room's topic, the bot's alias,
   * the mention flag), each already logged by the channel. The text is intact, so the message is
   * read as far as it goes: a room without its topic is allowed or not by the last topic seen (a
   * room never seen is not answered), and a trigger found in what was read is answered as usual.
   */
  partlyRead?: { steps: string[] };
}

/** Sends one text to the message's conversation; in a room `mention` @-mentions the asker. */
export type ReplyPort = (text: string, options: { mention: boolean }) => Promise<void>;

export type HandleOutcome =
  | 'ignored:closed'
  | 'ignored:self'
  | 'ignored:not-text'
  | 'ignored:duplicate'
  | 'ignored:before-login'
  | 'ignored:old'
  | 'ignored:room'
  | 'ignored:private'
  | 'ignored:no-trigger'
  | 'command'
  | 'queued'
  // A decline was sent (`declined:*`, `empty`), or was due but withheld so as not to flood
  // (`ignored:*`): see ChatEngine#decline.
  | 'empty'
  | 'ignored:empty'
  | 'declined:blocked'
  | 'ignored:blocked'
  | 'declined:cooldown'
  | 'ignored:cooldown'
  | 'declined:busy'
  | 'ignored:busy'
  | 'declined:rate'
  | 'ignored:rate'
  | 'error';

export interface ChatEngineOptions {
  asker: Asker;
  /** The BOT_* settings. */
  settings: Config['bot'];
  clock: Clock;
  logger: Logger;
  blocklist: Blocklist;
  qaLog: QaLog;
  /** Uniform in [0, 1) for jitter; default Math.random. */
  random?: () => number;
  /** Longest chat message; default 500 characters. */
  maxReplyChars?: number;
  /** Which limits apply to this channel's replies; default GROUP_CHAT_PACING (Wechaty's). */
  pacing?: ChannelPacing;
  /** Written in the question log (`wechaty`, `wecom`, `mp`); default `wechaty`. */
  channel?: string;
  /** The 帮助 line on how to ask, for channels without groups; default the group-chat line. */
  howToAsk?: string;
}

/** What a channel answering in the request's own response gets back from ChatEngine#respond. */
export interface Response {
  outcome: HandleOutcome;
  /** The reply's messages in order; empty when the engine sends nothing. */
  parts: string[];
}

/** What the bot remembers of one person in one conversation (see ChatEngine#memoryKey). */
interface PersonState {
  /** The question follow-ups refer to (the last one that was not itself a follow-up). */
  baseQuestion: string;
  at: number;
  citations: Citation[];
}

interface Context {
  msg: IncomingMessage;
  reply: ReplyPort;
  /** Pacing and queue key: the room, or the person in a private chat. */
  key: string;
  receivedAt: number;
  logger: Logger;
  /** Set by respond(): told once the message's reply (or no reply) is settled. */
  settled?: Settled;
}

interface Settled {
  /** A reply was queued or a decline sent: `done` follows that send. */
  replying: boolean;
  done(): void;
}

/** Most people and message ids remembered; older ones fall out (flat memory). */
const PEOPLE_CAPACITY = 5_000;
const SEEN_CAPACITY = 10_000;
/** 原文 N stays available at least this long after an answer. */
const SOURCE_TTL_MS = 3_600_000;
/**
 * Declines waiting to be sent, per conversation and in all. Pacing sends in order, so every
 * waiting decline delays the answers behind it: with the defaults (1 s a room, 30 a minute) these
 * bounds cost an answer a few seconds at most, where one decline each in a 200-question burst
 * held the answers back about 6 minutes.
 */
const MAX_DECLINES_WAITING_PER_CHAT = 2;
const MAX_DECLINES_WAITING = 6;

/**
 * Channel-free conversation: decides which messages are for the bot, runs commands, queues
 * questions per conversation, asks the core, paces and logs the replies. Any failure is logged
 * and answered with one fixed polite message; nothing here stops the bot.
 */
export class ChatEngine {
  readonly rooms: RoomAllowlist;
  readonly #o: ChatEngineOptions;
  readonly #queue: ConversationQueue;
  readonly #pacer: Pacer;
  readonly #cooldown: Cooldown;
  readonly #pacing: ChannelPacing;
  readonly #rateLimit: RateLimit | undefined;
  readonly #people: LruCache<string, PersonState>;
  readonly #seen: LruCache<string, true>;
  readonly #poller: ReloadPoller;
  readonly #background = new Set<Promise<void>>();
  /** People with a decline waiting to be sent, and how many wait per conversation. */
  readonly #declining = new Set<string>();
  readonly #declinesPerChat = new Map<string, number>();
  readonly #startedAt: number;
  #loginAt: number | undefined;
  #closed = false;
  #answered = 0;
  #refused = 0;

  constructor(options: ChatEngineOptions) {
    this.#o = options;
    const { settings: s, clock, logger } = options;
    this.rooms = new RoomAllowlist(s.rooms);
    this.#queue = new ConversationQueue({
      maxWaiting: s.queueSize,
      onError: (err) => logger.error('queued task failed', { err }),
    });
    this.#pacer = new Pacer({
      roomIntervalMs: s.roomIntervalMs,
      maxPerMinute: s.maxPerMinute,
      jitterMs: s.jitterMs,
      clock,
      ...(options.random ? { random: options.random } : {}),
    });
    this.#pacing = options.pacing ?? GROUP_CHAT_PACING;
    this.#cooldown = new Cooldown({ ms: this.#pacing.cooldown ? s.cooldownMs : 0, clock });
    const perMinute = this.#pacing.maxPerPersonPerMinute;
    this.#rateLimit = perMinute === undefined ? undefined : new RateLimit({ maxPerMinute: perMinute, clock });
    this.#people = new LruCache({ capacity: PEOPLE_CAPACITY, ttlMs: Math.max(s.followupMs, SOURCE_TTL_MS), clock });
    this.#seen = new LruCache({ capacity: SEEN_CAPACITY, ttlMs: s.maxMessageAgeMs * 2, clock });
    this.#poller = new ReloadPoller({ asker: options.asker, intervalMs: s.reloadPollMs, clock, logger });
    this.#startedAt = clock.now();
  }

  /**
   * Messages sent before this moment are backlog and never answered; default now. A channel whose
   * platform redelivers recent messages itself (公众号 retries for 15 s) may set it earlier.
   */
  markLogin(at: number = this.#o.clock.now()): void {
    this.#loginAt = at;
  }

  /** Starts polling for a new index. */
  start(): void {
    if (!this.#closed) this.#poller.start();
  }

  /** Stops polling, refuses new messages and flushes the question log. Queued work is dropped. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#poller.stop();
    await this.#o.qaLog.flush();
  }

  /** Resolves when no question, reply or command is pending (tests, graceful stops). */
  async idle(): Promise<void> {
    while (this.#queue.size > 0 || this.#pacer.busy > 0 || this.#background.size > 0) {
      await Promise.all([this.#queue.idle(), this.#pacer.idle(), ...this.#background]);
    }
  }

  get counters(): { answered: number; refused: number; queued: number } {
    return { answered: this.#answered, refused: this.#refused, queued: this.#queue.size };
  }

  /**
   * Reads one message; returns at once after queuing (the answer follows asynchronously). Never
   * throws: a failure is logged and, if the message was for the bot, answered with the fixed reply.
   */
  handle(msg: IncomingMessage, reply: ReplyPort): Promise<HandleOutcome> {
    return this.#handle(msg, reply, undefined);
  }

  /**
   * For channels that answer in the request's own response (公众号 passive replies): handles the
   * message like `handle` and resolves once its reply is settled, with the text that would have
   * been sent (no parts when the engine sends nothing). Never throws.
   */
  async respond(msg: IncomingMessage): Promise<Response> {
    const parts: string[] = [];
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const settled: Settled = { replying: false, done };
    const outcome = await this.#handle(msg, async (text) => void parts.push(text), settled);
    if (!settled.replying) done();
    await finished;
    return { outcome, parts };
  }

  async #handle(msg: IncomingMessage, reply: ReplyPort, settled: Settled | undefined): Promise<HandleOutcome> {
    let ctx: Context | undefined;
    try {
      const s = this.#o.settings;
      if (this.#closed) return 'ignored:closed';
      if (msg.fromSelf) return 'ignored:self';
      if (!msg.isText) return 'ignored:not-text';
      if (this.#seen.has(msg.id)) return 'ignored:duplicate';
      this.#seen.set(msg.id, true);
      const now = this.#o.clock.now();
      if (now - msg.timestamp > s.maxMessageAgeMs) return 'ignored:old';
      // WeChat times messages in whole seconds and the login is timed in ms: a question sent in the
      // login's own second is not backlog.
      if (this.#loginAt === undefined || Math.floor(msg.timestamp / 1000) < Math.floor(this.#loginAt / 1000)) {
        return 'ignored:before-login';
      }
      if (msg.room) {
        if (!this.rooms.isAllowed(msg.room.id, msg.room.topic)) return 'ignored:room';
      } else if (!s.privateChat) {
        return 'ignored:private';
      }
      const trigger = detectTrigger({
        text: msg.text,
        inRoom: msg.room !== undefined,
        mentionedByPayload: msg.mentionedByPayload,
        botNames: msg.botNames,
        keywords: s.keywords,
      });
      if (!trigger) return 'ignored:no-trigger';

      ctx = {
        msg,
        reply,
        key: msg.room ? `room:${msg.room.id}` : `person:${msg.talker.id}`,
        receivedAt: now,
        logger: this.#o.logger.child({ messageId: msg.id, ...(msg.room ? { room: msg.room.topic ?? msg.room.id } : {}) }),
        ...(settled ? { settled } : {}),
      };
      // What failed only helps find the trigger and the room; with both settled, the question stands.
      if (msg.partlyRead) ctx.logger.warn('message for the bot partly read; answering it', { steps: msg.partlyRead.steps });
      return this.#take(ctx, trigger.question);
    } catch (err) {
      (ctx?.logger ?? this.#o.logger.child({ messageId: msg.id })).error('message handling failed', { err });
      // Only a message known to be for the bot is answered: a failure on a room's chatter is not.
      if (ctx) this.#decline(ctx, REPLIES.error, 'error');
      return 'error';
    }
  }

  /** A message for the bot: the cooldown, then a command or question queued, or a decline. */
  #take(ctx: Context, question: string): HandleOutcome {
    const person = ctx.msg.talker.id;
    const command = parseCommand(question);
    if (!command && !question) return this.#decline(ctx, REPLIES.emptyQuestion, 'empty') ? 'empty' : 'ignored:empty';
    if (this.#rateLimit && !this.#rateLimit.take(person)) {
      ctx.logger.warn('per-person rate limit reached, declined', { maxPerMinute: this.#pacing.maxPerPersonPerMinute });
      if (!command) this.#log(ctx, { question, answer: '', outcome: 'declined', declined: 'rate' });
      return this.#decline(ctx, REPLIES.rateLimited, 'rate') ? 'declined:rate' : 'ignored:rate';
    }
    // Before any reply; staff commands have a pause of their own, 原文 N and 帮助 none.
    const track = !command ? 'question' : COOLDOWN_FREE_COMMANDS.has(command.kind) ? undefined : 'command';
    if (track && !this.#cooldown.ready(person, track)) {
      if (!command) this.#log(ctx, { question, answer: '', outcome: 'declined', declined: 'cooldown' });
      return this.#decline(ctx, REPLIES.cooldown, 'cooldown') ? 'declined:cooldown' : 'ignored:cooldown';
    }
    if (!command) {
      const word = this.#o.blocklist.find(question);
      if (word !== undefined) {
        ctx.logger.warn('question declined by the blocklist', { word });
        this.#log(ctx, { question, answer: '', outcome: 'blocked' });
        return this.#decline(ctx, REPLIES.blocked, 'blocked') ? 'declined:blocked' : 'ignored:blocked';
      }
    }
    // Commands queue too: one reply in flight per conversation, and a bounded wait behind it.
    const run = command ? () => this.#command(command, ctx) : () => this.#answer(ctx, question);
    // A task that failed before sending still settles respond().
    const task = () => run().finally(() => ctx.settled?.done());
    if (!this.#queue.push(ctx.key, task)) {
      ctx.logger.warn('queue full, declined', { queueSize: this.#o.settings.queueSize, command: command?.kind });
      if (!command) this.#log(ctx, { question, answer: '', outcome: 'declined', declined: 'busy' });
      return this.#decline(ctx, REPLIES.busy, 'busy') ? 'declined:busy' : 'ignored:busy';
    }
    if (track) this.#cooldown.record(person, track);
    if (ctx.settled) ctx.settled.replying = true;
    return command ? 'command' : 'queued';
  }

  /**
   * Sends a decline (a notice in place of an answer) unless that would flood: a person gets at
   * most one per cooldown pause and has at most one waiting, and only a few wait in all, so
   * declines never hold real answers back for long. Returns whether it was sent.
   */
  #decline(ctx: Context, text: string, reason: string): boolean {
    const person = ctx.msg.talker.id;
    const inChat = this.#declinesPerChat.get(ctx.key) ?? 0;
    // A passive reply answers one request: a decline there floods no one and is never withheld.
    const withheld =
      !this.#pacing.limitDeclines ? undefined
      : this.#declining.has(person) ? 'one already waiting for this person'
      : inChat >= MAX_DECLINES_WAITING_PER_CHAT ? 'enough waiting in this conversation'
      : this.#declining.size >= MAX_DECLINES_WAITING ? 'enough waiting in all'
      : !this.#cooldown.ready(person, 'decline') ? 'one sent in this cooldown pause'
      : undefined;
    if (withheld) {
      ctx.logger.debug('decline withheld', { reason, why: withheld });
      return false;
    }
    this.#cooldown.record(person, 'decline');
    if (ctx.settled) ctx.settled.replying = true;
    this.#declining.add(person);
    this.#declinesPerChat.set(ctx.key, inChat + 1);
    this.#inBackground(
      this.#send(ctx, [text]).finally(() => {
        this.#declining.delete(person);
        const left = (this.#declinesPerChat.get(ctx.key) ?? 1) - 1;
        if (left > 0) this.#declinesPerChat.set(ctx.key, left);
        else this.#declinesPerChat.delete(ctx.key);
      }),
    );
    return true;
  }

  /**
   * Follow-ups and 原文 N belong to one person in one conversation: a short question in one room
   * is not about what the same person asked in another room or in private.
   */
  #memoryKey(ctx: Context): string {
    return `${ctx.key}\n${ctx.msg.talker.id}`;
  }

  async #answer(ctx: Context, question: string): Promise<void> {
    const person = this.#people.get(this.#memoryKey(ctx));
    const previousQuestion =
      person && ctx.receivedAt - person.at <= this.#o.settings.followupMs && looksLikeFollowUp(question)
        ? person.baseQuestion
        : undefined;
    let answer: Answer;
    try {
      answer = await this.#ask(ctx, question, previousQuestion ? { previousQuestion } : {});
    } catch (err) {
      ctx.logger.error('answering failed', { err });
      this.#log(ctx, { question, answer: '', outcome: 'error' });
      await this.#send(ctx, [REPLIES.error]);
      return;
    }
    const word = this.#o.blocklist.find(answer.answer);
    if (word !== undefined) {
      ctx.logger.warn('answer withheld by the blocklist', { word });
      this.#log(ctx, { question, answer: '', outcome: 'blocked' });
      await this.#send(ctx, [REPLIES.blocked]);
      return;
    }
    this.#people.set(this.#memoryKey(ctx), {
      baseQuestion: previousQuestion ?? question,
      at: ctx.receivedAt,
      citations: answer.citations,
    });
    this.#answered += 1;
    if (answer.refused) this.#refused += 1;
    this.#log(ctx, {
      question,
      answer: answer.answer,
      outcome: answer.refused ? 'refused' : answer.middle ? 'middle' : 'answered',
      mode: answer.mode,
      citations: answer.citations.map((c) => ({ docId: c.docId, title: c.title })),
      ms: answer.ms,
    });
    await this.#send(ctx, this.#shape(answer.answer, answer.body));
  }

  /**
   * Asks the core. With `answerWithinMs` (a passive reply with a model configured) the offline
   * answer is asked at the same time and used when the model's is late or fails: the reply must
   * leave within WeChat's 5 s, and the offline answer is the same passages quoted with citations.
   */
  async #ask(ctx: Context, question: string, options: AskOptions): Promise<Answer> {
    const within = this.#pacing.answerWithinMs;
    if (within === undefined) return this.#o.asker.ask(question, options);
    const offline = this.#o.asker.ask(question, { ...options, offline: true });
    const LATE = Symbol('late');
    const abort = new AbortController();
    const left = Math.max(0, within - (this.#o.clock.now() - ctx.receivedAt));
    try {
      const first = await Promise.race([
        this.#o.asker.ask(question, options).catch((err: unknown): typeof LATE => {
          ctx.logger.warn('model answer failed; answering offline', { err });
          return LATE;
        }),
        this.#o.clock.sleep(left, abort.signal).then((): typeof LATE => LATE, (): typeof LATE => LATE),
      ]);
      if (first !== LATE) {
        offline.catch((err: unknown) => ctx.logger.warn('offline answer failed; the model answered', { err }));
        return first;
      }
      ctx.logger.info('model answer not ready in time; answering offline', { withinMs: within });
      return await offline;
    } finally {
      abort.abort();
    }
  }

  /** The reply's messages: chat parts by characters, or one message by bytes (ChannelPacing). */
  #shape(text: string, body: string): string[] {
    const maxBytes = this.#pacing.maxReplyBytes;
    if (maxBytes !== undefined) {
      const one = fitReplyBytes(text, body, maxBytes);
      return one ? [one] : [];
    }
    return splitReply(text, body, { maxChars: this.#o.maxReplyChars ?? 500, maxParts: 3 });
  }

  async #command(command: Command, ctx: Context): Promise<void> {
    const { msg } = ctx;
    try {
      if (STAFF_COMMANDS.has(command.kind) && (msg.room !== undefined || !this.#isAdmin(msg.talker))) {
        ctx.logger.warn('staff command refused', { command: command.kind, inRoom: msg.room !== undefined });
        await this.#send(ctx, [REPLIES.staffOnly]);
        return;
      }
      switch (command.kind) {
        case 'help':
          await this.#send(ctx, this.#shape(helpText(this.#stats(ctx), this.#o.settings.keywords, this.#o.howToAsk), ''));
          return;
        case 'source': {
          const citations = this.#people.get(this.#memoryKey(ctx))?.citations ?? [];
          return await this.#send(ctx, this.#shape(sourceReply(citations, command.n), ''));
        }
        case 'status': {
          const stats = this.#o.asker.stats();
          const { answered, refused, queued } = this.counters;
          const uptimeMs = this.#o.clock.now() - this.#startedAt;
          // Commands run in the queue: this one is counted there, and is not waiting.
          return await this.#send(ctx, [statusText({ stats, uptimeMs, answered, refused, queued: queued - 1 })]);
        }
        case 'reload': {
          let swapped: boolean;
          try {
            // Forced: staff retry a generation the poller gave up on until its manifest changes,
            // since a failure such as EMFILE or ENOMEM at the reload peak may not happen twice.
            swapped = await this.#o.asker.reload({ force: true });
          } catch (err) {
            // A warning: the failure itself is the poller's to log as an error, once.
            ctx.logger.warn('reload requested by staff failed; keeping the loaded index', { err });
            return await this.#send(ctx, [REPLIES.reloadFailed]);
          }
          const s = this.#o.asker.stats();
          ctx.logger.info('reload requested by staff', { swapped, generation: s.generation });
          return await this.#send(ctx, [swapped ? reloadedText(s) : REPLIES.reloadUnchanged]);
        }
      }
    } catch (err) {
      ctx.logger.error('command failed', { err, command: command.kind });
      await this.#send(ctx, [REPLIES.error]);
    }
  }

  #isAdmin(talker: { id: string; name: string }): boolean {
    const admins = this.#o.settings.admins;
    return admins.includes(talker.id) || (talker.name !== '' && admins.includes(talker.name));
  }

  #stats(ctx: Context): KnowledgeBaseStats | undefined {
    try {
      return this.#o.asker.stats();
    } catch (err) {
      ctx.logger.warn('stats unavailable for 帮助', { err });
      return undefined;
    }
  }

  /**
   * Sends the parts in order, through the pacer when the channel is paced; a failed send is
   * logged, never thrown.
   */
  async #send(ctx: Context, parts: string[]): Promise<void> {
    const inRoom = ctx.msg.room !== undefined;
    const sends = parts.map((text, i) => () => ctx.reply(text, { mention: inRoom && i === 0 }));
    try {
      if (this.#pacing.paceSends) await this.#pacer.send(ctx.key, sends);
      else for (const send of sends) await send();
    } catch (err) {
      ctx.logger.error('sending a reply failed', { err, parts: parts.length });
    } finally {
      ctx.settled?.done();
    }
  }

  #log(
    ctx: Context,
    e: Pick<QaEntry, 'question' | 'answer' | 'outcome'> & Partial<Pick<QaEntry, 'mode' | 'citations' | 'ms' | 'declined'>>,
  ): void {
    this.#o.qaLog.append({
      channel: this.#o.channel ?? 'wechaty',
      askerId: ctx.msg.talker.id,
      receivedAt: ctx.receivedAt,
      room: ctx.msg.room ? { id: ctx.msg.room.id, topic: ctx.msg.room.topic ?? '' } : null,
      question: e.question,
      answer: e.answer,
      refused: e.outcome === 'refused',
      outcome: e.outcome,
      mode: e.mode ?? null,
      citations: e.citations ?? [],
      ms: e.ms ?? 0,
      ...(e.declined ? { declined: e.declined } : {}),
    });
  }

  #inBackground(task: Promise<void>): void {
    const tracked = task.catch((err) => this.#o.logger.error('background task failed', { err }));
    this.#background.add(tracked);
    void tracked.then(() => this.#background.delete(tracked));
  }
}
