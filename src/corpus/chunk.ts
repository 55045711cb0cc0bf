/**
 * Chinese-aware chunking: structure first (headings, 第X章/第X条, （一）, 一、), then sentences
 * (。！？；), never inside a sentence unless one sentence alone is too long. Passages aim at
 * 300–450 characters with about one sentence of overlap, so a fact at a boundary is whole in at
 * least one passage. The figures were chosen on the eval (docs/EVALUATION.md).
 *
 * Nothing of the document's text is left out: heading lines are part of the passage that follows
 * them (a heading that carries an article's text is that article), so every character can be
 * cited. Each passage records its place (chapter and article, pages, sheet rows, slides) from the
 * structure lines and the loader's marks.
 */
import type { SourceDocument } from './document.ts';
import type { Passage } from './passage.ts';
import type { PassageLocation } from './passage-location.ts';
import { sentenceSpans } from './sentences.ts';
import type { SourceMark } from './source-mark.ts';

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
export const CHUNKER_VERSION = 2;

const NUMERAL = '[一二三四五六七八九十百千零〇两\\d]+';
/** 第X编/部分/章/节/条 at the start of a line, with what kind of unit it opens. */
const UNIT_LINE = new RegExp(`^第${NUMERAL}(编|部分|章|节|条)`, 'u');
/** A structural marker at the start of a line: 第一章, 第十二条, （一）, 一、, 1. */
const STRUCTURE_LINE = new RegExp(
  `^(第${NUMERAL}[章节条款部分篇编]|[（(][一二三四五六七八九十\\d]+[）)]|[一二三四五六七八九十]+、|\\d+[.、．]\\s*\\S)`,
  'u',
);
/** An enumerated point inside a paragraph: 一是…, 二是…, 其一, 首先. */
const ENUM_SENTENCE = /^([一二三四五六七八九十]+是|其[一二三四五六七八九十]|首先|其次|再次|最后)/u;
/** A document with at least this many 第X条 lines is a regulation: its articles are its units. */
const MIN_ARTICLES = 2;

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
  const chunks: Chunk[] = [];
  for (const section of splitSections(doc)) {
    const sentences = splitSentences(doc.text, section.start, section.end, opts.maxChars);
    const spans = section.end - section.start <= opts.maxChars && sentences.length > 0
      ? [[sentences[0]!.start, sentences.at(-1)!.end] as [number, number]]
      : packSentences(sentences, opts);
    for (const [s, e] of spans) {
      const loc: PassageLocation = { ...section.loc, ...markLocation(doc.marks, s, e) };
      if (section.loc.article && spans.length === 1) loc.wholeArticle = true;
      chunks.push({ docId: doc.docId, title: doc.title, heading: section.heading, text: doc.text.slice(s, e), start: s, end: e, loc });
    }
  }
  return chunks;
}

interface Section {
  heading: string;
  start: number;
  end: number;
  loc: Pick<PassageLocation, 'chapter' | 'article'>;
}

interface Break {
  at: number;
  /** Where the heading line ends: a section holding nothing after it joins the next one. */
  lineEnd: number;
  /** The line is a label only (第一章 总则); false when it carries text (第三条 党员必须……). */
  labelOnly: boolean;
  heading: string;
  /** Set on 第X编/部分/章/节 lines: the chapter path from here on. */
  chapter?: string;
  article?: string;
}

/**
 * Sections run from one heading (loader-found or a structural line) to the next, heading line
 * included. In a regulation the articles are the units, so （一） and 1. inside an article are
 * items of it, not sections of their own, and an article that fits stays one passage.
 */
