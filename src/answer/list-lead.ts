/**
 * Rules list what they contain under a lead line: 党史学习教育工作的主要任务是： then （一）学史明理。
 * （二）学史增信。… A resident asking 有哪几条/有哪些 wants the list, and no item repeats the
 * question's words (the lead does), so sentence by sentence the list is never quoted. A lead with
 * two or more items following it is one quotable span: the lead and each item's opening, each
 * part verbatim.
 */
import { lineSpans } from '../corpus/sentences.ts';

export interface ListLead {
  /** Offsets in the passage text, lead line to the end of the last item. */
  start: number;
  end: number;
  /** End of the lead line itself. */
  leadEnd: number;
  /** The lead line: what the list is about. */
  lead: string;
  /** The lead followed by each item's opening (its first sentence, or its first clause cut with …). */
  text: string;
}

// （一） (1) 一、 1、 1. — not 1.5 or 2019.
const ITEM = /^(?:[（(](?:[一二三四五六七八九十]+|\d{1,2})[）)]|[一二三四五六七八九十]+、|\d{1,2}[、.．](?!\d))/u;
const LEAD_END = /[：:]$/u;
/** An item's opening is its first sentence when it is this short, else its first clause. */
const OPENING_CHARS = 32;

export function listLeads(text: string): ListLead[] {
  const lines = lineSpans(text);
  const out: ListLead[] = [];
  for (let i = 0; i < lines.length; i++) {
    const lead = lines[i]!;
    if (!LEAD_END.test(lead.line)) continue;
    const items: Array<{ line: string; at: number }> = [];
    for (let j = i + 1; j < lines.length && ITEM.test(lines[j]!.line); j++) items.push(lines[j]!);
    if (items.length < 2) continue;
    const last = items[items.length - 1]!;
    out.push({ start: lead.at, end: last.at + last.line.length, leadEnd: lead.at + lead.line.length, lead: lead.line, text: lead.line + items.map((it) => opening(it.line)).join('') });
    i += items.length;
  }
  return out;
}

function opening(item: string): string {
  const sentence = /^[^。！？；!?;]*[。！？；!?;]/u.exec(item)?.[0] ?? item;
  if (sentence.length <= OPENING_CHARS) return sentence;
  const clause = /^[^，,：:]*[，,：:]/u.exec(item)?.[0];
  if (clause && clause.length <= OPENING_CHARS) return clause.slice(0, -1) + '…';
  return item.slice(0, OPENING_CHARS) + '…';
}
