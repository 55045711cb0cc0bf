/**
 * WeChat's quoted-reply format as puppets deliver it as text:
 *   「张三：原来的消息」
 *   - - - - - - - - - - - - - - -
 *   回复的内容
 * The question is the reply after the separator line; the quote is kept for context only.
 */
export interface Unquoted {
  /** The text written by the sender (the whole text when there is no quote). */
  reply: string;
  quoted?: { name: string; text: string };
}

// A line of at least five dashes, optionally spaced; WeChat prints fifteen.
const SEPARATOR = /\n[ \t]*-(?:[ \t]*-){4,}[ \t]*(?:\n|$)/;

export function unquote(text: string): Unquoted {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('「')) return { reply: text };
  const sep = SEPARATOR.exec(trimmed);
  if (!sep) return { reply: text };
  const head = trimmed.slice(0, sep.index).trim();
  if (!head.endsWith('」')) return { reply: text };
  const inner = head.slice(1, -1);
  const colon = inner.search(/[：:]/);
  const quoted =
    colon > 0 ? { name: inner.slice(0, colon).trim(), text: inner.slice(colon + 1).trim() } : { name: '', text: inner.trim() };
  return { reply: trimmed.slice(sep.index + sep[0].length), quoted };
}
