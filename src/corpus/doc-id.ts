import nodePath from 'node:path';

/**
 * A file's corpus-relative path, `/`-separated on every platform: `policies/2019/notice.pdf`.
 * `pathImpl` exists so tests can check Windows paths (`path.win32`) on any machine.
 * Returns undefined when the file is not inside `corpusRoot`.
 */
export function corpusPath(absPath: string, corpusRoot: string, pathImpl: typeof nodePath = nodePath): string | undefined {
  const rel = pathImpl.relative(pathImpl.resolve(corpusRoot), pathImpl.resolve(absPath));
  const parts = rel.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts[0] === '..' || pathImpl.isAbsolute(rel)) return undefined;
  return parts.join('/');
}

/** The document id for a corpus-relative path: the path without its extension. */
export function docIdOf(relPath: string): string {
  const slash = relPath.lastIndexOf('/');
  const dot = relPath.lastIndexOf('.');
  // A leading dot (`.profile`) is part of the name, not an extension.
  return dot > slash + 1 ? relPath.slice(0, dot) : relPath;
}
