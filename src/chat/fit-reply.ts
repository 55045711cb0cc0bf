/**
 * Fits an answer into one message of at most `maxBytes` UTF-8 bytes (a 公众号 text reply holds
 * 2048 bytes): the source list is kept whole at the end and the body is cut after the last whole
 * sentence that fits, with the note pointing to 原文 N for the rest.
 */
import { sentencePieces } from '../corpus/sentences.ts';
import { REPLY_CUT_NOTE } from './replies.ts';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * @param answer the full text (body, then sources), as `Answer.answer`
 * @param body the body alone, as `Answer.body`; '' when the whole text is one body (原文 N, 帮助)
 */
export function fitReplyBytes(answer: string, body: string, maxBytes: number): string {
  const whole = answer.trim();
  if (bytes(whole) <= maxBytes) return whole;
  const hasSources = body.trim() !== '' && answer.startsWith(body) && answer.slice(body.length).trim() !== '';
  const sources = hasSources ? '\n\n' + answer.slice(body.length).trim() : '';
  // Sources too long to keep leave the body the whole room (never happens with RETRIEVAL_TOP_K ≤ 10).
  const tail = bytes(sources) + bytes(REPLY_CUT_NOTE) < maxBytes / 2 ? sources : '';
  const main = (tail ? body : whole).trim();
  const room = maxBytes - bytes(tail) - bytes(REPLY_CUT_NOTE);
  let head = '';
  for (const piece of sentencePieces(main)) {
    if (bytes((head + piece).trimEnd()) > room) break;
    head += piece;
  }
  // Not even the first sentence fits: cut it by characters (never inside a UTF-8 sequence).
  if (!head.trim()) head = cutToBytes(main, room);
  return head.trimEnd() + REPLY_CUT_NOTE + tail;
}

function cutToBytes(text: string, max: number): string {
  let out = '';
  let used = 0;
  for (const ch of text) {
    const n = bytes(ch);
    if (used + n > max) break;
    out += ch;
    used += n;
  }
  return out;
}
