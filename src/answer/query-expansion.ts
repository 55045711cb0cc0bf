/**
 * 简称 ↔ 全称 and residents' words for the documents' words (word-lists/expansions.txt, with the
 * sources of its forms). A form is looked for in the question outside quotation marks: a resident
 * quoting “纪委” asks about those very characters.
 */
import { readFileSync } from 'node:fs';
import { wordBoundaries } from '../index/tokenizer.ts';

export interface Expansion {
  /** The form as it stands in the question. */
  form: string;
  /** What a passage may say instead. */
  alternatives: readonly string[];
}

export type ExpansionTable = ReadonlyMap<string, readonly string[]>;

/** Parses `A = B C` (all one thing) and `A > B C` (A also means B and C) lines; # comments. */
export function parseExpansions(text: string): ExpansionTable {
  const table = new Map<string, string[]>();
  const add = (form: string, alts: string[]) => {
    const list = table.get(form) ?? [];
    for (const a of alts) if (a !== form && !list.includes(a)) list.push(a);
    table.set(form, list);
  };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const m = /^(\S+)\s*([=>])\s*(.+)$/.exec(line);
    if (!m) throw new Error(`query-expansion: cannot read the line "${raw}" (want "A = B C" or "A > B C")`);
    const [, left, kind, right] = m as unknown as [string, string, string, string];
    const forms = right.split(/\s+/).filter(Boolean);
    add(left.toLowerCase(), forms.map((f) => f.toLowerCase()));
    if (kind === '=') for (const f of forms) add(f.toLowerCase(), [left, ...forms].map((x) => x.toLowerCase()));
  }
  return table;
}

export const EXPANSIONS: ExpansionTable = parseExpansions(
  readFileSync(new URL('./word-lists/expansions.txt', import.meta.url), 'utf8'),
);

// “…” ‘…’ "…" 「…」 『…』: what a resident quotes is matched as written.
const QUOTED = /“[^”]*”|‘[^’]*’|"[^"]*"|「[^」]*」|『[^』]*』/g;

/**
 * The table's forms found in the question outside quotes; a form inside a longer one found
 * (纪委 in 中纪委) is left to the longer one. A form must be a word of the question, or within
 * one (纪委 in 纪委书记), or start or end on a word boundary (三会一课 in 搞三会/一课, as jieba glues
 * 搞 on): characters that straddle two words (中办 in 集中/办班) are no form.
 */
export function findExpansions(question: string, table: ExpansionTable = EXPANSIONS): Expansion[] {
  const text = question.replace(QUOTED, ' ').toLowerCase();
  let boundaries: Set<number> | undefined;
  const isWord = (form: string) => {
    for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) {
      boundaries ??= wordBoundaries(text);
      const end = at + form.length;
      if (boundaries.has(at) || boundaries.has(end)) return true;
      let inside = true;
      for (let i = at + 1; i < end && inside; i++) if (boundaries.has(i)) inside = false;
      if (inside) return true;
    }
    return false;
  };
  const found = [...table.keys()].filter((f) => text.includes(f) && isWord(f)).sort((a, b) => b.length - a.length);
  const kept: string[] = [];
  for (const f of found) if (!kept.some((k) => k.includes(f))) kept.push(f);
  return kept.map((form) => ({ form, alternatives: table.get(form)! }));
}

/**
 * What a passage may hold instead of a question term: the alternatives of a found form the term is
 * part of (三会 of 三会一课), or the term with the form replaced (纪委书记 → 纪律检查委员会书记).
 */
export function termAlternatives(term: string, expansions: readonly Expansion[]): string[] {
  const out: string[] = [];
  for (const e of expansions) {
    if (e.form.includes(term)) out.push(...e.alternatives);
    else if (term.includes(e.form)) for (const a of e.alternatives) out.push(term.replace(e.form, a));
  }
  return out;
}
