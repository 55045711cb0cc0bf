/**
 * A large corpus made at run time from a small one (the CMRC paragraphs): each output document
 * is a shifted copy of a source paragraph, so texts differ while vocabulary and length stay
 * realistic. Nothing of it is committed; it goes to a temp folder the caller removes.
 *
 * Copy r of paragraph p (r = 0, 1, 2 …) is, by r mod 3: its sentences rotated; its text shifted
 * by some characters (wrapping round); or its first half joined to another paragraph's second
 * half. Every document gets its own title ("<source title>（第 r+1 篇）").
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TongxinError } from '../../src/errors.ts';

export interface SourceParagraph {
  title: string;
  text: string;
}

/** Reads `# title\n\nparagraph` markdown files (the CMRC trial layout), in name order. */
export async function readSourceParagraphs(dir: string): Promise<SourceParagraph[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.md')).sort();
  } catch (cause) {
    throw new TongxinError('BAD_INPUT', `bench: cannot read source paragraphs in ${dir}`, { cause });
  }
  const out: SourceParagraph[] = [];
  for (const name of names) {
    const raw = await readFile(path.join(dir, name), 'utf8');
    const m = /^#\s*(.+)\n+([\s\S]*)$/.exec(raw.trim());
    const title = m?.[1]?.trim() || name.replace(/\.md$/, '');
    const text = (m?.[2] ?? raw).trim();
    if (text) out.push({ title, text });
  }
  if (!out.length) throw new TongxinError('BAD_INPUT', `bench: no paragraphs in ${dir}`);
  return out;
}

/** The text of copy `round` of paragraph `index`; round 0 rotates by one sentence. */
export function shiftedCopy(sources: readonly SourceParagraph[], index: number, round: number): SourceParagraph {
  const src = sources[index % sources.length]!;
  const sentences = splitSentences(src.text);
  const step = Math.floor(round / 3) + 1;
  let text: string;
  switch (round % 3) {
    case 0: {
      const r = step % sentences.length;
      text = [...sentences.slice(r), ...sentences.slice(0, r)].join('');
      break;
    }
    case 1: {
      const k = (step * 37) % src.text.length;
      text = src.text.slice(k) + src.text.slice(0, k);
      break;
    }
    default: {
      // Another paragraph: the partner is never the paragraph itself (when there are two).
      let j = (index + step * 7 + 1) % sources.length;
      if (j === index % sources.length) j = (j + 1) % sources.length;
      const other = sources[j]!;
      const theirs = splitSentences(other.text);
      const mine = sentences.slice(0, Math.ceil(sentences.length / 2));
      text = [...mine, ...theirs.slice(Math.floor(theirs.length / 2))].join('');
    }
  }
  return { title: `${src.title}（第${round + 1}篇）`, text };
}

/** Writes `docs` markdown files into `outDir`; returns the bytes written. */
export async function writeSyntheticCorpus(
  sources: readonly SourceParagraph[],
  outDir: string,
  docs: number,
): Promise<{ docs: number; bytes: number }> {
  await mkdir(outDir, { recursive: true });
  let bytes = 0;
  for (let i = 0; i < docs; i++) {
    const { title, text } = shiftedCopy(sources, i, Math.floor(i / sources.length));
    const body = `# ${title}\n\n${text}\n`;
    bytes += Buffer.byteLength(body);
    await writeFile(path.join(outDir, `syn-${String(i).padStart(6, '0')}.md`), body);
  }
  return { docs, bytes };
}

function splitSentences(text: string): string[] {
  const parts = text.match(/[^。！？]+[。！？]*/gu) ?? [text];
  return parts.length ? parts : [text];
}
