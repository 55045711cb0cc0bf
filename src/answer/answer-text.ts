/**
 * Fixed resident-facing texts of the core and the plain-text layout of an answer. Chinese,
 * short and polite; no Markdown, since WeChat shows it raw.
 */
import type { Citation } from './types.ts';

export const REFUSAL_TEXT =
  '抱歉，现有资料中没有找到能回答这个问题的内容。建议您咨询所在社区的党群服务中心，工作人员会为您解答。';
export const EMPTY_QUESTION_TEXT = '您好，请用一句话写下您想了解的党建问题，例如：在职党员到社区报到的比例是多少？';
export const TRUNCATED_NOTE = '（问题较长，只按前 {n} 个字查找。）';
/** After a source that is one article answering the question whole (whole-article.ts). */
export const WHOLE_ANSWER_NOTE = '（本条即完整答案）';
/**
 * The opening of a middle answer (middle-answer.ts): the documents hold no direct answer, and what
 * follows is the nearest rule (an article of a regulation) or, elsewhere, the nearest passage.
 */
export const MIDDLE_ANSWER_PREFIX = '资料中没有直接的答案';
export const MIDDLE_LEAD_RULE = `${MIDDLE_ANSWER_PREFIX}，最相关的规定是：`;
export const MIDDLE_LEAD_TEXT = `${MIDDLE_ANSWER_PREFIX}，最相关的内容是：`;

/**
 * Where a citation sits in its document, as a reader looks it up: 第三章 第十二条, 第3页,
 * 「台账」第5–9行, 第2张, with 扫描件识别 when OCR read it; else its heading, else its part number.
 */
export function citationLocation(c: Pick<Citation, 'heading' | 'title' | 'part' | 'parts' | 'loc'>): string {
  return passageLabel(c) || `第${c.part}/${c.parts}段${c.loc?.ocr ? OCR_NOTE : ''}`;
}

const OCR_NOTE = '（扫描件识别）';

/**
 * The location a passage's citation shows, without the part-number fallback: '' when only the
 * part number is known. The model is given this beside each numbered passage (llm-composer.ts).
 */
export function passageLabel(c: Pick<Citation, 'heading' | 'title' | 'loc'>): string {
  const loc = c.loc ?? {};
  const parts: string[] = [];
  // A bare item marker (12、, （三）) labels a long line; it says nothing to a reader.
  const heading = c.heading && c.heading !== c.title && !BARE_MARKER.test(c.heading) ? c.heading : '';
  if (loc.article) {
    parts.push([loc.chapter, loc.article].filter(Boolean).join(' '));
  } else if (loc.chapter) {
    // A subheading under a chapter (1.1 …) says more than the chapter alone.
    parts.push(heading && !heading.startsWith(loc.chapter) ? `${loc.chapter} ${heading}` : loc.chapter);
  } else if (heading && !loc.sheet) {
    parts.push(heading);
  }
  if (loc.sheet !== undefined) parts.push(`「${loc.sheet}」${loc.rows ? span('第', loc.rows, '行') : ''}`);
  else if (loc.rows) parts.push(span('第', loc.rows, '行'));
  if (loc.slides) parts.push(span('第', loc.slides, '张'));
  if (loc.pages) parts.push(span('第', loc.pages, '页'));
  return parts.length ? parts.join('，') + (loc.ocr ? OCR_NOTE : '') : '';
}

const BARE_MARKER = /^[（(]?[一二三四五六七八九十百\d]+[）)、.．]?$/u;

function span(before: string, [from, to]: [number, number], after: string): string {
  return from === to ? `${before}${from}${after}` : `${before}${from}–${to}${after}`;
}

export function sourcesBlock(citations: readonly Citation[]): string {
  if (!citations.length) return '';
  return ['来源：', ...citations.map((c) => `[${c.n}]《${c.title}》${citationLocation(c)}${c.wholeAnswer ? WHOLE_ANSWER_NOTE : ''}`)].join('\n');
}

export function answerText(body: string, citations: readonly Citation[], note?: string): string {
  return [note, body, sourcesBlock(citations)].filter(Boolean).join('\n\n');
}
