/**
 * ../shared/real-docs: real office documents read at run time, never copied into the project
 * (see its README). Tests on them skip, saying why, when the folder is absent.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './kb-fixture.ts';

export const REAL_DOCS = path.resolve(REPO_ROOT, '..', 'shared', 'real-docs');

/** `skip` for node:test: false when the folder is there, else the reason. */
export const realDocsSkip: string | false = existsSync(REAL_DOCS) ? false : `${REAL_DOCS} is absent (the shared real documents)`;

export function realDoc(name: string): string {
  return path.join(REAL_DOCS, name);
}
