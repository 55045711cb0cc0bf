/** Lists the files of a corpus folder, corpus-relative with `/` separators, sorted. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Hidden files and folders (.git, .DS_Store) and editor leftovers are not documents. */
function ignored(name: string): boolean {
  return name.startsWith('.') || name.startsWith('~$') || name.endsWith('~') || name === 'Thumbs.db';
}

export async function listCorpusFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      if (ignored(e.name)) continue;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) await walk(abs);
      else if (e.isFile()) out.push(path.relative(root, abs).split(path.sep).join('/'));
    }
  }
  await walk(root);
  return out.sort();
}
