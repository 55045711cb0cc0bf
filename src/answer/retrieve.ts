/**
 * Hybrid retrieval: BM25 candidates and, when the index has vectors, dense candidates, fused
 * with reciprocal-rank fusion (Cormack, Clarke & Büttcher 2009, k = 60 as in the paper). Both
 * candidate lists stay on each result so `--explain` can show where a passage came from.
 */
import { articleText } from './article-text.ts';
import type { RetrievedPassage } from './types.ts';
import type { ScoredId, SearchBackend } from './search-backend.ts';

export const RRF_K = 60;
/** Candidates taken from each list before fusion. */
export const CANDIDATES = 50;

export interface Retrieval {
  passages: RetrievedPassage[];
  lexical: ScoredId[];
  dense: ScoredId[] | null;
  /** Why the dense list is missing although the index has vectors (the query could not be embedded). */
  denseError?: unknown;
}

export function fuse(lists: ReadonlyArray<readonly ScoredId[]>, k = RRF_K): Array<{ id: number; score: number }> {
  const scores = new Map<number, number>();
  for (const list of lists) {
    list.forEach((hit, rank) => scores.set(hit.id, (scores.get(hit.id) ?? 0) + 1 / (k + rank + 1)));
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id - b.id);
}

export async function retrieve(
  backend: SearchBackend,
  tokens: readonly string[],
  denseQuery: string,
  topK: number,
  /** Documents the question names (named-document.ts): their candidates go first, in fused order. */
  named: ReadonlySet<string> = new Set(),
): Promise<Retrieval> {
  const lexical = backend.lexicalSearch(tokens, CANDIDATES);
  // A query that cannot be embedded (an embeddings endpoint down or slow) still has its lexical
  // candidates: the resident gets the lexical answer, and the caller logs why.
  let dense: ScoredId[] | null = null;
  let denseError: unknown;
  if (backend.denseSearch && denseQuery) {
    try {
      dense = await backend.denseSearch(denseQuery, CANDIDATES);
    } catch (err) {
      denseError = err;
    }
  }
  let fused = fuse(dense ? [lexical, dense] : [lexical]);
  if (named.size) {
    const inNamed = (h: { id: number }) => named.has(backend.passages[h.id]!.docId);
    fused = [...fused.filter(inNamed), ...fused.filter((h) => !inNamed(h))];
  }
  const lexRank = new Map(lexical.map((h, i) => [h.id, { rank: i + 1, score: h.score }]));
  const denseRank = new Map((dense ?? []).map((h, i) => [h.id, { rank: i + 1, score: h.score }]));
  const passages = fused.slice(0, topK).map(({ id, score }): RetrievedPassage => {
    const p = backend.passages[id]!;
    const article = articleText(backend.passages, id);
    return {
      ...(article === undefined ? {} : { articleText: article }),
      passageId: id,
      docId: p.docId,
      title: p.title,
      heading: p.heading,
      text: p.text,
      start: p.start,
      end: p.end,
      loc: p.loc,
      ...backend.partOf(id),
      score,
      lexical: lexRank.get(id),
      dense: denseRank.get(id),
    };
  });
  return { passages, lexical, dense, ...(denseError !== undefined ? { denseError } : {}) };
}