function splitSections(doc: SourceDocument): Section[] {
  const text = doc.text;
  const headingStarts = new Map(doc.headings.map((h) => [h.start, h.text]));
  const lines: Array<{ start: number; end: number; line: string }> = [];
  for (let lineStart = 0; lineStart <= text.length; ) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    lines.push({ start: lineStart, end: lineEnd, line: text.slice(lineStart, lineEnd).trim() });
    lineStart = lineEnd + 1;
  }
  const isRegulation = lines.filter((l) => unitOf(l.line)?.unit === '条').length >= MIN_ARTICLES;

  const breaks: Break[] = [];
  // The chapter path: one label per level (编/部分, 章, 节), deeper ones cleared by a new one.
  const path: Array<string | undefined> = [];
  let article: string | undefined;
  for (const { start, end, line } of lines) {
    if (!line) continue;
    const known = headingStarts.get(start);
    const unit = unitOf(line);
    const structural = isRegulation ? unit !== undefined : STRUCTURE_LINE.test(line);
    if (known === undefined && !structural) continue;
    // A short structural line is a heading; a long one (第三条 + the article's text) is labelled
    // by its first words.
    const short = line.length <= 40 && !/[。；]$/.test(line);
    const heading = known ?? (short ? line : leadOf(line));
    const b: Break = { at: start, lineEnd: end, heading, labelOnly: short };
    if (unit && unit.unit !== '条') {
      const level = unit.unit === '章' ? 1 : unit.unit === '节' ? 2 : 0;
      path.length = level;
      path[level] = unit.label;
      b.chapter = path.filter(Boolean).join(' ');
      article = undefined;
    } else {
      b.chapter = path.filter(Boolean).join(' ') || undefined;
      if (unit) article = unit.label;
      // A heading the loader found inside an article (Word's （一） list styled as a heading)
      // is still part of that article.
      else if (isRegulation && known !== undefined && /^[（(][^）)]{1,4}[）)]|^\d+[.、．]/u.test(line)) b.article = article;
      else article = undefined;
      if (unit) b.article = unit.label;
    }
    breaks.push(b);
  }

  const sections: Section[] = [];
  const firstAt = breaks[0]?.at ?? text.length;
  if (firstAt > 0) sections.push({ heading: '', start: 0, end: firstAt, loc: {} });
  let carryFrom: number | undefined;
  breaks.forEach((b, i) => {
    const end = breaks[i + 1]?.at ?? text.length;
    const start = carryFrom ?? b.at;
    // Only the heading line: it opens the next section instead of standing alone.
    if (b.labelOnly && text.slice(b.lineEnd, end).trim() === '' && i + 1 < breaks.length) {
      carryFrom = start;
      return;
    }
    carryFrom = undefined;
    const loc: Section['loc'] = {};
    if (b.chapter) loc.chapter = b.chapter;
    if (b.article) loc.article = b.article;
    sections.push({ heading: b.heading, start, end, loc });
  });
  return sections;
}

/** 第X编/部分/章/节/条 at the start of a line, with its label (`第十二条`). */
function unitOf(line: string): { unit: string; label: string } | undefined {
  const m = UNIT_LINE.exec(line);
  return m ? { unit: m[1]!, label: m[0] } : undefined;
}

/** The label of a long structural line: its marker alone (第三条, （二）, 12、), never a cut word. */
function leadOf(line: string): string {
  const m = /^(第[^章节条款部分篇编]{1,8}[章节条款部分篇编]|[（(][^）)]{1,4}[）)]|[一二三四五六七八九十]+、|\d+[.、．])/u.exec(line);
  return m ? m[0] : line.slice(0, 10);
}

/** Pages, sheet rows, slides and OCR of the marks that cover [start, end). */
function markLocation(marks: readonly SourceMark[], start: number, end: number): PassageLocation {
  const loc: PassageLocation = {};
  if (!marks.length) return loc;
  // The mark in force at `start` (the last one beginning at or before it) and those beginning
  // inside the passage; text before the first mark has none.
  let inForce = -1;
  while (inForce + 1 < marks.length && marks[inForce + 1]!.start <= start) inForce++;
  const covering = marks.filter((m, i) => i === inForce || (m.start > start && m.start < end));
  if (!covering.length) return loc;
  const range = (values: Array<number | undefined>): [number, number] | undefined => {
    const v = values.filter((x): x is number => x !== undefined);
    return v.length ? [Math.min(...v), Math.max(...v)] : undefined;
  };
  const pages = range(covering.map((m) => m.page));
  if (pages) loc.pages = pages;
  // A passage belongs to one sheet (each opens with its heading); a CSV's rows have no sheet.
  const sheet = covering.find((m) => m.sheet !== undefined)?.sheet;
  if (sheet !== undefined) loc.sheet = sheet;
  const rows = range(covering.filter((m) => m.sheet === sheet).map((m) => m.row));
  if (rows) loc.rows = rows;
  const slides = range(covering.map((m) => m.slide));
  if (slides) loc.slides = slides;
  if (covering.some((m) => m.ocr)) loc.ocr = true;
  return loc;
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
