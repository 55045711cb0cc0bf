/**
 * Chinese-aware chunking: structure first (headings, 第X章/第X条, （一）, 一、), then sentences
 * (。！？；), never inside a sentence unless one sentence alone is too long. Passages aim at
 * 300–450 characters with about one sentence of overlap, so a fact at a boundary is whole in at
 * least one passage. The figures were chosen on the eval (docs/EVALUATION.md).
 */
import type { SourceDocument } from './document.ts';
import type { Passage } from './passage.ts';
import { sentenceSpans } from './sentences.ts';

export interface ChunkOptions {
  /** A passage is closed at a structural break once it has this many characters. */
  minChars: number;
  /** A passage never grows past this (unless a single sentence is longer and cannot be cut). */
  maxChars: number;
  /** Carry the previous passage's last sentence over when it is at most this long. */
  overlapChars: number;
}

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { minChars: 300, maxChars: 450, overlapChars: 150 };

/** Bump when chunking changes: an index built by another version is then re-chunked. */
export const CHUNKER_VERSION = 1;

/** A structural marker at the start of a line: 第一章, 第十二条, （一）, 一、, 1. */
const STRUCTURE_LINE = /^(第[一二三四五六七八九十百零〇\d]+[章节条款部分篇]|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.、．]\s*\S)/u;
/** An enumerated point inside a paragraph: 一是…, 二是…, 其一, 首先. */
const ENUM_SENTENCE = /^([一二三四五六七八九十]+是|其[一二三四五六七八九十]|首先|其次|再次|最后)/u;

interface Sentence {
  start: number;
  end: number;
  /** True when a paragraph or structural item begins with this sentence. */
  opensParagraph: boolean;
  opensItem: boolean;
}

type Chunk = Omit<Passage, 'id'>;

export function chunkDocument(doc: SourceDocument, options: Partial<ChunkOptions> = {}): Chunk[] {
  const opts = { ...DEFAULT_CHUNK_OPTIONS, ...options };
  const sections = splitSections(doc);
  const chunks: Chunk[] = [];
  for (const section of sections) {
    const sentences = splitSentences(doc.text, section.start, section.end, opts.maxChars);
    packSentences(sentences, opts).forEach(([s, e]) => {
      chunks.push({ docId: doc.docId, title: doc.title, heading: section.heading, text: doc.text.slice(s, e), start: s, end: e });
    });
  }
  return chunks;
}

interface Section {
  heading: string;
  start: number;
  end: number;
}

/** Sections run from one heading (loader-found or a structural line) to the next. */
function splitSections(doc: SourceDocument): Section[] {
  const text = doc.text;
  const breaks: Array<{ at: number; bodyAt: number; heading: string }> = [];
  const headingStarts = new Map(doc.headings.map((h) => [h.start, h.text]));
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd).trim();
    const known = headingStarts.get(lineStart);
    if (known !== undefined) {
      breaks.push({ at: lineStart, bodyAt: lineEnd, heading: known });
    } else if (line && STRUCTURE_LINE.test(line)) {
      // A short structural line is a heading; a long one (第三条 + the article's text) opens a
      // section whose label is its first words, and its text stays in the passage.
      const short = line.length <= 40 && !/[。；]$/.test(line);
      breaks.push({ at: lineStart, bodyAt: short ? lineEnd : lineStart, heading: short ? line : leadOf(line) });
    }
    lineStart = lineEnd + 1;
  }
  const sections: Section[] = [];
  if (!breaks.length || breaks[0]!.at > 0) sections.push({ heading: '', start: 0, end: breaks[0]?.at ?? text.length });
  breaks.forEach((b, i) => {
    sections.push({ heading: b.heading, start: b.bodyAt, end: breaks[i + 1]?.at ?? text.length });
  });
  return sections;
}

function leadOf(line: string): string {
  const m = STRUCTURE_LINE.exec(line);
  return m ? m[0].trim() : line.slice(0, 10);
}

function splitSentences(text: string, from: number, to: number, maxChars: number): Sentence[] {
  const out: Sentence[] = [];
  const body = text.slice(from, to);
  let previousEnd = 0;
  for (const [s, e] of sentenceSpans(body)) {
    // Every line break lies between two sentences, so one in the gap starts a paragraph.
    const opensParagraph = out.length === 0 || body.slice(previousEnd, s).includes('\n');
    previousEnd = e;
    const piece = body.slice(s, e);
    for (const [ps, pe] of cutLong(piece, maxChars)) {
      const itemLine = STRUCTURE_LINE.test(piece) && ps === 0;
      out.push({
        start: from + s + ps,
        end: from + s + pe,
        opensParagraph: opensParagraph && ps === 0,
        opensItem: ps === 0 && (itemLine || ENUM_SENTENCE.test(piece)),
      });
    }
  }
  return out;
}

/** Cuts an over-long sentence at commas, else hard, into pieces of at most maxChars. */
function cutLong(piece: string, maxChars: number): Array<[number, number]> {
  if (piece.length <= maxChars) return [[0, piece.length]];
  const parts: Array<[number, number]> = [];
  let start = 0;
  while (piece.length - start > maxChars) {
    const window = piece.slice(start, start + maxChars);
    const comma = Math.max(window.lastIndexOf('，'), window.lastIndexOf(','), window.lastIndexOf('、'));
    const cut = comma > maxChars / 3 ? comma + 1 : maxChars;
    parts.push([start, start + cut]);
    start += cut;
  }
  parts.push([start, piece.length]);
  return parts;
}

/** Greedy packing; closes a passage at a paragraph/item start once it is long enough. */
function packSentences(sentences: Sentence[], opts: ChunkOptions): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let first = 0;
  while (first < sentences.length) {
    let last = first;
    let length = sentences[first]!.end - sentences[first]!.start;
    while (last + 1 < sentences.length) {
      const next = sentences[last + 1]!;
      const grown = next.end - sentences[first]!.start;
      if (grown > opts.maxChars) break;
      if (length >= opts.minChars && (next.opensParagraph || next.opensItem)) break;
      last++;
      length = grown;
    }
    out.push([sentences[first]!.start, sentences[last]!.end]);
    if (last + 1 >= sentences.length) break;
    // Overlap: start the next passage with this one's last sentence when it is short, so a
    // fact spanning the boundary stays whole; never when that sentence is the whole passage.
    const tail = sentences[last]!;
    const overlap = last > first && tail.end - tail.start <= opts.overlapChars && !sentences[last + 1]!.opensItem;
    first = overlap ? last : last + 1;
  }
  return out;
}
