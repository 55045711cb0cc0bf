/**
 * Checks on a model's reply before a resident sees it (pure functions, no I/O). A reply is kept
 * only if it cites at least one of the passages it was given and every number in it can be found
 * in a cited passage; anything else throws LlmError so the caller falls back to the extractive
 * answer and logs the reason.
 *
 * Number rule. Arabic numbers are checked: integers, decimals, thousands separators (`12,000`
 * equals `12000`), percents (`95%` must appear as a percent in the source) and date parts
 * (`2019年`, `3月`, `5日`/`5号`; a source date written `2019-03-05` or `2019.3.5` counts too).
 * Full-width digits are folded to ASCII first. Quantities in Chinese numerals (三千, 二百二十三,
 * 二〇一九年) are checked too, against both forms in the source (三千 is supported by 3000 and the
 * other way round). A lone numeral character (三级网格, 一张网, 两学一做, 第一书记) is a word, not
 * a number, in this domain (chinese-numeral.ts), except in canonical form (normalize-figures.ts)
 * before a unit (三个月, 五元, 十日, both ends of 五至八名), after 第 in an article or clause
 * reference (第九条), and in a share (三分之二 = 2/3); so an invented "三个" is not caught, and
 * the prompt still asks the model to copy numbers as written.
 */
import { LlmError } from '../errors.ts';
import { chineseQuantities } from './chinese-numeral.ts';
import { normalizeFigures } from './normalize-figures.ts';
import type { LlmComposition, NumberedPassage } from './llm-composer.ts';

/** The exact reply the prompt asks for when the passages do not answer the question. */
export const DECLINE_SENTINEL = '无法回答';

/** Removes reasoning blocks that some models (deepseek-r1, qwen3 on Ollama) put in the content. */
export function stripThinking(text: string): string {
  const withoutClosed = text.replace(/<think>[\s\S]*?<\/think>/g, '');
  // An unclosed block (reply cut by max_tokens) is all reasoning.
  const open = withoutClosed.indexOf('<think>');
  return open === -1 ? withoutClosed : withoutClosed.slice(0, open);
}

/** Markdown to plain text for WeChat: fences, headings, bullets, emphasis, code, links, rules. */
export function stripMarkdown(text: string): string {
  const out: string[] = [];
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^\s*(```|~~~)/.test(raw)) continue; // fence lines go, their content stays
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(raw)) continue; // horizontal rule
    const line = raw
      .replace(/^\s{0,3}#{1,6}\s+/, '')
      .replace(/^\s*>\s?/, '')
      .replace(/^\s*(?:[-*+•·]\s+|\d{1,2}(?:[.)]\s+|、))/, '')
      .replace(/\*\*(.+?)\*\*/g, '$1')
      .replace(/__(.+?)__/g, '$1')
      .replace(/(^|[^*])\*([^*\s][^*]*?)\*(?!\*)/g, '$1$2')
      .replace(/`([^`]*)`/g, '$1')
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\*\*/g, '')
      .trim();
    if (line) out.push(line);
  }
  return out.join('\n');
}

export interface NormalizedCitations {
  /** The text with every marker written `[n]`, markers naming no passage removed. */
  text: string;
  /** Passage numbers still cited, ascending, unique. */
  cited: number[];
  /** Numbers that named no passage, in order of appearance. */
  dropped: number[];
}

// [1] 【1】 ［1］ [1,2] [1、2] [1-3]; at most 3 digits so a bracketed year is left alone.
const MARKER_GROUP = /\s*[[【［]\s*(\d{1,3}(?:\s*[,，、\-–~]\s*\d{1,3})*)\s*[\]】］]/g;

/** Rewrites citation markers to `[n]` and drops those whose n is not in `valid`. */
export function normalizeCitations(text: string, valid: ReadonlySet<number>): NormalizedCitations {
  const dropped: number[] = [];
  let out = text.replace(MARKER_GROUP, (_m, list: string) => {
    const keep: number[] = [];
    for (const n of expandMarkerList(list)) {
      if (valid.has(n)) keep.push(n);
      else dropped.push(n);
    }
    return keep.map((n) => `[${n}]`).join('');
  });
  // A run like [1][1][2] keeps each number once.
  out = out.replace(/(?:\[\d{1,3}\])+/g, (run) => {
    const seen = [...new Set(run.match(/\d+/g) ?? [])];
    return seen.map((n) => `[${n}]`).join('');
  });
  const numbers = [...out.matchAll(/\[(\d{1,3})\]/g)].map((m) => Number(m[1]));
  const cited = [...new Set(numbers.filter((n) => valid.has(n)))].sort((a, b) => a - b);
  return { text: out, cited, dropped };
}

