/**
 * Real files that fail in ways fixtures on disk cannot hold or should not: built on demand.
 *
 *   pageDamagedPdf()   notice.pdf with its first page object overwritten: pdf.js's parser fails
 *                      with a FormatError, which crosses its worker as UnknownErrorException.
 *   midStreamDamagedPdf() notice.pdf with everything but its first and last 400 bytes turned to
 *                      BEL: pdf.js rejects the document and also leaves an internal promise
 *                      rejected and unhandled, which used to end the ingest process.
 *   deeplyNestedHtml() 10,000 nested <div>s: the HTML loader overflows the stack (RangeError),
 *                      an unexpected error, not a fault of the file's format.
 *   PROC_SELF_MEM      read from offset 0, Linux's /proc/self/mem fails with a real EIO (page 0
 *                      is never mapped); linked into a corpus, it is a file that cannot be read.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from './kb-fixture.ts';

export const PROC_SELF_MEM = '/proc/self/mem';

export async function pageDamagedPdf(): Promise<Buffer> {
  const bytes = Buffer.from(await readFile(path.join(REPO_ROOT, 'test/fixtures/docs/notice.pdf')));
  const at = bytes.indexOf('6 0 obj') + '6 0 obj\n'.length;
  // 20 bytes of BEL: the page dictionary becomes one unparsable token, the file keeps its size
  // (so the cross-reference table still points at every other object).
  bytes.fill(7, at, at + 20);
  return bytes;
}

export async function midStreamDamagedPdf(): Promise<Buffer> {
  const bytes = Buffer.from(await readFile(path.join(REPO_ROOT, 'test/fixtures/docs/notice.pdf')));
  bytes.fill(7, 400, bytes.length - 400);
  return bytes;
}

export function deeplyNestedHtml(depth = 10_000): string {
  return `<html><body>${'<div>'.repeat(depth)}党建${'</div>'.repeat(depth)}</body></html>`;
}
