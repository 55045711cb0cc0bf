import { formatNumber } from './word-number-format.ts';
import { childElement, childElements, type XmlElement } from '../xml-tree.ts';

interface Level {
  start: number;
  numFmt: string;
  lvlText: string;
  /** 1-based level after whose use this level restarts; 0 never; undefined: after any shallower level. */
  restartAfter: number | undefined;
  suffix: string;
  /** Paragraph style bound to this level (style-linked numbering). */
  pStyle: string | undefined;
  /** Legal numbering: every %n shown as a decimal. */
  legal: boolean;
}

interface AbstractNum {
  levels: Map<number, Level>;
  /** The numbering style this definition is the body of (`styleLink`) … */
  styleLink: string | undefined;
  /** … or the numbering style whose definition this one only points to (`numStyleLink`). */
  numStyleLink: string | undefined;
}

interface NumInstance {
  abstractId: string;
  /** Levels this instance restarts at a given value (`lvlOverride/startOverride`). */
  startOverrides: Map<number, number>;
  /** Whole level definitions this instance replaces (`lvlOverride/lvl`). */
  levelOverrides: Map<number, Level>;
}

/**
 * Word's automatic list numbering, computed the way Word displays it: mammoth and every other
 * kept docx library we know drop it (the numbers live only in `numbering.xml`), so it is
 * restored here by hand. A paragraph asks for its label in document order; counters advance and
 * restart as in Word: counters belong to the abstract definition, so two list instances of one
 * definition continue each other unless an instance overrides its start, and a level restarts
 * when a shallower level is used (or per `lvlRestart`, 0 meaning never, as 第N条 across chapters).
 */
export class WordNumbering {
  private readonly abstracts = new Map<string, AbstractNum>();
  private readonly nums = new Map<string, NumInstance>();
  /** Current value per abstract definition and level. */
  private readonly counters = new Map<string, Map<number, number>>();
  /** Instances whose start overrides have been applied already. */
  private readonly started = new Set<string>();

  constructor(numberingRoot: XmlElement | undefined) {
    for (const a of childElements(numberingRoot, 'abstractNum')) {
      const id = a.attrs.abstractNumId;
      if (id === undefined) continue;
      this.abstracts.set(id, {
        levels: new Map(childElements(a, 'lvl').map((l) => [Number(l.attrs.ilvl ?? 0), readLevel(l)])),
        styleLink: childElement(a, 'styleLink')?.attrs.val,
        numStyleLink: childElement(a, 'numStyleLink')?.attrs.val,
      });
    }
    for (const n of childElements(numberingRoot, 'num')) {
      const abstractId = childElement(n, 'abstractNumId')?.attrs.val;
      if (n.attrs.numId === undefined || abstractId === undefined) continue;
      const startOverrides = new Map<number, number>();
      const levelOverrides = new Map<number, Level>();
      for (const o of childElements(n, 'lvlOverride')) {
        const ilvl = Number(o.attrs.ilvl ?? 0);
        const start = childElement(o, 'startOverride')?.attrs.val;
        if (start !== undefined) startOverrides.set(ilvl, Number(start));
        const lvl = childElement(o, 'lvl');
        if (lvl) levelOverrides.set(ilvl, readLevel(lvl));
      }
      this.nums.set(n.attrs.numId, { abstractId, startOverrides, levelOverrides });
    }
  }

  /**
   * The label Word shows before a paragraph of list `numId` at level `ilvl` (`第三条 `, `（二）`,
   * `1.`), advancing the counters; '' for bullets, unknown lists and numId 0 (numbering off).
   * `styleId` finds the level of style-linked numbering when the paragraph gives none.
   */
  label(numId: string, ilvl: number | undefined, styleId: string | undefined): string {
    const num = this.nums.get(numId);
    if (!num) return '';
    const abstractId = this.resolveAbstract(num.abstractId);
    const abstract = this.abstracts.get(abstractId);
    if (!abstract) return '';
    const levelOf = (i: number) => num.levelOverrides.get(i) ?? abstract.levels.get(i);
    let level = ilvl;
    if (level === undefined) {
      level = [...abstract.levels].find(([, l]) => styleId !== undefined && l.pStyle === styleId)?.[0] ?? 0;
    }
    const def = levelOf(level);
    if (!def) return '';

    let counters = this.counters.get(abstractId);
    if (!counters) this.counters.set(abstractId, (counters = new Map()));
    if (!this.started.has(numId)) {
      this.started.add(numId);
      // An override restarts the level: the next paragraph shows the override value.
      for (const [i, start] of num.startOverrides) counters.set(i, start - 1);
    }
    counters.set(level, (counters.get(level) ?? def.start - 1) + 1);
    for (const [deeper, l] of abstract.levels) {
      if (deeper <= level) continue;
      const restartAfter = levelOf(deeper)?.restartAfter ?? l.restartAfter ?? deeper;
      if (restartAfter !== 0 && level < restartAfter) counters.delete(deeper);
    }
    if (def.numFmt === 'bullet') return '';

    const text = def.lvlText.replace(/%([1-9])/g, (_m, d: string) => {
      const i = Number(d) - 1;
      const l = levelOf(i);
      const value = counters.get(i) ?? l?.start ?? 1;
      return formatNumber(value, def.legal && i !== level ? 'decimal' : (l?.numFmt ?? 'decimal'));
    });
    if (text === '') return '';
    // Word puts a tab after `1、` too, but Chinese text reads `1、党支部` and `（一）党员`.
    return /[、．，：）】」』〕]\s*$/u.test(text) ? text.trimEnd() : text + def.suffix;
  }

  /** A definition that only points at a numbering style is replaced by that style's definition. */
  private resolveAbstract(abstractId: string): string {
    const link = this.abstracts.get(abstractId)?.numStyleLink;
    if (!link) return abstractId;
    for (const [id, a] of this.abstracts) if (a.styleLink === link) return id;
    return abstractId;
  }
}

function readLevel(lvl: XmlElement): Level {
  const restart = childElement(lvl, 'lvlRestart')?.attrs.val;
  const suff = childElement(lvl, 'suff')?.attrs.val ?? 'tab';
  return {
    start: Number(childElement(lvl, 'start')?.attrs.val ?? 1),
    numFmt: childElement(lvl, 'numFmt')?.attrs.val ?? 'decimal',
    lvlText: childElement(lvl, 'lvlText')?.attrs.val ?? '',
    restartAfter: restart === undefined ? undefined : Number(restart),
    // A tab or a space separates the number from the text; `nothing` glues them.
    suffix: suff === 'nothing' ? '' : ' ',
    pStyle: childElement(lvl, 'pStyle')?.attrs.val,
    legal: childElement(lvl, 'isLgl') !== undefined && childElement(lvl, 'isLgl')?.attrs.val !== '0',
  };
}
