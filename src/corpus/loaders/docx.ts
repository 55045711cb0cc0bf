import { LoadError } from '../../errors.ts';
import { isBlankLabelLine, visibleLength } from '../blank-field.ts';
import { joiner } from '../cjk.ts';
import { normalizeLine } from '../normalize-text.ts';
import { writeTable, type TableCell, type TableRow } from '../table-rows.ts';
import { TextBuilder } from '../text-builder.ts';
import type { Extracted, Loader } from './extracted.ts';
import { WordNumbering } from './word-numbering.ts';
import { readNumPr, WordStyles } from './word-styles.ts';
import { XMLValidator } from 'fast-xml-parser';
import { childElement, childElements, childPath, findElements, parseXml, textOf, type XmlElement } from '../xml-tree.ts';
import { ZipArchive } from '../zip-archive.ts';

const OFFICE_DOCUMENT = /\/officeDocument$/;
// The main part of a document, a template (.dotx), and their macro-enabled twins (.docm/.dotm).
const MAIN_CONTENT_TYPE = /wordprocessingml\.(document|template)\.main\+xml$|ms-word\.(document|template)\.macroEnabled(\.main)?\+xml$/;

/**
 * `.docx` and `.dotx`: the main document part walked in order, by hand over fflate and
 * fast-xml-parser, because no kept library restores Word's automatic numbering (mammoth drops
 * it, and it rejects templates). Numbering from numbering.xml, also when a heading style carries
 * it (第%1章 / 第%2条 / （%3）); heading styles become headings; tables become one line per row
 * with column headers (see writeTable); headers, footers, footnotes, the glossary (building
 * blocks) and customUI are other parts and never read as body. Title from docProps/core.xml
 * when it is a real title.
 */
export const loadDocx: Loader = async (bytes, path): Promise<Extracted> => {
  const zip = openDocx(bytes, path);
  const mainName = mainPartName(zip, path);
  const contentType = contentTypeOf(zip, mainName, path);
  if (contentType !== undefined && !MAIN_CONTENT_TYPE.test(contentType)) {
    throw new LoadError(path, `not a Word document (main part is ${contentType})`);
  }
  const document = xmlPart(zip, mainName, path);
  if (!document) throw new LoadError(path, 'corrupt docx (no main document part)');
  const partDir = mainName.includes('/') ? mainName.slice(0, mainName.lastIndexOf('/') + 1) : '';
  const rels = relationships(zip, relsNameOf(mainName), path);
  const partOf = (type: string) => [...rels.values()].find((r) => r.type.endsWith(`/${type}`))?.target;
  const stylesName = partOf('styles') ?? 'styles.xml';
  const numberingName = partOf('numbering') ?? 'numbering.xml';
  const styles = new WordStyles(rootOf(xmlPart(zip, partDir + stylesName, path), 'styles'));
  const numbering = new WordNumbering(rootOf(xmlPart(zip, partDir + numberingName, path), 'numbering'));

  const body = childPath(rootOf(document, 'document'), 'body');
  if (!body) throw new LoadError(path, 'corrupt docx (document has no body)');
  const b = new TextBuilder();
  new BodyWriter(styles, numbering, b).blocks(childElements(body));
  // Running headers and footers (page numbers included) are other parts: counted, not indexed.
  for (const rel of rels.values()) {
    if (!/\/(header|footer)$/.test(rel.type)) continue;
    const part = xmlPart(zip, partDir + rel.target, path);
    if (part) b.drop('running-header', visibleLength(textOf(part)));
  }
  const title = coreTitle(zip, path);
  return { ...b.build(), ...(title ? { title } : {}) };
};

/** OLE2 compound file signature: legacy .doc, and also any password-protected OOXML file. */
const OLE_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

