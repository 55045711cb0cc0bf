/**
 * Splits a long answer into chat messages at sentence boundaries: each part at most `maxChars`,
 * at most `maxParts` parts, the source list always last and never split from the final part's
 * end. Very long bodies are cut with a note pointing to 原文 N.
 */
import { sentencePieces } from '../corpus/sentences.ts';
import { REPLY_CUT_NOTE } from './replies.ts';

export interface SplitReplyOptions {
  /** Longest message; WeChat folds longer ones behind 全文. Default 500. */
  maxChars?: number;
  /** Most messages for one answer, so one question cannot flood a room. Default 3. */
  maxParts?: number;
}

/**
 * @param answer the full chat text (body, then sources), as `Answer.answer`
 * @param body the body alone, as `Answer.body`; the rest of `answer` is the source list
 */
export function splitReply(answer: string, body: string, options: SplitReplyOptions = {}): string[] {
  const max = options.maxChars ?? 500;
  const maxParts = options.maxParts ?? 3;
  const whole = answer.trim();
  if (whole.length <= max) return whole ? [whole] : [];

  const hasSources = body.trim() !== '' && answer.startsWith(body) && answer.slice(body.length).trim() !== '';
  const sources = hasSources ? answer.slice(body.length).trim() : '';
  const main = hasSources ? body.trim() : whole;
  const chunks = pack(sentencePieces(main), max);

  if (!sources) return chunks.length <= maxParts ? chunks : truncate(chunks, maxParts, max);
  const last = chunks[chunks.length - 1] ?? '';
  if (chunks.length <= maxParts && (last + '\n\n' + sources).length <= max) {
    return [...chunks.slice(0, -1), last + '\n\n' + sources];
  }
  if (chunks.length <= maxParts - 1) return [...chunks, sources];
  return [...truncate(chunks, Math.max(1, maxParts - 1), max), sources];
}

/** Greedy packing of sentences into parts of at most `max` characters. */
function pack(sentences: string[], max: number): string[] {
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim()) parts.push(current.trim());
    current = '';
  };
  for (const s of sentences) {
    if ((current + s).trim().length <= max) {
      current += s;
      continue;
    }
    flush();
    let rest = s;
    // A single sentence longer than a message is cut hard; rare in policy text.
    while (rest.trim().length > max) {
      parts.push(rest.slice(0, max).trim());
      rest = rest.slice(max);
    }
    current = rest;
  }
  flush();
  return parts;
}

function truncate(chunks: string[], keep: number, max: number): string[] {
  const kept = chunks.slice(0, keep);
  let last = kept[kept.length - 1] ?? '';
  if (last.length + REPLY_CUT_NOTE.length > max) {
    const room = max - REPLY_CUT_NOTE.length;
    // The whole sentences that fit; a hard cut only when not even the first one does.
    let head = '';
    for (const piece of sentencePieces(last)) {
      if ((head + piece).trimEnd().length > room) break;
      head += piece;
    }
    last = head.trim() ? head : last.slice(0, room);
  }
  kept[kept.length - 1] = last.trimEnd() + REPLY_CUT_NOTE;
  return kept;
}