function expandMarkerList(list: string): number[] {
  const nums: number[] = [];
  for (const part of list.split(/\s*[,，、]\s*/)) {
    const range = /^(\d+)\s*[-–~]\s*(\d+)$/.exec(part);
    if (range) {
      const a = Number(range[1]);
      const b = Number(range[2]);
      // A short ascending range only; anything else is read as its two ends.
      if (a <= b && b - a <= 10) for (let n = a; n <= b; n++) nums.push(n);
      else nums.push(a, b);
    } else {
      nums.push(Number(part));
    }
  }
  return nums;
}

export interface NumberMention {
  /** As written in the text, e.g. `12,000` or `95%`. */
  text: string;
  /** Comparison key: `12000`, `95%`, `2019年`, `3月`, `5日`, `3.5`. */
  key: string;
}

const NUMBER = /(\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.(\d+))?(?:\s*(%|年|月|日|号))?/g;

/** The Arabic numbers and date parts of a text (citation markers excluded), in order. */
export function extractNumbers(text: string): NumberMention[] {
  const folded = text.normalize('NFKC').replace(/\[\d{1,3}\]/g, ' ');
  const found: NumberMention[] = [];
  for (const m of folded.matchAll(NUMBER)) {
    found.push({ text: m[0].trim(), key: numberKey(m[1] ?? '', m[2], m[3]) });
  }
  return found;
}

function numberKey(intPart: string, frac: string | undefined, unit: string | undefined): string {
  const int = intPart.replace(/,/g, '').replace(/^0+(?=\d)/, '');
  const f = frac?.replace(/0+$/, '');
  const value = f ? `${int}.${f}` : int;
  if (unit === '%') return `${value}%`;
  if (unit && !f) return `${value}${unit === '号' ? '日' : unit}`;
  return value;
}

const SCALE: Record<string, number> = { 千: 1e3, 万: 1e4, 亿: 1e8 };
const SCALED = /(\d+(?:\.\d+)?)\s*(千|万|亿)/g;

/** The comparison key of a Chinese-numeral quantity, in extractNumbers' terms. */
function chineseKey(q: { value: number; year: boolean }): string {
  return q.year ? `${q.value}年` : String(q.value);
}

/** Every key a source text supports: each number bare and with its unit, and numeric dates. */
export function sourceNumberKeys(text: string): Set<string> {
  const keys = new Set<string>();
  // The canonical spelling adds what the source writes in words before a unit (一个月, 六至八名,
  // 百分之五), so a reply that writes 1个月, 6-8名 or 5% is supported (normalize-figures.ts).
  const canonical = normalizeFigures(text);
  for (const { key } of [...extractNumbers(text), ...extractNumbers(canonical)]) {
    keys.add(key);
    keys.add(key.replace(/[%年月日]$/, ''));
  }
  for (const m of canonical.matchAll(FRACTION)) keys.add(m[0]);
  // The same amount in the other script: 3万 supports 三万 (30000) and 三万 supports 3万 (3).
  for (const m of text.normalize('NFKC').matchAll(SCALED)) {
    keys.add(String(Math.round(Number(m[1]) * SCALE[m[2]!]!)));
  }
  for (const q of chineseQuantities(text)) {
    keys.add(chineseKey(q));
    keys.add(String(q.value));
    for (const unit of Object.values(SCALE)) if (q.value >= unit && q.value % unit === 0) keys.add(String(q.value / unit));
  }
  const folded = text.normalize('NFKC');
  for (const m of folded.matchAll(/(?<!\d)((?:19|20)\d{2})\s*[-./]\s*(\d{1,2})(?:\s*[-./]\s*(\d{1,2}))?(?!\d)/g)) {
    keys.add(`${m[1]}年`);
    keys.add(`${Number(m[2])}月`);
    if (m[3]) keys.add(`${Number(m[3])}日`);
  }
  return keys;
}

/**
 * True when the reply says the passages do not answer: it starts with the sentinel, or it is a
 * short uncited refusal (models paraphrase the sentinel, e.g. 资料中没有提到相关内容).
 */
export function isDecline(plain: string): boolean {
  const core = plain.replace(/[[【［]\s*\d[^\]】］]*[\]】］]/g, '').replace(/[\s\p{P}\p{S}]/gu, '');
  if (core.startsWith(DECLINE_SENTINEL)) return true;
  if (core.length > 40 || /[[【［]\s*\d/.test(plain)) return false;
  return /无法(回答|作答|确定|找到)|不能回答|不足以回答|(没有|未)(提到|提及|涉及|找到|相关)|不包含/.test(core);
}

