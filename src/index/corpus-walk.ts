/**
 * Lists the files of a corpus folder, corpus-relative with `/` separators, sorted.
 *
 * Symbolic links are followed, to files and folders inside or outside the corpus: staff link
 * shared folders in rather than copy them. A folder is walked once, whichever way it is reached,
 * which also ends link loops. Nothing is dropped silently: an unreadable folder, a broken link or
 * a second way into a folder is listed with a one-line reason, and the walk goes on.
 */
import type { Dirent, Stats } from 'node:fs';
import { readdir, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { describeError, TongxinError } from '../errors.ts';

export interface CorpusListing {
  files: string[];
  skipped: Array<{ path: string; reason: string }>;
}

/** Hidden files and folders (.git, .DS_Store) and editor leftovers are not documents. */
function ignored(name: string): boolean {
  return name.startsWith('.') || name.startsWith('~$') || name.endsWith('~') || name === 'Thumbs.db';
}

export async function listCorpusFiles(root: string): Promise<CorpusListing> {
  const files: string[] = [];
  const skipped: CorpusListing['skipped'] = [];
  // Folder identity (device:inode) -> the corpus-relative path it was first walked as.
  const walked = new Map<string, string>();

  async function walk(dir: string, rel: string, st: Stats, ancestors: ReadonlySet<string>): Promise<void> {
    const id = `${st.dev}:${st.ino}`;
    if (ancestors.has(id)) {
      skipped.push({ path: rel, reason: `symbolic link loop: leads back to ${walked.get(id) || 'the corpus folder'}` });
      return;
    }
    if (walked.has(id)) {
      skipped.push({ path: rel, reason: `same folder as ${walked.get(id)} (reached again through a symbolic link)` });
      return;
    }
    walked.set(id, rel);
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      // The whole corpus unreadable is not "no documents": that would replace the index with an empty one.
      if (!rel) throw new TongxinError('BAD_INPUT', `cannot read corpus folder ${root}: ${describeError(err)}; check its permissions`, { cause: err });
      skipped.push({ path: rel, reason: `unreadable folder: ${describeError(err)}` });
      return;
    }
    const inside = new Set(ancestors).add(id);
    // Sorted, so which of two ways into one folder is walked does not depend on readdir's order.
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (ignored(e.name)) continue;
      const abs = path.join(dir, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      let target: Dirent | Stats = e;
      if (e.isSymbolicLink() || e.isDirectory()) {
        try {
          target = await stat(abs);
        } catch (err) {
          skipped.push({ path: r, reason: e.isSymbolicLink() ? await brokenLink(abs, err) : `unreadable folder: ${describeError(err)}` });
          continue;
        }
      }
      if (target.isDirectory()) await walk(abs, r, target as Stats, inside);
      else if (target.isFile()) files.push(r);
      // A FIFO would block the read forever; sockets and devices are not documents either.
      else skipped.push({ path: r, reason: 'not a regular file (a pipe, socket or device)' });
    }
  }

  let rootStat: Stats;
  try {
    rootStat = await stat(root);
  } catch (err) {
    throw new TongxinError('BAD_INPUT', `cannot read corpus folder ${root}: ${describeError(err)}; check CORPUS_DIR or --corpus`, { cause: err });
  }
  await walk(root, '', rootStat, new Set());
  const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return { files: files.sort(byPath), skipped: skipped.sort((a, b) => byPath(a.path, b.path)) };
}

async function brokenLink(abs: string, err: unknown): Promise<string> {
  const to = await readlink(abs).catch(() => '?');
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return `broken symbolic link: ${to} does not exist`;
  if (code === 'ELOOP') return `symbolic link loop: ${to} leads back to itself`;
  return `unreadable symbolic link to ${to}: ${describeError(err)}`;
}
