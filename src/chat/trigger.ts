import { unquote } from './quote.ts';

export interface TriggerInput {
  text: string;
  /** False in a private chat, where every message is for the bot. */
  inRoom: boolean;
  /** The puppet says the bot was @-mentioned (message.mentionSelf()). */
  mentionedByPayload: boolean;
  /** The bot's name and its alias in this room: the text fallback for puppets without mention ids. */
  botNames: string[];
  /** A room message starting with one of these is for the bot (BOT_KEYWORDS). */
  keywords: string[];
}

export interface Trigger {
  /** The text with mention, keyword and quote removed; may be empty ("@同心" alone). */
  question: string;
  via: 'private' | 'mention' | 'keyword' | 'quote';
}

// U+2005 (four-per-em space) is what WeChat puts after an @name; puppets differ, so a plain or
// no-break space also ends the name.
const MENTION_END = '(?:[\\u2005\\u0020\\u00a0]|$)';
const LEADING_MENTIONS = /^(?:@[^\u2005@\s]+\u2005\s*)+/;
const AFTER_KEYWORD = /^[\s:：,，、.。!！?？-]+/;

/** Decides whether a message is for the bot and, if so, what it asks. */
export function detectTrigger(input: TriggerInput): Trigger | null {
  const { reply, quoted } = unquote(input.text);
  let text = reply.trim();
  const names = input.botNames.map((n) => n.trim()).filter(Boolean);

  let mentioned = false;
  for (const name of names) {
    const re = new RegExp(`@${escapeRegExp(name)}${MENTION_END}`, 'gu');
    if (re.test(text)) {
      mentioned = true;
      text = text.replace(re, ' ').trim();
    }
  }
  if (input.mentionedByPayload) {
    // Mentioned under a name we do not know (a room alias set later): drop the leading @token.
    if (!mentioned) text = text.replace(LEADING_MENTIONS, '').trim();
    mentioned = true;
  }

  let keyword = false;
  for (const k of input.keywords) {
    if (k && text.startsWith(k)) {
      keyword = true;
      text = text.slice(k.length).replace(AFTER_KEYWORD, '').trim();
      break;
    }
  }

  const question = text.replace(/\s+/g, ' ').trim();
  if (!input.inRoom) return { question, via: 'private' };
  if (mentioned) return { question, via: 'mention' };
  if (keyword) return { question, via: 'keyword' };
  // Quoting one of the bot's own answers is talking to it.
  if (quoted && names.includes(quoted.name)) return { question, via: 'quote' };
  return null;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
