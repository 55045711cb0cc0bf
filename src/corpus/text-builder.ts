import type { SourceDocument } from './document.ts';
import { normalizeLine, splitLines } from './normalize-text.ts';
import { countDropped, type DroppedCounts, type PendingMark, type SourceMark } from './source-mark.ts';

export type Heading = SourceDocument['headings'][number];

/**
 * Builds a document's final text line by line, recording heading offsets as it goes. Loaders
 * feed it structure (inline runs, line and paragraph breaks, headings) and it applies the same
 * rules as `normalizeText`, so `normalizeText(text) === text` and every heading offset indexes
 * the returned text exactly.
 */
export class TextBuilder {
  private readonly parts: string[] = [];
  private length = 0;
  private line = '';
  private lineLevel = 0;
  /** Line ends owed before the next non-empty line: 1 for a line break, 2 for a blank line. */
  private owed = 0;
  private readonly headingList: Heading[] = [];
  private readonly markList: SourceMark[] = [];
  /** A mark waiting for the next non-empty line, which is where it begins. */
  private pendingMark: PendingMark | null = null;
  private readonly droppedCounts: DroppedCounts = {};

  /** Appends inline text to the current line (line ends inside it count as spaces). */
  add(text: string): this {
    this.line += text;
    return this;
  }

  /** Ends the current line; `blank` also asks for a blank line before the next one. */
  endLine(blank = false): this {
    const text = normalizeLine(this.line);
    if (text !== '') {
      if (this.length > 0) this.push('\n'.repeat(Math.max(this.owed, 1)));
      if (this.pendingMark) {
        const last = this.markList.at(-1);
        // A mark that begins where the previous one did replaces it: that one spanned no text.
        if (last && last.start === this.length) this.markList.pop();
        this.markList.push({ start: this.length, ...this.pendingMark });
        this.pendingMark = null;
      }
      if (this.lineLevel > 0) this.headingList.push({ start: this.length, level: this.lineLevel, text });
      this.push(text);
      this.owed = 0;
    }
    this.line = '';
    this.lineLevel = 0;
    if (blank) this.owed = 2;
    return this;
  }

  /** A heading on a line of its own, set off by blank lines. Empty headings are dropped. */
  heading(level: number, text: string): this {
    this.endLine(true);
    this.line = text;
    this.lineLevel = Math.min(Math.max(Math.round(level), 1), 6);
    return this.endLine(true);
  }

  /** Multi-line text: each line kept, blank lines become paragraph breaks. */
  addLines(text: string): this {
    for (const raw of splitLines(text)) {
      if (normalizeLine(raw) === '') this.endLine(true);
      else this.add(raw).endLine();
    }
    return this;
  }

  /**
   * Ends the current line and says where the text from the next line on comes from (a page, a
   * sheet row, a slide). Successive marks with no text between them keep only the last.
   */
  mark(mark: PendingMark): this {
    this.endLine();
    this.pendingMark = { ...mark };
    return this;
  }

  /** Records `chars` characters dropped on purpose under `rule` (page numbers, blank cells …). */
  drop(rule: string, chars: number): this {
    countDropped(this.droppedCounts, rule, chars);
    return this;
  }

  build(): { text: string; headings: Heading[]; marks: SourceMark[]; dropped: DroppedCounts } {
    this.endLine();
    return { text: this.parts.join(''), headings: [...this.headingList], marks: [...this.markList], dropped: { ...this.droppedCounts } };
  }

  private push(s: string): void {
    this.parts.push(s);
    this.length += s.length;
  }
}
