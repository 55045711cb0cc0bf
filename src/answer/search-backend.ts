/**
 * What the answering core needs from a loaded index. The concrete one (BM25 postings, hnswlib
 * vectors, transformers.js query embedding) is assembled in src/knowledge-base.ts; answer/
 * never imports those libraries (STYLE: dependencies point inward).
 */
import type { Passage } from '../corpus/passage.ts';

export interface ScoredId {
  id: number;
  score: number;
}

export interface SearchBackend {
  readonly passages: readonly Passage[];
  /** Place of each passage in its document, 1-based, and the document's passage count. */
  partOf(id: number): { part: number; parts: number };
  lexicalSearch(tokens: readonly string[], k: number): ScoredId[];
  /** BM25 idf of a term over passages. */
  idf(term: string): number;
  /**
   * Present when the index has vectors and the model is loaded. Resolves null while dense search
   * is paused (the embedder failed a moment ago); rejects when the question cannot be embedded.
   */
  denseSearch?: (question: string, k: number) => Promise<ScoredId[] | null>;
}
