import { parseFrontMatter } from '../front-matter.ts';
import { TextBuilder } from '../text-builder.ts';
import type { Extracted, Loader } from './extracted.ts';
import { decodeFile } from './text.ts';

/**
 * `.md`/`.markdown`: front matter read, Markdown reduced to plain text line by line. Headings
 * keep their line (markers removed); emphasis, links, images, inline code and fences are reduced
 * to their text; list bullets, quote markers, table rules and link definitions are dropped.
 * A small line-based reducer is enough here: corpus documents are prose, not nested Markdown.
 */
export const loadMarkdown: Loader = async (bytes, path): Promise<Extracted> => {
  const { fields, body } = parseFrontMatter(decodeFile(bytes, path));
  const { title, ...meta } = fields;
  return { ...markdownToText(body), ...(title ? { title } : {}), meta };
};

export function markdownToText(markdown: string): ReturnType<TextBuilder['build']> {
  const b = new TextBuilder();
  const lines = markdown.split(/\r\n|\r|\n/);
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fenceMark = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (fenceMark && fenceMark[0] === fence[0] && fenceMark.length >= fence.length && /^\s*[`~]+\s*$/.test(line)) {
        fence = undefined;
        b.endLine(true);
      } else {
        b.addLines(line.trim() === '' ? '\n' : line);
      }
      continue;
    }
    if (fenceMark) {
      fence = fenceMark;
      b.endLine(true);
      continue;
    }
    if (line.trim() === '') {
      b.endLine(true);
      continue;
    }
    const atx = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (atx) {
      b.heading(atx[1]!.length, inline(atx[2] ?? ''));
      continue;
    }
    // Setext heading: a text line underlined by === (level 1) or --- (level 2).
    const under = lines[i + 1];
    if (under !== undefined && /^ {0,3}(=+|-+)[ \t]*$/.test(under) && !isBlockStart(line)) {
      b.heading(under.trim()[0] === '=' ? 1 : 2, inline(line));
      i++;
      continue;
    }
    if (/^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$/.test(line)) {
      b.endLine(true); // thematic break
      continue;
    }
    if (/^ {0,3}\[[^\]]+\]:\s*\S+/.test(line)) continue; // link reference definition
    if (/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line)) continue; // table rule
    b.add(inline(stripBlockMarkers(line))).endLine();
  }
  return b.build();
}

function isBlockStart(line: string): boolean {
  return /^ {0,3}(#|>|[-*+][ \t]|\d+[.)][ \t]|`{3}|~{3})/.test(line);
}

function stripBlockMarkers(line: string): string {
  let s = line.replace(/^( {0,3}>[ \t]?)+/, ''); // blockquote
  s = s.replace(/^\s*[-*+][ \t]+(\[[ xX]\][ \t]+)?/, ''); // bullet, task box
  if (/^\s*\|.*\|\s*$/.test(s)) {
    s = s.trim().slice(1, -1).split('|').map((c) => c.trim()).join(' | ');
  }
  return s;
}

/** Inline Markdown reduced to its text. */
export function inline(s: string): string {
  // Escaped characters are set aside first so that `\*` never takes part in emphasis. The
  // sentinel is a control character, which decoded text never keeps (normalization drops them).
  const escaped: string[] = [];
  const protectedText = s.replace(/\\([\\`*_{}[\]()#+\-.!|~<>])/g, (_m, c: string) => `\u0001${escaped.push(c) - 1}\u0001`);
  return protectedText
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1') // image -> alt
    .replace(/!\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)/g, '$1') // link -> text
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1') // autolink
    .replace(/(`+)(.+?)\1/g, (_m, _t, code: string) => code.trim()) // inline code
    .replace(/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g, '') // inline HTML tags
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2') // strong
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '$1') // strikethrough
    .replace(/\*(?=\S)(.+?)(?<=\S)\*/g, '$1') // emphasis
    .replace(/(^|[^\p{L}\p{N}_])_(?=\S)(.+?)(?<=\S)_(?![\p{L}\p{N}_])/gu, '$1$2') // _em_, not snake_case
    .replace(/\u0001(\d+)\u0001/g, (_m, i: string) => escaped[Number(i)] ?? '');
}