function openDocx(bytes: Buffer, path: string): ZipArchive {
  // An encrypted docx is not a zip but an OLE container holding the encrypted package.
  if (bytes.subarray(0, 8).equals(OLE_SIGNATURE)) {
    throw new LoadError(path, 'encrypted docx or an old binary file renamed (save it again as an unprotected .docx)');
  }
  try {
    return ZipArchive.open(bytes);
  } catch (err) {
    throw new LoadError(path, 'corrupt docx (not a readable Word document)', { cause: err });
  }
}

/** Writes body blocks (paragraphs, tables, content controls) into the builder. */
class BodyWriter {
  /** True while the previous block was a list paragraph: list items share a paragraph. */
  private inList = false;
  /** True once any block wrote text: a form's title row can only be the first thing. */
  private started = false;

  constructor(
    private readonly styles: WordStyles,
    private readonly numbering: WordNumbering,
    private readonly b: TextBuilder,
  ) {}

  blocks(nodes: XmlElement[]): void {
    for (const node of nodes) {
      if (node.name === 'p') this.paragraph(node);
      else if (node.name === 'tbl') this.table(node);
      else if (node.name === 'sdt') this.blocks(childElements(childElement(node, 'sdtContent')));
      else if (node.name === 'customXml' || node.name === 'ins' || node.name === 'smartTag') this.blocks(childElements(node));
      else if (node.name === 'AlternateContent') this.blocks(childElements(childElement(node, 'Choice')));
    }
  }

  private paragraph(p: XmlElement): void {
    const { text, label, heading, boxes } = this.readParagraph(p);
    const line = label + text;
    if (normalizeLine(line) === '') {
      this.blocks(boxes);
      return;
    }
    this.started = true;
    if (isBlankLabelLine(normalizeLine(line))) {
      // 填表人：骥, a bare 年  月  日: a field left for someone to fill in.
      this.b.drop('blank-form-row', visibleLength(line));
      return;
    }
    if (heading > 0) {
      this.inList = false;
      this.b.heading(heading, line);
    } else if (label !== '') {
      if (!this.inList) this.b.endLine(true);
      this.b.add(line).endLine();
      this.inList = true;
    } else {
      this.inList = false;
      this.b.endLine(true).add(line).endLine(true);
    }
    this.blocks(boxes);
  }

  /** A paragraph's text, its list label, heading level and any text boxes anchored in it. */
  readParagraph(p: XmlElement): { text: string; label: string; heading: number; boxes: XmlElement[] } {
    const pPr = childElement(p, 'pPr');
    const styleId = this.styles.effectiveId(childElement(pPr, 'pStyle')?.attrs.val);
    const own = childPath(pPr, 'numPr');
    const ref = own ? readNumPr(own) : this.styles.numbering(styleId);
    // A paragraph's own numPr may give only the level and take the list from its style.
    const numId = ref?.numId ?? this.styles.numbering(styleId)?.numId;
    const ilvl = ref?.ilvl ?? (own ? 0 : this.styles.numbering(styleId)?.ilvl);
    const label = numId && numId !== '0' ? this.numbering.label(numId, ilvl, styleId) : '';
    const boxes: XmlElement[] = [];
    const text = unpad(inlineText(p, boxes));
    return { text, label, heading: this.styles.headingLevel(styleId), boxes };
  }

  private table(tbl: XmlElement): void {
    const rows: TableRow[] = [];
    for (const tr of childElements(tbl, 'tr')) {
      const header = childPath(tr, 'trPr', 'tblHeader') !== undefined && childPath(tr, 'trPr', 'tblHeader')?.attrs.val !== '0';
      const cells: TableCell[] = [];
      const gridBefore = Number(childPath(tr, 'trPr', 'gridBefore')?.attrs.val ?? 0);
      if (gridBefore > 0) cells.push({ text: '', colSpan: gridBefore });
      for (const tc of cellsOf(tr)) {
        const tcPr = childElement(tc, 'tcPr');
        const vMerge = childElement(tcPr, 'vMerge');
        cells.push({
          text: this.cellText(tc, cells.length === 0),
          colSpan: Number(childElement(tcPr, 'gridSpan')?.attrs.val ?? 1),
          continued: vMerge !== undefined && vMerge.attrs.val !== 'restart',
          emphasis: isAllBold(tc),
        });
      }
      rows.push({ cells, ...(header ? { header } : {}) });
    }
    this.inList = false;
    writeTable(rows, this.b, { detectHeader: true, captionAsHeading: !this.started });
    this.started = true;
  }

