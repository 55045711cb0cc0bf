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

/**
 * The heading as context for search, with its line end, or '' when the passage text already
 * opens with it (heading lines are part of the text since chunker version 2): counted twice, a
 * heading word would outweigh the body.
 */
export function contextHeading(p: Pick<Passage, 'heading' | 'text'>): string {
  return p.heading && !p.text.startsWith(p.heading) ? `${p.heading}\n` : '';
}

/** What is embedded for a passage: title and heading give short passages their context. */
export function passageEmbeddingText(p: Pick<Passage, 'title' | 'heading' | 'text'>): string {
  const heading = p.heading !== p.title ? contextHeading(p).trim() : '';
  return `${heading ? `${p.title} ${heading}` : p.title}\n${p.text}`;
}
