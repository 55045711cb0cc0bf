import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.ts';

/** Words that make the bot decline politely (BOT_BLOCKLIST_FILE), on questions and answers. */
export class Blocklist {
  readonly #words: string[];

  constructor(words: Iterable<string>) {
    this.#words = [...new Set([...words].map(normalize).filter(Boolean))];
  }

  get size(): number {
    return this.#words.length;
  }

  /** The first listed word the text contains, or undefined. */
  find(text: string): string | undefined {
    const t = normalize(text);
    return this.#words.find((w) => t.includes(w));
  }
}

function normalize(s: string): string {
  return s.normalize('NFKC').toLowerCase().trim();
}

/** One word a line; blank lines and lines starting with `#` are skipped. No file: an empty list. */
export async function loadBlocklist(file: string | undefined): Promise<Blocklist> {
  if (!file) return new Blocklist([]);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`BOT_BLOCKLIST_FILE="${file}" cannot be read`, { cause });
  }
  const words = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  return new Blocklist(words);
}
