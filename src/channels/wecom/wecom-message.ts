/**
 * A WeCom message callback (aibot_msg_callback) read for the engine. WeCom delivers a group
 * message only when it @-mentions the bot, and every private message (document 101463), so each
 * callback is addressed to the bot; the callback names no group and no bot name.
 */
import type { BaseMessage } from '@wecom/aibot-node-sdk';
import type { IncomingMessage } from '../../chat/chat-engine.ts';

/** A callback body the channel can answer, or why not. */
export type ReadMessage =
  | { ok: true; msg: IncomingMessage; chat: string }
  | { ok: false; reason: string };

/**
 * The @-mentions WeCom leaves in a group text ("@同心 什么是三会一课", "请问 @同心 …"). The bot's
 * name is not in the callback, so every mention goes: the bot's is one of them, and a name is no
 * part of a policy question. A mention starts the text or follows a space (so a@b.cn stays); a
 * plain space ends it (WeChat uses U+2005), and so does punctuation, for "@同心，什么是三会一课"
 * typed without one. The punctuation left in front of the question goes too.
 */
const MENTIONS = /(^|[\s\u2005])@[^\s@\u2005，,。？?！!：:；;、]+(?=[\s\u2005，,。？?！!：:；;、]|$)/gu;
const LEADING_PUNCTUATION = /^[\s\u2005，,。：:；;、]+/u;

export function readMessage(body: BaseMessage | undefined, receivedAt: number): ReadMessage {
  if (!body || typeof body !== 'object') return { ok: false, reason: 'no body' };
  const { msgid, chattype, chatid, from, msgtype } = body;
  if (typeof msgid !== 'string' || !msgid) return { ok: false, reason: 'no msgid' };
  const userid = from?.userid;
  if (typeof userid !== 'string' || !userid) return { ok: false, reason: 'no from.userid' };
  if (chattype !== 'group' && chattype !== 'single') return { ok: false, reason: `chattype ${String(chattype)}` };
  if (chattype === 'group' && (typeof chatid !== 'string' || !chatid)) return { ok: false, reason: 'group without chatid' };
  const raw = msgtype === 'text' && typeof body.text?.content === 'string' ? (body.text.content as string) : undefined;
  const isText = raw !== undefined;
  const text = isText ? (chattype === 'group' ? raw.replace(MENTIONS, '$1').replace(LEADING_PUNCTUATION, '').trim() : raw) : '';
  const msg: IncomingMessage = {
    id: msgid,
    text,
    isText,
    fromSelf: false,
    // The arrival time, not create_time: WeCom pushes each message live (no backlog replay is
    // documented), and a county machine whose clock is a few minutes off would otherwise see
    // every question as too old to answer.
    timestamp: receivedAt,
    talker: { id: userid, name: '' },
    ...(chattype === 'group' ? { room: { id: chatid! } } : {}),
    // Mentions are already cut from the text; the flag makes a group message a question.
    mentionedByPayload: chattype === 'group',
    botNames: [],
  };
  return { ok: true, msg, chat: chattype === 'group' ? chatid! : userid };
}
