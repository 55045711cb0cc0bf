import MarkdownIt from 'markdown-it';
import { parseFrontMatter } from '../front-matter.ts';
import { writeTable, type TableRow } from '../table-rows.ts';
import { TextBuilder } from '../text-builder.ts';
import type { Extracted, Loader } from './extracted.ts';
import { decodeFile } from './text.ts';

// CommonMark with GFM tables and strikethrough; raw HTML is recognised (so its tags can be
// dropped) but never rendered; links are not auto-detected in text (they stay as written).
const md = new MarkdownIt('commonmark', { html: true }).enable(['table', 'strikethrough']);
// The token class markdown-it's own bundled types describe (@types/markdown-it's differs slightly).
type Token = ReturnType<typeof md.parse>[number];

/**
 * `.md`/`.markdown`: front matter read (title and the other fields), the body parsed by
 * markdown-it and reduced to plain text: headings keep their line (a heading that holds an
 * article, `## 第五条 党员必须……`, stays text), ordered list numbers are kept (they are
 * structure), bullets and quote markers dropped, emphasis, links and images reduced to their
 * text, code kept line by line, tables one line per row with its column headers.
 */
export const loadMarkdown: Loader = async (bytes, path): Promise<Extracted> => {
  const { fields, body } = parseFrontMatter(decodeFile(bytes, path));
  const { title, ...meta } = fields;
  return { ...markdownToText(body), ...(title ? { title } : {}), meta };
};

export function markdownToText(markdown: string): ReturnType<TextBuilder['build']> {
  const b = new TextBuilder();
  const tokens = md.parse(markdown, {});
  // Ordered lists being written: the next item's number, and the marker (`.` or `)`).
  const lists: Array<{ next: number; marker: string } | undefined> = [];
  let itemLabel = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    switch (t.type) {
      case 'heading_open': {
        const inline = tokens[i + 1];
        b.heading(Number(t.tag.slice(1)), inline?.type === 'inline' ? inlineText(inline.children ?? []) : '');
        i += 2; // inline, heading_close
        break;
      }
      case 'paragraph_open':
        // Paragraphs of tight list items are hidden: the item is a line, not a paragraph.
        if (!t.hidden) b.endLine(true);
        break;
      case 'paragraph_close':
        if (t.hidden) b.endLine();
        else b.endLine(true);
        break;
      case 'inline':
        b.addLines(itemLabel + inlineText(t.children ?? []));
        itemLabel = '';
        break;
      case 'ordered_list_open':
        lists.push({ next: Number(t.attrGet('start') ?? 1), marker: t.markup });
        b.endLine(true);
        break;
      case 'bullet_list_open':
        lists.push(undefined);
        b.endLine(true);
        break;
      case 'ordered_list_close':
      case 'bullet_list_close':
        lists.pop();
        b.endLine(true);
        break;
      case 'list_item_open': {
        b.endLine();
        const list = lists.at(-1);
        // The item's own number as written (`3.`), else its place in the list.
        if (list) itemLabel = `${t.info || list.next}${list.marker} `;
        if (list) list.next = Number(t.info || list.next) + 1;
        break;
      }
      case 'fence':
      case 'code_block':
        b.endLine(true).addLines(t.content).endLine(true);
        break;
      case 'html_block':
        b.endLine(true).addLines(stripTags(t.content)).endLine(true);
        break;
      case 'hr':
      case 'blockquote_open':
      case 'blockquote_close':
        b.endLine(true);
        break;
      case 'table_open':
        i = table(tokens, i, b);
        break;
      default:
        break;
    }
  }
  return b.build();
}

/** Reads a table's rows (thead rows are headers) and writes them; returns the table_close index. */
function table(tokens: Token[], open: number, b: TextBuilder): number {
  const rows: TableRow[] = [];
  let inHead = false;
  let i = open + 1;
  for (; i < tokens.length && tokens[i]!.type !== 'table_close'; i++) {
    const t = tokens[i]!;
    if (t.type === 'thead_open') inHead = true;
    else if (t.type === 'thead_close') inHead = false;
    else if (t.type === 'tr_open') rows.push({ cells: [], ...(inHead ? { header: true } : {}) });
    else if (t.type === 'inline') rows.at(-1)?.cells.push({ text: inlineText(t.children ?? []), colSpan: 1 });
  }
  writeTable(rows, b, { detectHeader: false });
  return i;
}

/** Inline tokens reduced to text: markers dropped, code and image alt text kept. */
function inlineText(children: Token[]): string {
  let out = '';
  for (const c of children) {
    switch (c.type) {
      case 'text':
      case 'code_inline':
        out += c.content;
        break;
      case 'image':
        out += inlineText(c.children ?? []);
        break;
      // A source line break is kept as one: Markdown written by staff puts one article or list
      // entry a line, and merging them would hide the structure the chunker splits on.
      case 'softbreak':
      case 'hardbreak':
        out += '\n';
        break;
      case 'html_inline':
        if (/^<br\s*\/?>$/i.test(c.content)) out += '\n';
        break;
      default:
        break;
    }
  }
  return out;
}

function stripTags(html: string): string {
  return html.replace(/<!--[\s\S]*?-->/g, '').replace(/<br\s*\/?>/gi, '\n').replace(/<\/?[A-Za-z][^<>]*>/g, '');
}
