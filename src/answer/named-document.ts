/**
 * A question that names its document (“节约条例里说的浪费指啥”, “按《条例》…”, “十九大报告里…”)
 * should be answered from that document first: BM25 sees only passage text, so passages of other
 * documents that repeat the topic words would otherwise win.
 *
 * A name is a 《…》 title, or the run of Han characters (up to NAME_MAX) ending in a document word
 * (条例, 报告, 办法 …). A document is named when NAME_MATCH of the name's character pairs are in
 * its title or its file name (residents shorten: 党史学习教育条例 for 党史学习教育工作条例); only
 * the best-matching documents count, and a name of fewer than two pairs found names none.
 */
import type { Passage } from '../corpus/passage.ts';
import { matchableText } from './term-presence.ts';

const DOC_WORD = '条例|报告|章程|党章|办法|规定|细则|通知|方案|意见|批复|请示|样表|登记表|审批表|报表|台账|问卷|题库|需求书|流程图|汇报|要点';
const NAME_MAX = 12;
const NAMED = new RegExp(`《([^》]{2,40})》|([\\p{Script=Han}]{0,${NAME_MAX}}?(${DOC_WORD}))`, 'gu');
/** Share of a name's character pairs a document's names must hold. */
export const NAME_MATCH = 0.6;

interface TitleIndex {
  docs: string[];
  /** Character pair → indexes into docs whose title or file name holds it. */
  pairs: Map<string, number[]>;
}

const cache = new WeakMap<readonly Passage[], TitleIndex>();

/** Built once per loaded index (the passages array), in one pass over its passages. */
function titleIndex(passages: readonly Passage[]): TitleIndex {
  let index = cache.get(passages);
  if (index) return index;
  index = { docs: [], pairs: new Map() };
  const seen = new Set<string>();
  const raw: string[] = [];
  for (const p of passages) {
    if (seen.has(p.docId)) continue;
    seen.add(p.docId);
    index.docs.push(p.docId);
    raw.push(`${p.title}\t${p.docId.slice(p.docId.lastIndexOf('/') + 1)}`.replace(/\n/g, ' '));
  }
  // One conversion of all names at once: OpenCC's cost is per call, and a call per document
  // made opening a 20,000-document index 0.7 s slower (npm run bench, load).
  const names = matchableText(raw.join('\n')).split('\n');
  for (const [at, name] of names.entries()) {
    for (const pair of new Set(pairsOf(name))) {
      const list = index.pairs.get(pair) ?? [];
      list.push(at);
      index.pairs.set(pair, list);
    }
  }
  cache.set(passages, index);
  return index;
}

function pairsOf(s: string): string[] {
  const chars = [...s];
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) {
    const pair = chars[i]! + chars[i + 1]!;
    // 的 joins any two words (转正的批复, 同意辞职的批复): a pair holding it names nothing.
    if (!/[\s的]/.test(pair)) out.push(pair);
  }
  return out;
}

/** The names a question gives its document, as written: each ends in its document word. */
export function documentNames(question: string): Array<{ name: string; word: string }> {
  const names: Array<{ name: string; word: string }> = [];
  for (const m of matchableText(question).matchAll(NAMED)) {
    if (m[1] !== undefined) names.push({ name: m[1], word: '' });
    else names.push({ name: m[2]!, word: m[3]! });
  }
  return names;
}

/**
 * The docIds the question names (empty when it names none). The run before a document word often
 * starts with other words of the question (人大机关也要执行厉行节约条例), so its suffixes are tried,
 * longest first, and the first that names a document counts.
 */
export function namedDocuments(question: string, passages: readonly Passage[]): Set<string> {
  const out = new Set<string>();
  const names = documentNames(question);
  if (!names.length) return out;
  const index = titleIndex(passages);
  for (const { name, word } of names) {
    const chars = [...name];
    const wordLength = [...word].length;
    for (let from = 0; chars.length - from >= 3; from++) {
      // A document word alone (登记表) names a document only where one document has it.
      const bare = chars.length - from <= wordLength;
      const pairs = [...new Set(pairsOf(chars.slice(from).join('')))];
      const hits = new Map<number, number>();
      for (const pair of pairs) for (const d of index.pairs.get(pair) ?? []) hits.set(d, (hits.get(d) ?? 0) + 1);
      let best = 0;
      for (const n of hits.values()) best = Math.max(best, n);
      if (best < 2 || best / pairs.length < NAME_MATCH) continue;
      const top = [...hits].filter(([, n]) => n === best).map(([d]) => index.docs[d]!);
      if (bare && top.length > 1) break;
      for (const d of top) out.add(d);
      break;
    }
  }
  return out;
}
