/**
 * The engine's plain-text replies as WeCom markdown: the source list of an answer (the
 * `来源：` block of answer/answer-text.ts) becomes a bulleted list under a bold heading, and the
 * heading of a 原文 N reply is bold. Everything else passes through: the body is corpus text that
 * staff put there, and WeCom shows a single newline as a line break.
 */
const SOURCES_HEADING = '来源：';
const SOURCE_LINE = /^\[\d+\]/;
const SOURCE_TEXT_HEADING = /^【来源 \d+】.*$/;

export function toWecomMarkdown(text: string): string {
  const lines = text.split('\n');
  const at = lines.lastIndexOf(SOURCES_HEADING);
  const items = at >= 0 ? lines.slice(at + 1) : [];
  // Only a real source block: the heading followed by nothing but `[n]《title》…` lines.
  if (items.length > 0 && items.every((l) => SOURCE_LINE.test(l))) {
    lines.splice(at, lines.length - at, `**来源**`, ...items.map((l) => `- ${l}`));
  }
  if (lines[0] !== undefined && SOURCE_TEXT_HEADING.test(lines[0])) lines[0] = `**${lines[0]}**`;
  return lines.join('\n');
}