export interface GroundingOptions {
  /** Longer bodies are cut at the last sentence end that fits. */
  maxBodyChars: number;
}

/** The whole check: reply text in, composition out; throws LlmError with the reason to reject. */
export function checkReply(reply: string, passages: NumberedPassage[], options: GroundingOptions): LlmComposition {
  const plain = stripMarkdown(stripThinking(reply));
  if (!plain) throw new LlmError('empty reply');
  if (isDecline(plain)) return { kind: 'declined' };

  const valid = new Set(passages.map((p) => p.n));
  let { text: body, cited, dropped } = normalizeCitations(plain, valid);
  if (cited.length === 0) {
    const named = dropped.length ? ` (markers ${dropped.map((n) => `[${n}]`).join('')} name no passage)` : '';
    throw new LlmError(`no valid citation${named}`);
  }
  if (body.length > options.maxBodyChars) {
    body = cutAtSentence(body, options.maxBodyChars);
    cited = normalizeCitations(body, valid).cited;
    if (cited.length === 0) throw new LlmError(`reply too long (${plain.length} chars) and no cited sentence fits`);
  }

  const keys = new Set<string>();
  for (const p of passages) {
    if (!cited.includes(p.n)) continue;
    // The label is what the model was shown as the passage's place (第十二条, 第3页): citing it is no invention.
    for (const k of sourceNumberKeys(`${p.title}\n${p.heading}\n${p.label ?? ''}\n${p.text}`)) keys.add(k);
  }
  for (const mention of extractNumbers(body)) {
    if (!keys.has(mention.key)) throw new LlmError(`invented number ${mention.text}`);
  }
  for (const q of chineseQuantities(body)) {
    if (!keys.has(chineseKey(q))) throw new LlmError(`invented number ${q.text}`);
  }
  const canonical = normalizeFigures(body.replace(/\[\d{1,3}\]/g, ' '));
  for (const m of canonical.matchAll(COUNTED_FIGURE)) {
    const unit = UNIT_KEY[m[3]!] ?? '';
    // Both ends of a range (五至八名 = 5-8名): the first is not before the unit.
    for (const n of [m[1], m[2]]) {
      if (n !== undefined && !keys.has(n) && !keys.has(n + unit)) throw new LlmError(`invented number ${m[0]}`);
    }
  }
  for (const m of canonical.matchAll(ARTICLE_NUMBER)) {
    if (!keys.has(m[1]!)) throw new LlmError(`invented number ${m[0]}`);
  }
  for (const m of canonical.matchAll(FRACTION)) {
    if (!keys.has(m[0])) throw new LlmError(`invented number ${m[0]}`);
  }
  return { kind: 'answer', body, cited };
}

/**
 * A figure (or a range) before a unit of time, counting or money, in canonical form: this catches
 * a lone numeral character that chineseQuantities leaves alone (三个月, 两名, 五元, 十日), which a
 * model could otherwise change (六个月 → 三个月) unnoticed. 余/多 may stand between (十余人).
 */
const COUNTED_FIGURE = /(?<![\d.\/])(?:(\d+(?:\.\d+)?)-)?(\d+(?:\.\d+)?)(?:余|多)?(个月|个工作日|年|月|日|号|天|周|小时|名|人|次|岁|倍|届|元|%)/g;
/** The key suffix a unit adds in extractNumbers' terms; other units are checked bare. */
const UNIT_KEY: Record<string, string> = { '%': '%', 年: '年', 月: '月', 日: '日', 号: '日' };
/** An article, clause or chapter a reply points to (第九条 for 第十一条 would send a resident to the wrong rule). */
const ARTICLE_NUMBER = /第(\d+)(?:条|款|章|节|项)/g;
/** A share in canonical form (三分之二 = 2/3), checked whole: 3/4 is not 2/3 with its parts elsewhere. */
const FRACTION = /(?<![\d.\/])\d+\/\d+(?![\d\/])/g;

/** The longest prefix ending at a sentence end (with its markers) within `max` characters. */
function cutAtSentence(body: string, max: number): string {
  let end = 0;
  for (const m of body.matchAll(/[。！？!?；;\n](?:\[\d{1,3}\])*/g)) {
    const e = (m.index ?? 0) + m[0].length;
    if (e > max) break;
    end = e;
  }
  return body.slice(0, end).trim();
}