  /** A cell's paragraphs on one line; labels drawn as columns (年核/度结/考果) read column-wise. */
  private cellText(tc: XmlElement, first: boolean): string {
    const lines: string[] = [];
    for (const node of findElements(tc, 'p')) {
      const { text, label } = this.readParagraph(node);
      const line = normalizeLine(label + text);
      if (line !== '') lines.push(line);
    }
    if (first && isColumnLabel(lines)) {
      return [0, 1].map((k) => lines.map((l) => [...l][k] ?? '').join('')).join('');
    }
    return lines.join('\n');
  }
}

/**
 * A form's label cell written as two narrow columns, a line per row: `年核 / 度结 / 考果` is
 * 年度考 down the left column and 核结果 down the right. Three or more lines of one or two Han
 * characters, at least two of them two characters long.
 */
function isColumnLabel(lines: string[]): boolean {
  if (lines.length < 3) return false;
  const han = /^\p{Script=Han}{1,2}$/u;
  return lines.every((l) => han.test(l)) && lines.filter((l) => [...l].length === 2).length >= 2;
}

/** Text of a paragraph's runs in order; text boxes found inside are collected, not inlined. */
function inlineText(p: XmlElement, boxes: XmlElement[]): string {
  let out = '';
  let inField = false; // between fldChar begin and separate: field instructions, not text
  const visit = (node: XmlElement | string): void => {
    if (typeof node === 'string') return; // whitespace between elements; text lives in <w:t>
    switch (node.name) {
      case 'pPr':
      case 'rPr':
      case 'del':
      case 'moveFrom':
      case 'instrText':
      case 'delText':
      case 'footnoteReference':
      case 'endnoteReference':
        return;
      case 'fldChar': {
        const type = node.attrs.fldCharType;
        if (type === 'begin') inField = true;
        else if (type === 'separate' || type === 'end') inField = false;
        return;
      }
      case 't':
        if (!inField) out += textOf(node);
        return;
      case 'tab':
      case 'ptab':
        out += ' ';
        return;
      case 'br':
      case 'cr':
        if (node.attrs.type !== 'page' && node.attrs.type !== 'column') out += '\n';
        return;
      case 'noBreakHyphen':
        out += '-';
        return;
      case 'txbxContent':
        boxes.push(...childElements(node));
        return;
      case 'AlternateContent':
        // Choice and Fallback hold the same drawing twice (DrawingML and VML): read one.
        childElement(node, 'Choice')?.children.forEach(visit);
        return;
      case 'r':
        if (childPath(node, 'rPr', 'vanish') && childPath(node, 'rPr', 'vanish')?.attrs.val !== '0') return;
        node.children.forEach(visit);
        return;
      default:
        node.children.forEach(visit);
    }
  };
  p.children.forEach(visit);
  return out.split('\n').map(normalizeLine).filter((l) => l !== '').reduce((acc, l) => acc + joiner(acc, l) + l, '');
}

/**
 * Short titles padded with spaces to a fixed width (`总    则`, `姓  名`, `出 生 地`) are one word:
 * Word users pad two-character chapter titles to four. Only single Han characters separated by
 * spaces are joined, so `张三 李四` and English stay as written.
 */
export function unpad(text: string): string {
  const t = normalizeLine(text);
  return /^\p{Script=Han}( \p{Script=Han}){1,7}$/u.test(t) ? t.replace(/ /g, '') : t;
}

