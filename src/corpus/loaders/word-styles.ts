import { childElement, childElements, childPath, type XmlElement } from '../xml-tree.ts';

/** A paragraph's list membership: which numbering instance and which of its levels. */
export interface NumberingRef {
  numId: string;
  /** Undefined when the style names the list but not the level (the level is found by style). */
  ilvl: number | undefined;
}

interface StyleDef {
  name: string;
  basedOn: string | undefined;
  numPr: Partial<NumberingRef> | undefined;
}

/**
 * Paragraph styles from `word/styles.xml`: names (for headings) and the list numbering a style
 * carries (`numPr`), following `basedOn` as Word does. Style ids are arbitrary (`1`, `21`, `ab` in
 * Chinese Word), so headings are recognised by the style's name, which Word writes in English.
 */
export class WordStyles {
  private readonly byId = new Map<string, StyleDef>();
  private readonly defaultId: string | undefined;

  constructor(stylesRoot: XmlElement | undefined) {
    let defaultId: string | undefined;
    for (const style of childElements(stylesRoot, 'style')) {
      if (style.attrs.type !== 'paragraph' || !style.attrs.styleId) continue;
      const numPr = childPath(style, 'pPr', 'numPr');
      this.byId.set(style.attrs.styleId, {
        name: childElement(style, 'name')?.attrs.val ?? style.attrs.styleId,
        basedOn: childElement(style, 'basedOn')?.attrs.val,
        numPr: numPr ? readNumPr(numPr) : undefined,
      });
      if (style.attrs.default === '1' || style.attrs.default === 'true') defaultId = style.attrs.styleId;
    }
    this.defaultId = defaultId;
  }

  /** The style id a paragraph uses: its pStyle, else the document's default paragraph style. */
  effectiveId(pStyle: string | undefined): string | undefined {
    return pStyle && this.byId.has(pStyle) ? pStyle : this.defaultId;
  }

  name(styleId: string | undefined): string {
    return (styleId && this.byId.get(styleId)?.name) || '';
  }

  /**
   * Heading level from the style name: `heading N` / `标题 N` → N, `Title` / `标题` → 1; 0 for
   * body styles. Based-on chains are followed so a custom `章标题` based on Heading 1 counts.
   */
  headingLevel(styleId: string | undefined): number {
    for (const style of this.chain(styleId)) {
      const name = style.name.trim();
      const n = /^(?:heading|标题)\s*([1-9])$/i.exec(name);
      if (n) return Math.min(Number(n[1]), 6);
      if (/^(?:title|标题)$/i.test(name)) return 1;
    }
    return 0;
  }

  /** The numbering a style carries, inherited through basedOn; numId 0 switches it off. */
  numbering(styleId: string | undefined): Partial<NumberingRef> | undefined {
    for (const style of this.chain(styleId)) if (style.numPr?.numId !== undefined || style.numPr?.ilvl !== undefined) return style.numPr;
    return undefined;
  }

  private *chain(styleId: string | undefined): Generator<StyleDef> {
    const seen = new Set<string>();
    let id = styleId;
    while (id && !seen.has(id)) {
      seen.add(id);
      const style = this.byId.get(id);
      if (!style) return;
      yield style;
      id = style.basedOn;
    }
  }
}

/** Reads a `numPr` element (ilvl and numId, either may be absent). */
export function readNumPr(numPr: XmlElement): Partial<NumberingRef> {
  const numId = childElement(numPr, 'numId')?.attrs.val;
  const ilvl = childElement(numPr, 'ilvl')?.attrs.val;
  return {
    ...(numId !== undefined ? { numId } : {}),
    ...(ilvl !== undefined ? { ilvl: Number(ilvl) } : {}),
  };
}
