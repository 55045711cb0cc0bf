/**
 * A real Wechaty on wechaty-puppet-mock with the real knowledge base over a temporary corpus
 * (the bundled corpus plus a small 三会一课 document), driven by a manual clock.
 */
import { after, before } from 'node:test';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { types } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import type { Asker } from '../../src/answer/types.ts';
import { createBot, type TongxinBot } from '../../src/channels/wechat-bot.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { ingest } from '../../src/index/ingest.ts';
import { openKnowledgeBase, type KnowledgeBase } from '../../src/knowledge-base.ts';
import { createLogger } from '../../src/log.ts';
import { ManualClock, settle, waitFor } from '../chat/manual-clock.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const MEETING_DOC = `---
title: 三会一课制度
---
# 三会一课
“三会一课”是指定期召开支部党员大会、支部委员会、党小组会，按时上好党课。支部党员大会一般每季度召开1次。党小组会一般每月召开1次。党课每季度至少1次。
`;

export const LEXICAL_ENV = { EMBEDDING_PROVIDER: 'none', OPENAI_BASE_URL: '', OPENAI_API_KEY: '' };

export interface Corpus {
  dir: string;
  corpusDir: string;
  indexDir: string;
  config: Config;
  ingest(): Promise<void>;
  open(): Promise<KnowledgeBase>;
  cleanup(): Promise<void>;
}

/** Copies the bundled corpus plus MEETING_DOC into a temp folder and builds a lexical index. */
export async function makeCorpus(): Promise<Corpus> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tongxin-bot-'));
  const corpusDir = path.join(dir, 'corpus');
  const indexDir = path.join(dir, 'index');
  await cp(path.join(ROOT, 'corpus'), corpusDir, { recursive: true });
  await writeFile(path.join(corpusDir, 'meeting.md'), MEETING_DOC);
  const config = loadConfig({ env: LEXICAL_ENV, dotenvDir: false });
  const corpus: Corpus = {
    dir,
    corpusDir,
    indexDir,
    config,
    ingest: async () => void (await ingest({ corpusDir, indexDir, config, embedder: null })),
    open: () => openKnowledgeBase({ indexDir, config, embedder: null, chatModel: null }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
  await corpus.ingest();
  return corpus;
}

export interface Sent {
  /** Room id, or the contact id of a private chat. */
  to: string;
  text: string;
  /** Manual-clock time of the send. */
  at: number;
}

export interface Harness {
  bot: TongxinBot;
  mocker: mock.Mocker;
  puppet: PuppetMock;
  me: mock.ContactMock;
  clock: ManualClock;
  /** Every message the bot sent, in order. */
  sent: Sent[];
  /** JSON log lines the bot wrote. */
  logs: Array<{ level: string; msg: string; [k: string]: unknown }>;
  logDir: string;
  contact(name: string): mock.ContactMock;
  room(topic: string, members: mock.ContactMock[]): mock.RoomMock;
  /** Sends a text as `from` in a room, @-mentioning the bot when `mention`. */
  say(from: mock.ContactMock, text: string, to: mock.RoomMock | 'bot', mention?: boolean): void;
  /** Delivers a message with explicit payload fields (old timestamps, non-text types, replays). */
  deliver(payload: { id: string; talkerId: string; roomId?: string; text?: string; timestamp: number; type?: types.Message; mentionIdList?: string[] }): void;
  /** Waits until the bot has handled `n` incoming messages (its own included) in total. */
  waitHandled(n: number): Promise<void>;
  /** Waits until the bot has sent `n` messages in total. */
  waitSent(n: number): Promise<void>;
  /** Replies to one room or contact. */
  sentTo(id: string): string[];
  stop(): Promise<void>;
}

export interface HarnessOptions {
  asker?: Asker;
  indexDir?: string;
  env?: Record<string, string>;
  random?: () => number;
  /** Called with the mocker before login, e.g. to create rooms resolved at login. */
  beforeLogin?: (h: Pick<Harness, 'contact' | 'room'>) => void;
}

export const BOT_NAME = '同心';

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const logDir = await mkdtemp(path.join(os.tmpdir(), 'tongxin-botlog-'));
  const clock = new ManualClock();
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const logs: Harness['logs'] = [];
  const logger = createLogger({ level: 'debug', format: 'json', write: (l) => logs.push(JSON.parse(l)) });
  const bot = await createBot({
    puppet,
    logger,
    clock,
    ...(options.asker ? { asker: options.asker } : {}),
    ...(options.indexDir ? { indexDir: options.indexDir } : {}),
    ...(options.random ? { random: options.random } : {}),
    env: {
      ...LEXICAL_ENV,
      BOT_LOG_DIR: logDir,
      BOT_ROOMS: '党员之家',
      BOT_KEYWORDS: '党建问答',
      BOT_ADMINS: '管理员',
      BOT_PRIVATE: 'on',
      BOT_JITTER_MS: '0',
      BOT_ROOM_INTERVAL_MS: '0',
      BOT_COOLDOWN_MS: '0',
      BOT_MAX_PER_MINUTE: '10000',
      BOT_QUEUE_SIZE: '5',
      BOT_RELOAD_POLL_MS: '3600000',
      BOT_BLOCKLIST_FILE: '',
      ...options.env,
    },
  });
  const me = mocker.createContact({ name: BOT_NAME });
  const sent: Sent[] = [];
  const delivered = new Set<string>();
  puppet.on('message', ({ messageId }) => {
    const p = mocker.cacheMessagePayload.get(messageId);
    if (!p || p.talkerId !== me.id || delivered.has(messageId)) return;
    const to = 'roomId' in p && p.roomId ? p.roomId : ('listenerId' in p && p.listenerId) || '';
    sent.push({ to, text: p.text ?? '', at: clock.now() });
  });
  const contact = (name: string) => mocker.createContact({ name });
  const room = (topic: string, members: mock.ContactMock[]) =>
    mocker.createRoom({ topic, memberIdList: [me.id, ...members.map((m) => m.id)] });
  options.beforeLogin?.({ contact, room });

  await bot.start();
  const loggedIn = new Promise<void>((resolve) => bot.once('login', () => resolve()));
  mocker.login(me);
  await loggedIn;
  await waitFor(() => logs.some((l) => l.msg === 'rooms resolved' || l.msg.startsWith('listing rooms failed')), 'room resolution');

  const h: Harness = {
    bot,
    mocker,
    puppet,
    me,
    clock,
    sent,
    logs,
    logDir,
    contact,
    room,
    say: (from, text, to, mention = true) => {
      if (to === 'bot') from.say(text).to(me);
      else from.say(text, mention ? [me] : []).to(to);
    },
    deliver: (p) => {
      const payload = {
        type: types.Message.Text,
        ...p,
        ...(p.roomId ? { mentionIdList: p.mentionIdList ?? [] } : { listenerId: me.id }),
      };
      delivered.add(p.id);
      if (!mocker.cacheMessagePayload.has(p.id)) mocker.MessageMock.create(payload as never);
      puppet.emit('message', { messageId: p.id });
    },
    waitHandled: (n) =>
      waitFor(() => logs.filter((l) => l.msg === 'message').length >= n, `${n} handled messages`),
    waitSent: (n) => waitFor(() => sent.length >= n, `${n} bot messages (have ${sent.length})`),
    sentTo: (id) => sent.filter((s) => s.to === id).map((s) => s.text),
    stop: async () => {
      await bot.stop();
      await settle();
      await rm(logDir, { recursive: true, force: true });
    },
  };
  return h;
}

/** The text a room reply carries after Wechaty's "@name " prefix. */
export function withoutMention(text: string, name: string): string {
  return text.startsWith(`@${name} `) ? text.slice(name.length + 2) : text;
}

/**
 * One real knowledge base for a test file (the bundled corpus plus the 三会一课 document),
 * built before its tests and removed after; call at the top level.
 */
export function useKnowledgeBase(): () => KnowledgeBase {
  let corpus: Corpus | undefined;
  let kb: KnowledgeBase | undefined;
  before(async () => {
    corpus = await makeCorpus();
    kb = await corpus.open();
  });
  after(async () => {
    await kb?.close();
    await corpus?.cleanup();
  });
  return () => {
    if (!kb) throw new Error('the knowledge base is built in before()');
    return kb;
  };
}