function isAllBold(tc: XmlElement): boolean {
  const runs = findElements(tc, 'r').filter((r) => textOf(childElement(r, 't')).trim() !== '');
  if (runs.length === 0) return false;
  return runs.every((r) => {
    const bold = childPath(r, 'rPr', 'b');
    return bold !== undefined && bold.attrs.val !== '0' && bold.attrs.val !== 'false';
  });
}

/** A row's cells, also those inside content controls and custom XML wrappers. */
function cellsOf(tr: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of childElements(tr)) {
    if (c.name === 'tc') out.push(c);
    else if (c.name === 'sdt') out.push(...cellsOf(childElement(c, 'sdtContent') ?? c));
    else if (c.name === 'customXml') out.push(...cellsOf(c));
  }
  return out;
}

/** A part parsed as XML; undefined when the package has none; a damaged part is a LoadError. */
function xmlPart(zip: ZipArchive, name: string, path: string): XmlElement | undefined {
  let xml: string | undefined;
  try {
    xml = zip.text(name)?.replace(/^\uFEFF/, '');
  } catch (err) {
    throw new LoadError(path, `corrupt docx (${name} cannot be unpacked)`, { cause: err });
  }
  if (xml === undefined) return undefined;
  // fast-xml-parser accepts a truncated part (unclosed elements) silently; its validator does not.
  const valid = XMLValidator.validate(xml);
  try {
    if (valid !== true) throw new Error(`${valid.err.msg} (line ${valid.err.line})`);
    return parseXml(xml);
  } catch (err) {
    throw new LoadError(path, `corrupt docx (${name} is not well-formed XML)`, { cause: err });
  }
}

function rootOf(root: XmlElement | undefined, name: string): XmlElement | undefined {
  return root?.name === name ? root : undefined;
}

interface Relationship {
  type: string;
  target: string;
}

function relationships(zip: ZipArchive, name: string, path: string): Map<string, Relationship> {
  const out = new Map<string, Relationship>();
  for (const rel of childElements(rootOf(xmlPart(zip, name, path), 'Relationships'), 'Relationship')) {
    if (rel.attrs.Id && rel.attrs.Target && rel.attrs.TargetMode !== 'External') {
      out.set(rel.attrs.Id, { type: rel.attrs.Type ?? '', target: rel.attrs.Target.replace(/^\//, '') });
    }
  }
  return out;
}

function relsNameOf(partName: string): string {
  const slash = partName.lastIndexOf('/');
  return `${partName.slice(0, slash + 1)}_rels/${partName.slice(slash + 1)}.rels`;
}

/** The main part named by the package relationships (word/document.xml in practice). */
function mainPartName(zip: ZipArchive, path: string): string {
  for (const rel of childElements(rootOf(xmlPart(zip, '_rels/.rels', path), 'Relationships'), 'Relationship')) {
    if (OFFICE_DOCUMENT.test(rel.attrs.Type ?? '') && rel.attrs.Target) return rel.attrs.Target.replace(/^\//, '');
  }
  return 'word/document.xml';
}

function contentTypeOf(zip: ZipArchive, partName: string, path: string): string | undefined {
  const types = rootOf(xmlPart(zip, '[Content_Types].xml', path), 'Types');
  return childElements(types, 'Override').find((o) => o.attrs.PartName?.replace(/^\//, '') === partName)?.attrs.ContentType;
}

/** dc:title when it is a title a person wrote, not an empty field or a tool's `Microsoft Word - x.doc`. */
function coreTitle(zip: ZipArchive, path: string): string | undefined {
  const core = rootOf(xmlPart(zip, 'docProps/core.xml', path), 'coreProperties');
  const raw = normalizeLine(textOf(childElement(core, 'title')));
  if (raw === '' || /^(microsoft word\b|untitled|无标题|文档\s*\d*$|document\s*\d*$)/i.test(raw)) return undefined;
  if (/\.(docx?|dotx?|wps|pdf|txt|rtf)$/i.test(raw)) return undefined;
  return raw;
}
