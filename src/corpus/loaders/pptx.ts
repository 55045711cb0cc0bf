import nodePath from 'node:path/posix';
import { LoadError } from '../../errors.ts';
import { normalizeLine } from '../normalize-text.ts';
import { TextBuilder } from '../text-builder.ts';
import { childElement, childElements, childPath, findElements, textOf, type XmlElement } from '../xml-tree.ts';
import type { Extracted, Loader } from './extracted.ts';
import { openPackageParts } from './package-parts.ts';

/**
 * `.pptx` (PresentationML), through fflate and fast-xml-parser.
 *
 * - Slides in presentation order: presentation.xml's sldIdLst through its relationships, never
 *   by file name (slide7.xml may be shown third). Each slide is marked (`mark({ slide })`, 1-based).
 * - Shapes in the order the slide tree lists them (groups included); the title placeholder is the
 *   slide's heading. A top-level paragraph starts a block and its nested bullets (lvl ≥ 1) follow
 *   it line by line, so an item stays with its sub-items.
 * - Tables: one line per row, cells joined by ` | `. Charts: the title, then per series its
 *   name and each category with its value. SmartArt: its nodes' text, one a line, in data order.
 * - Speaker notes (the notes slide's body) follow the slide, their first line prefixed 备注：.
 * - Slide-number fields (on slides and notes) are dropped under `page-number`.
 * - Pictures are not text and count for nothing; text inside screenshots needs OCR, which is not
 *   done for images inside a deck.
 * - Title: docProps/core.xml dc:title when it is not a tool default.
 */
export const loadPptx: Loader = async (bytes, path): Promise<Extracted> => {
  const pkg = openPackageParts(bytes, path, 'pptx');
  const part = (file: string) => pkg.xml(file);
  const presentation = part('ppt/presentation.xml');
  if (!presentation) throw new LoadError(path, 'not a PowerPoint file (a zip without ppt/presentation.xml)');
  const presRels = relationships(part, 'ppt/presentation.xml');

  const b = new TextBuilder();
  const ids = childElements(childElement(presentation, 'sldIdLst'), 'sldId');
  ids.forEach((sldId, i) => {
    const slideFile = presRels.get(sldId.attrs.id ?? '');
    const slide = slideFile ? part(slideFile) : undefined;
    if (!slideFile || !slide) throw new LoadError(path, `corrupt pptx (slide ${i + 1} is missing)`);
    b.mark({ slide: i + 1 });
    const rels = relationships(part, slideFile);
    writeTree(b, childPath(slide, 'cSld', 'spTree'), { part, rels });
    const notesFile = [...rels.values()].find((t) => t.includes('notesSlides/'));
    const notes = notesFile ? part(notesFile) : undefined;
    if (notes) writeNotes(b, childPath(notes, 'cSld', 'spTree'));
    b.endLine(true);
  });
  const title = usableTitle(textOf(childElement(part('docProps/core.xml'), 'title')));
  return { ...b.build(), ...(title ? { title } : {}) };
};

interface SlideParts {
  part: (file: string) => XmlElement | undefined;
  /** Relationship id -> part name, for this slide. */
  rels: Map<string, string>;
}

/** Relationship id -> target part (resolved against the source part's folder). */
function relationships(part: (file: string) => XmlElement | undefined, source: string): Map<string, string> {
  const dir = nodePath.dirname(source);
  const relsFile = nodePath.join(dir, '_rels', `${nodePath.basename(source)}.rels`);
  const out = new Map<string, string>();
  for (const rel of childElements(part(relsFile), 'Relationship')) {
    if (rel.attrs.TargetMode === 'External' || !rel.attrs.Id || !rel.attrs.Target) continue;
    const target = rel.attrs.Target.startsWith('/') ? rel.attrs.Target.slice(1) : nodePath.normalize(nodePath.join(dir, rel.attrs.Target));
    out.set(rel.attrs.Id, target);
  }
  return out;
}

const TITLE_TYPES = new Set(['title', 'ctrTitle']);

/** Shapes of a slide tree (or group) in order. */
function writeTree(b: TextBuilder, tree: XmlElement | undefined, slide: SlideParts): void {
  for (const shape of childElements(tree)) {
    if (shape.name === 'grpSp') writeTree(b, shape, slide);
    else if (shape.name === 'sp') writeShape(b, shape);
    else if (shape.name === 'graphicFrame') writeFrame(b, shape, slide);
    // pic, cxnSp: no text.
  }
}

function placeholderType(shape: XmlElement): string | undefined {
  const ph = childPath(shape, 'nvSpPr', 'nvPr', 'ph');
  return ph ? (ph.attrs.type ?? 'body') : undefined;
}

function writeShape(b: TextBuilder, shape: XmlElement): void {
  const body = childElement(shape, 'txBody');
  if (!body) return;
  const type = placeholderType(shape);
  if (type === 'sldNum') {
    b.drop('page-number', [...normalizeLine(textOf(body))].length);
    return;
  }
  if (type && TITLE_TYPES.has(type)) {
    b.heading(1, paragraphs(b, body).map((p) => p.lines.join(' ')).join(' '));
    return;
  }
  writeParagraphs(b, paragraphs(b, body));
}

interface Paragraph {
  level: number;
  /** The paragraph's text, split at its line breaks (a:br). */
  lines: string[];
}

