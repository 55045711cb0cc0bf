import { strToU8, zipSync } from 'fflate';

/**
 * Builds a small .docx (or .dotx) in memory for tests: the document body XML plus optional
 * styles and numbering parts. Invented content only.
 */
export function makeDocx(parts: { body: string; styles?: string; numbering?: string; title?: string; template?: boolean }): Buffer {
  const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
  const main = parts.template ? 'template.main+xml' : 'document.main+xml';
  const xml = (s: string) => strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${s}`);
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': xml(
      `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
        `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
        `<Default Extension="xml" ContentType="application/xml"/>` +
        `<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.${main}"/></Types>`,
    ),
    '_rels/.rels': xml(
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
    ),
    'word/_rels/document.xml.rels': xml(
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
        `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>`,
    ),
    'word/document.xml': xml(`<w:document xmlns:w="${W}"><w:body>${parts.body}<w:sectPr/></w:body></w:document>`),
    'word/styles.xml': xml(`<w:styles xmlns:w="${W}">${parts.styles ?? ''}</w:styles>`),
    'word/numbering.xml': xml(`<w:numbering xmlns:w="${W}">${parts.numbering ?? ''}</w:numbering>`),
    'docProps/core.xml': xml(
      `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
        `<dc:title>${parts.title ?? ''}</dc:title></cp:coreProperties>`,
    ),
  };
  return Buffer.from(zipSync(files, { mtime: new Date('2024-05-01T08:00:00Z') }));
}

/** A paragraph, optionally styled and numbered. */
export function para(text: string, options: { style?: string; numId?: number; ilvl?: number; bold?: boolean } = {}): string {
  const num = options.numId !== undefined ? `<w:numPr><w:ilvl w:val="${options.ilvl ?? 0}"/><w:numId w:val="${options.numId}"/></w:numPr>` : '';
  const style = options.style ? `<w:pStyle w:val="${options.style}"/>` : '';
  const rPr = options.bold ? '<w:rPr><w:b/></w:rPr>' : '';
  return `<w:p><w:pPr>${style}${num}</w:pPr><w:r>${rPr}<w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
}

/** A table row; a cell is text, or [text, { span, vMerge }]. */
export function row(...cells: Array<string | [string, { span?: number; vMerge?: 'restart' | 'continue' }]>): string {
  return `<w:tr>${cells
    .map((c) => {
      const [text, o] = typeof c === 'string' ? [c, {}] : c;
      const pr = `${o.span ? `<w:gridSpan w:val="${o.span}"/>` : ''}${o.vMerge ? `<w:vMerge${o.vMerge === 'restart' ? ' w:val="restart"' : ''}/>` : ''}`;
      return `<w:tc><w:tcPr>${pr}</w:tcPr>${text.split('/').map((t) => para(t)).join('')}</w:tc>`;
    })
    .join('')}</w:tr>`;
}
