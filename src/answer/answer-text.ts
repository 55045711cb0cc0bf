/**
 * Fixed resident-facing texts of the core and the plain-text layout of an answer. Chinese,
 * short and polite; no Markdown, since WeChat shows it raw.
 */
import type { Citation } from './types.ts';

export const REFUSAL_TEXT =
  '抱歉，现有资料中没有找到能回答这个问题的内容。建议您咨询所在社区的党群服务中心，工作人员会为您解答。';
export const EMPTY_QUESTION_TEXT = '您好，请用一句话写下您想了解的党建问题，例如：在职党员到社区报到的比例是多少？';
export const TRUNCATED_NOTE = '（问题较长，只按前 {n} 个字查找。）';

/** Where a citation sits in its document: heading when there is one, and its part number. */
export function citationLocation(c: Pick<Citation, 'heading' | 'title' | 'part' | 'parts'>): string {
  const heading = c.heading && c.heading !== c.title ? `${c.heading}，` : '';
  return `${heading}第${c.part}/${c.parts}段`;
}

export function sourcesBlock(citations: readonly Citation[]): string {
  if (!citations.length) return '';
  return ['来源：', ...citations.map((c) => `[${c.n}]《${c.title}》${citationLocation(c)}`)].join('\n');
}

export function answerText(body: string, citations: readonly Citation[], note?: string): string {
  return [note, body, sourcesBlock(citations)].filter(Boolean).join('\n\n');
}
