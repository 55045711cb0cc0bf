import type { PassageLocation } from './passage-location.ts';

/** A retrievable unit of a document: a few sentences under one heading. */
export interface Passage {
  /** Dense integer id, stable within one index build: the vector label and BM25 doc number. */
  id: number;
  docId: string;
  title: string;
  /** The nearest section heading above the passage ('' when none). */
  heading: string;
  text: string;
  /** Character offsets of `text` in the document's `text` (end exclusive). */
  start: number;
  end: number;
  /** Chapter and article, pages, sheet rows, slides, OCR: see PassageLocation. Empty when unknown. */
  loc: PassageLocation;
}

/** What is embedded for a passage: title and heading give short passages their context. */
export function passageEmbeddingText(p: Pick<Passage, 'title' | 'heading' | 'text'>): string {
  const head = p.heading && p.heading !== p.title ? `${p.title} ${p.heading}` : p.title;
  return `${head}\n${p.text}`;
}