/** A text body's paragraphs; slide-number fields are counted as dropped. */
function paragraphs(b: TextBuilder, body: XmlElement): Paragraph[] {
  const out: Paragraph[] = [];
  for (const p of childElements(body, 'p')) {
    const lines = [''];
    for (const run of childElements(p)) {
      if (run.name === 'r') lines[lines.length - 1] += textOf(childElement(run, 't'));
      else if (run.name === 'br') lines.push('');
      else if (run.name === 'fld') {
        const text = textOf(childElement(run, 't'));
        if (run.attrs.type === 'slidenum') b.drop('page-number', [...normalizeLine(text)].length);
        else lines[lines.length - 1] += text;
      }
    }
    const kept = lines.flatMap((l) => l.split('\v')).map(normalizeLine).filter((l) => l !== '');
    if (kept.length > 0) out.push({ level: Number(childElement(p, 'pPr')?.attrs.lvl ?? 0) || 0, lines: kept });
  }
  return out;
}

function writeParagraphs(b: TextBuilder, paras: Paragraph[]): void {
  for (const p of paras) {
    // A top-level item opens a block; its sub-items stay in it, one a line.
    if (p.level === 0) b.endLine(true);
    for (const line of p.lines) b.add(line).endLine();
  }
  b.endLine(true);
}

function writeNotes(b: TextBuilder, tree: XmlElement | undefined): void {
  const paras: Paragraph[] = [];
  for (const shape of findElements(tree, 'sp')) {
    const type = placeholderType(shape);
    const body = childElement(shape, 'txBody');
    if (!body) continue;
    if (type === 'sldNum') b.drop('page-number', [...normalizeLine(textOf(body))].length);
    else if (type === 'body' || type === undefined) paras.push(...paragraphs(b, body));
    // sldImg (the slide's picture), header, footer, date: not notes.
  }
  if (paras.length === 0) return;
  paras[0]!.lines[0] = `备注：${paras[0]!.lines[0]}`;
  b.endLine(true);
  for (const p of paras) for (const line of p.lines) b.add(line).endLine();
  b.endLine(true);
}

/** A table or a chart in a graphic frame. */
function writeFrame(b: TextBuilder, frame: XmlElement, slide: SlideParts): void {
  const data = childPath(frame, 'graphic', 'graphicData');
  const table = childElement(data, 'tbl');
  if (table) {
    b.endLine(true);
    for (const tr of childElements(table, 'tr')) {
      const cells = childElements(tr, 'tc')
        .filter((tc) => tc.attrs.hMerge !== '1' && tc.attrs.vMerge !== '1')
        .map((tc) => normalizeLine(paragraphs(b, childElement(tc, 'txBody') ?? tc).flatMap((p) => p.lines).join(' ')))
        .filter((c) => c !== '');
      if (cells.length > 0) b.add(cells.join(' | ')).endLine();
    }
    b.endLine(true);
    return;
  }
  // SmartArt: the diagram's text lives in its data part, one node per point (connectors and
  // layout points carry none).
  const diagram = childElement(data, 'relIds');
  const dataFile = diagram && slide.rels.get(diagram.attrs.dm ?? '');
  const model = dataFile ? slide.part(dataFile) : undefined;
  if (model) {
    b.endLine(true);
    for (const pt of findElements(childElement(model, 'ptLst'), 'pt')) {
      if (pt.attrs.type !== undefined && pt.attrs.type !== 'node') continue;
      const text = childElement(pt, 't');
      if (text) for (const p of paragraphs(b, text)) for (const line of p.lines) b.add(line).endLine();
    }
    b.endLine(true);
    return;
  }
  const chartRef = childElement(data, 'chart');
  const chartFile = chartRef && slide.rels.get(chartRef.attrs.id ?? '');
  const chart = chartFile ? slide.part(chartFile) : undefined;
  if (chart) writeChart(b, childElement(chart, 'chart'));
}

function writeChart(b: TextBuilder, chart: XmlElement | undefined): void {
  b.endLine(true);
  const title = normalizeLine(findElements(childElement(chart, 'title'), 't').map(textOf).join(''));
  if (title) b.add(title).endLine();
  for (const ser of findElements(childElement(chart, 'plotArea'), 'ser')) {
    const name = normalizeLine(cachedValues(childElement(ser, 'tx')).join(''));
    const cats = cachedValues(childElement(ser, 'cat'));
    const vals = cachedValues(childElement(ser, 'val'));
    const pairs = vals.map((v, i) => (cats[i] ? `${cats[i]} ${v}` : v));
    if (pairs.length > 0) b.add(`${name ? `${name}：` : ''}${pairs.join('；')}`).endLine();
  }
  b.endLine(true);
}

/** The cached point values (c:pt/c:v) of a chart reference, by point index. */
function cachedValues(el: XmlElement | undefined): string[] {
  const out: string[] = [];
  for (const pt of findElements(el, 'pt')) out[Number(pt.attrs.idx ?? out.length)] = normalizeLine(textOf(childElement(pt, 'v')));
  if (out.length === 0) for (const v of findElements(el, 'v')) out.push(normalizeLine(textOf(v)));
  return Array.from(out, (v) => v ?? '');
}

/** PowerPoint's default titles say nothing about the deck. */
function usableTitle(raw: string): string | undefined {
  const t = normalizeLine(raw);
  if (t === '' || /^(PowerPoint\s*(演示文稿|Presentation)|幻灯片\s*\d*|Slide\s*\d*)$/i.test(t)) return undefined;
  return t;
}
